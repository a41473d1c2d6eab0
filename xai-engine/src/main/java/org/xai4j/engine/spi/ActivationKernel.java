package org.xai4j.engine.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One element-wise activation over batches of one example shape, on dense C-ordered float32 arrays. Both methods may
 * run in place: {@code output} may be {@code input}, and {@code gradInput} may be {@code gradOutput}. The engine calls
 * a kernel from one thread at a time (its model thread) and closes it when the model is closed.
 */
public interface ActivationKernel extends AutoCloseable {

    /** Writes the activation of {@code input} into {@code output}. */
    void forward(INDArray input, INDArray output);

    /**
     * Writes the gradient with respect to the input, computed from the forward pass's <em>output</em> (which
     * determines the derivative for the functions a provider offers here) and the gradient with respect to the output.
     */
    void inputGradient(INDArray output, INDArray gradOutput, INDArray gradInput);

    /** What runs, for profiles and logs. */
    String implementation();

    /** Frees native memory; the kernel must not be used afterwards. */
    @Override void close();
}
