package org.xai4j.internal;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees the off-heap buffers of per-call temporaries at once: left to the garbage collector they pile up between
 * collections, since they hardly weigh on the Java heap. Not part of the public API.
 */
public final class Release {

    private Release() { }

    /**
     * Closes each array that owns its buffer (views and nulls are skipped).
     *
     * @param arrays temporaries no longer used
     */
    public static void arrays(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && !array.wasClosed() && array.closeable()) {
                array.close();
            }
        }
    }
}
