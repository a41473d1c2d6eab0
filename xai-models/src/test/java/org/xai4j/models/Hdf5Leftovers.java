package org.xai4j.models;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xai4j.testing.MemoryProbe;

/**
 * A JUnit extension for test classes that read HDF5 files: after every test it releases the HDF5 handles that failed
 * imports leave to the garbage collector. DL4J's HDF5 reader does not free every handle when a damaged or mismatched
 * file makes it throw; JavaCPP then closes them on its "JavaCPP Deallocator" thread after some later collection,
 * and the HDF5 library is not thread-safe: a close running while the next test opens a file crashed the test JVM in
 * {@code H5SL_remove} (and once failed an import with "H5Oget_info_by_name failed"). Collecting after each test
 * closes them while no HDF5 call is running.
 */
public final class Hdf5Leftovers implements AfterEachCallback {

    @Override public void afterEach(ExtensionContext context) {
        MemoryProbe.collectGarbage();
    }
}
