package org.xai4j.engine.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Optional;

/**
 * A source of convolution kernels that the engine uses instead of ND4J's ops, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.xai4j.engine.spi.ConvolutionKernels}). The engine asks
 * only on a CPU backend and for float32 weights; double-precision models (gradient checks) keep ND4J's kernels.
 */
public interface ConvolutionKernels {

    /**
     * The system property that chooses the kernels: a provider's {@link #name()}, or {@code nd4j} for ND4J's own ops.
     * Unset, the engine takes the first available provider on the class path, else ND4J's ops.
     */
    String PROPERTY = "xai4j.convolutions";

    /** The value of {@link #PROPERTY} that selects this provider, for example {@code onednn}. */
    String name();

    /** Null when these kernels can run in this process; otherwise why not (for example a missing native library). */
    String unavailableReason();

    /**
     * A kernel for one layer, or empty when this provider has no fast implementation for the geometry (the engine then
     * uses ND4J's ops for that layer).
     *
     * @param weights {@code [kernelHeight, kernelWidth, in, out]}, float32; copied, so later changes do not reach the
     *                kernel
     * @param bias    {@code [out]}, float32, or null
     */
    Optional<ConvolutionKernel> compile(ConvolutionGeometry geometry, INDArray weights, INDArray bias);
}
