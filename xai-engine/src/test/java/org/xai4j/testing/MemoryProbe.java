package org.xai4j.testing;

import org.bytedeco.javacpp.Pointer;

/**
 * Measures the process's resident memory (heap, off-heap ND4J buffers and native libraries together), which is what
 * a leak of ND4J's CPU buffers shows up in: JavaCPP's {@code totalBytes()} does not count them.
 */
public final class MemoryProbe implements AutoCloseable {

    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peak;

    private MemoryProbe() {
        peak = Pointer.physicalBytes();
        sampler = new Thread(() -> {
            while (running) {
                peak = Math.max(peak, Pointer.physicalBytes());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Starts sampling the resident memory every 2 ms until {@link #close()}.
     *
     * @return the running probe
     */
    public static MemoryProbe start() {
        return new MemoryProbe();
    }

    /**
     * The highest resident memory seen so far.
     *
     * @return bytes
     */
    public long peakBytes() {
        return Math.max(peak, Pointer.physicalBytes());
    }

    @Override public void close() {
        running = false;
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The resident memory after garbage collection has released unreachable ND4J arrays (their native buffers are
     * freed by a reference queue after the collection).
     *
     * @return bytes
     */
    public static long settledBytes() {
        collectGarbage();
        return Pointer.physicalBytes();
    }

    /**
     * Forces three garbage collections, 100 ms apart, so that the threads which free the native memory of
     * unreachable ND4J arrays and JavaCPP pointers have run.
     */
    public static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The resident memory outside the Java heap after garbage collection: resident memory minus the committed heap.
     * The JVM grows its heap when it likes, which is not a leak; what remains is ND4J's buffers, workspaces and the
     * native libraries' memory.
     *
     * @return bytes
     */
    public static long settledOffHeapBytes() {
        long resident = settledBytes();
        return resident - Runtime.getRuntime().totalMemory();
    }

    /**
     * The heap in use after garbage collection.
     *
     * @return bytes
     */
    public static long settledHeapBytes() {
        settledBytes();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * Formats bytes as MiB for assertion messages.
     *
     * @param bytes a byte count
     * @return e.g. {@code "12.3 MiB"}
     */
    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
