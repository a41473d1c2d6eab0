package org.xai4j.bench;

import org.bytedeco.javacpp.Pointer;

/** The process's resident memory once garbage collection has let ND4J free unreachable buffers. */
final class ResidentMemory {

    private ResidentMemory() {
    }

    /**
     * Resident memory after three collections, 200 ms apart.
     *
     * @return bytes
     */
    static long settled() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Pointer.physicalBytes();
    }
}
