package org.xai4j.engine.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/** What the engine and kernel providers agree on about the arrays a kernel reads and writes in place. */
public final class KernelArrays {

    private KernelArrays() { }

    /**
     * Whether a native kernel can read and write the array in place through its first element's address: C-ordered
     * without gaps. Axes of size 1 may carry any stride (ND4J sometimes gives them unusual ones).
     *
     * @param array any array
     * @return true when the values are contiguous in row-major order
     */
    public static boolean isDense(INDArray array) {
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (shape[axis] != 1 && stride[axis] != expected) {
                return false;
            }
            expected *= shape[axis];
        }
        return true;
    }
}
