package org.xai4j.models;

import org.xai4j.testing.MemoryProbe;

/**
 * Releases HDF5 handles that failed imports leave to the garbage collector. DL4J's HDF5 reader does not free every
 * handle when a damaged file makes it throw; JavaCPP then closes them on its deallocator thread after a collection,
 * and the HDF5 library is not thread-safe. Draining them right after the tests that feed damaged files keeps those
 * closes from running while a later test reads an HDF5 file (a one-off "H5Oget_info_by_name failed" was seen once
 * when a later test forced collections).
 */
public final class Hdf5Leftovers {

    private Hdf5Leftovers() {
    }

    /** Forces collections and gives the deallocator thread time to close what they found. */
    public static void release() {
        MemoryProbe.collectGarbage();
    }
}
