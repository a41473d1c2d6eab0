package org.xai4j.engine.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One convolution layer, compiled for its geometry and weights: the forward pass and the input gradient on
 * channels-last, C-ordered float32 arrays {@code [n, h, w, c]}. The engine calls a kernel from one thread at a time
 * (its model thread) and closes it when the model is closed.
 */
public interface ConvolutionKernel extends AutoCloseable {

    /** Writes the convolution of {@code input} plus the bias into {@code output}. */
    void forward(INDArray input, INDArray output);

    /** Writes the gradient with respect to the input, given the gradient with respect to the output. */
    void inputGradient(INDArray gradOutput, INDArray gradInput);

    /** What runs, for profiles and logs (for oneDNN, its implementation names). */
    String implementation();

    /** Frees native memory; the kernel must not be used afterwards. */
    @Override void close();
}
