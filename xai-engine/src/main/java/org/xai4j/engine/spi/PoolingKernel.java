package org.xai4j.engine.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One windowed pooling layer, compiled for its geometry: the forward pass and the input gradient on channels-last,
 * C-ordered float32 arrays {@code [n, h, w, c]}. The engine calls a kernel from one thread at a time (its model
 * thread) and closes it when the model is closed.
 */
public interface PoolingKernel extends AutoCloseable {

    /** Writes the pooled {@code input} into {@code output}. */
    void forward(INDArray input, INDArray output);

    /**
     * Writes every value of {@code gradInput}, the gradient with respect to the input, given the forward input (max
     * pooling routes each output's gradient to its window's first maximum) and the gradient with respect to the
     * output.
     */
    void inputGradient(INDArray input, INDArray gradOutput, INDArray gradInput);

    /** What runs, for profiles and logs. */
    String implementation();

    /** Frees native memory; the kernel must not be used afterwards. */
    @Override void close();
}
