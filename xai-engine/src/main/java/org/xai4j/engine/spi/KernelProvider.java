package org.xai4j.engine.spi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ActivationFunction;

import java.util.Optional;

/**
 * A source of native kernels that the engine runs instead of ND4J's ops for convolutions, pooling and activations,
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/org.xai4j.engine.spi.KernelProvider}). The
 * engine asks only on a CPU backend and for float32 models; double-precision models (gradient checks) keep ND4J's ops.
 * A provider may lack a kernel for any layer: it returns empty, and that layer keeps ND4J's ops.
 */
public interface KernelProvider {

    /**
     * The system property that chooses the kernels: a provider's {@link #name()}, or {@code nd4j} for ND4J's own ops.
     * Unset, the engine takes the first available provider on the class path, else ND4J's ops.
     */
    String PROPERTY = "xai4j.kernels";

    /** The value of {@link #PROPERTY} that selects this provider, for example {@code onednn}. */
    String name();

    /** Null when these kernels can run in this process; otherwise why not (for example a missing native library). */
    String unavailableReason();

    /**
     * A kernel for one convolution layer, or empty when this provider has no fast implementation for the geometry.
     *
     * @param weights {@code [kernelHeight, kernelWidth, in, out]}, float32; copied, so later changes do not reach the
     *                kernel
     * @param bias    {@code [out]}, float32, or null
     */
    Optional<ConvolutionKernel> convolution(ConvolutionGeometry geometry, INDArray weights, INDArray bias);

    /** A kernel for one windowed pooling layer, or empty when this provider has none for the geometry. */
    Optional<PoolingKernel> pooling(PoolingGeometry geometry);

    /**
     * A kernel for an element-wise activation over float32 batches of {@code exampleShape} (as the engine stores an
     * example: {@code [h, w, c]} for an image, {@code [features]} for a vector), or empty when this provider has none
     * for the function.
     *
     * @param alpha the function's parameter where it takes one ({@link ActivationFunction#usesAlpha()})
     */
    Optional<ActivationKernel> activation(ActivationFunction function, double alpha, long[] exampleShape);
}
