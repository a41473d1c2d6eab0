package org.xai4j.models.keras;

import org.bytedeco.hdf5.IdComponent;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * The one way xai4j reaches the HDF5 library: every Keras import and every HDF5 read or write runs through
 * {@link #run}, which serializes it with one lock and closes, before releasing that lock, every HDF5 object the work
 * opened and left open.
 *
 * <p>Why: the HDF5 library is not thread-safe, and DL4J's HDF5 reader ({@code Hdf5Archive}) does not close the groups
 * it has opened when a damaged or mismatched file makes it throw. JavaCPP would close such leftovers on its
 * "JavaCPP Deallocator" thread after some later garbage collection, which takes no lock: a close running during
 * another thread's HDF5 call corrupts HDF5's identifier tables and crashes the JVM ({@code SIGSEGV} in
 * {@code H5SL_remove}). Here every HDF5 object created during the work (every JavaCPP pointer of the
 * {@code org.bytedeco.hdf5} package) is attached to a {@link PointerScope}, which keeps it reachable and closes it when
 * the work ends, successful or not, still under the lock: none is ever left for the deallocator thread.
 *
 * <p>The lock is DL4J's own {@link Hdf5Archive#LOCK_OBJECT}, so DL4J code an application calls directly is
 * serialized with xai4j's; an application that uses HDF5 through JavaCPP itself should call it through {@link #run}
 * as well.
 */
public final class Hdf5Access {

    static {
        // Loads the native library, and initializes Hdf5Archive (whose static datatype must outlive every scope)
        // before the first scope opens.
        Loader.load(hdf5.class);
    }

    private static final Object LOCK = Hdf5Archive.LOCK_OBJECT;

    private Hdf5Access() { }

    /**
     * Work that calls the HDF5 library (directly, or through DL4J's Keras import).
     *
     * @param <T> what it returns
     * @param <E> the checked exception it throws
     */
    @FunctionalInterface
    public interface Hdf5Work<T, E extends Exception> {
        /**
         * Does the work.
         *
         * @return its result, which must hold no HDF5 object (they are closed when the work ends)
         * @throws E when it fails
         */
        T run() throws E;
    }

    /**
     * Runs HDF5 work under the HDF5 lock, then closes every HDF5 object the work left open, before releasing the lock.
     * Exceptions of the work propagate unchanged. Calls may nest.
     *
     * @param work the work; must not be null
     * @param <T>  what it returns
     * @param <E>  the checked exception it throws
     * @return the work's result
     * @throws E what the work throws
     */
    public static <T, E extends Exception> T run(Hdf5Work<T, E> work) throws E {
        if (work == null) {
            throw new IllegalArgumentException("the HDF5 work must not be null");
        }
        synchronized (LOCK) {
            // Pointers other code left to the collector and that are already collected are freed here, under the
            // lock, rather than on the deallocator thread (which may still take some: only ours are guaranteed).
            Pointer.deallocateReferences();
            try (PointerScope scope = new Hdf5Scope()) {
                return work.run();
            }
        }
    }

    /**
     * The number of HDF5 objects (files, groups, datasets, attributes, datatypes, dataspaces) open in the process, as
     * HDF5 counts them; outside {@link #run} it stays constant once the library is initialized.
     *
     * @return the count
     */
    public static long openObjectCount() {
        synchronized (LOCK) {
            return hdf5.H5Fget_obj_count(hdf5.H5F_OBJ_ALL, hdf5.H5F_OBJ_ALL);
        }
    }

    /** A scope that takes only the HDF5 library's objects; others (ND4J's buffers) go to outer scopes or the GC. */
    private static final class Hdf5Scope extends PointerScope {

        private static final String HDF5_PACKAGE = IdComponent.class.getPackageName();

        @Override public PointerScope attach(Pointer p) {
            if (!p.getClass().getName().startsWith(HDF5_PACKAGE + ".")) {
                throw NOT_HDF5; // PointerScope's protocol: the pointer tries the next scope down the thread's stack
            }
            return super.attach(p);
        }

        /** Thrown for every rejected pointer, so rejection costs no stack trace. */
        private static final IllegalArgumentException NOT_HDF5 =
                new IllegalArgumentException("not an HDF5 object", null) {
                    private static final long serialVersionUID = 1L;

                    @Override public synchronized Throwable fillInStackTrace() {
                        return this;
                    }
                };
    }
}
