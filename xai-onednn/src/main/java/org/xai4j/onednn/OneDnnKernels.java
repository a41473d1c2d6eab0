package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.spi.ActivationKernel;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;
import org.xai4j.engine.spi.KernelProvider;
import org.xai4j.engine.spi.PoolingGeometry;
import org.xai4j.engine.spi.PoolingKernel;

import java.util.Optional;

/**
 * The {@code onednn} kernels: oneDNN 3.x primitives through {@code org.bytedeco:dnnl} for convolutions (Winograd's
 * F(4x4, 3x3) on top of oneDNN's matrix products for the wide 3x3 layers where it is faster), windowed
 * pooling, and the activations whose derivative their output determines (ReLU, ReLU6, tanh, sigmoid). Available when
 * the native library loads; a layer gets a kernel only when oneDNN has an optimized (non-reference) implementation for
 * it.
 */
public final class OneDnnKernels implements KernelProvider {

    /** The value of {@link KernelProvider#PROPERTY} that selects these kernels. */
    public static final String NAME = "onednn";

    /**
     * The system property that chooses the algorithm for the 3x3 stride-1 layers where Winograd's is faster
     * ({@link WinogradConvolution#applies}): {@code winograd} (the default) or {@code direct}, which gives results
     * identical to oneDNN's direct convolution everywhere, at its speed.
     */
    public static final String CONVOLUTION_ALGORITHM_PROPERTY = "xai4j.onednn.convolution";

    private static final String UNAVAILABLE = probe();

    private static String probe() {
        try {
            Loader.load(dnnl.class);
            dnnl_version_t version = dnnl.dnnl_version();
            if (version.major() < 3) {
                return "oneDNN " + version.major() + "." + version.minor() + " was loaded; these kernels need 3.x";
            }
            OneDnnRuntime.engine();
            return null;
        } catch (Throwable e) {
            // A missing class or native library (another platform, a trimmed class path) means ND4J's kernels run.
            return "the oneDNN native library did not load on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + e;
        }
    }

    @Override public String name() {
        return NAME;
    }

    @Override public String unavailableReason() {
        return UNAVAILABLE;
    }

    @Override public Optional<ConvolutionKernel> convolution(ConvolutionGeometry geometry, INDArray weights,
                                                             INDArray bias) {
        requireAvailable();
        if (winogradAllowed() && WinogradConvolution.applies(geometry)) {
            Optional<ConvolutionKernel> winograd = WinogradConvolution.compile(geometry, weights, bias);
            if (winograd.isPresent()) {
                return winograd;
            }
        }
        return OneDnnConvolution.compile(geometry, weights, bias);
    }

    @Override public Optional<PoolingKernel> pooling(PoolingGeometry geometry) {
        requireAvailable();
        return OneDnnPooling.compile(geometry);
    }

    @Override public Optional<ActivationKernel> activation(ActivationFunction function, double alpha,
                                                           long[] exampleShape) {
        requireAvailable();
        return OneDnnActivation.compile(function, alpha, exampleShape);
    }

    /** Reads {@link #CONVOLUTION_ALGORITHM_PROPERTY}, refusing values other than its two. */
    static boolean winogradAllowed() {
        String value = System.getProperty(CONVOLUTION_ALGORITHM_PROPERTY, "winograd").trim();
        return switch (value) {
            case "winograd" -> true;
            case "direct" -> false;
            default -> throw new IllegalArgumentException("system property " + CONVOLUTION_ALGORITHM_PROPERTY + "="
                    + value + ": expected winograd or direct");
        };
    }

    private static void requireAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("oneDNN kernels are unavailable: " + UNAVAILABLE);
        }
    }

    /** The version of the loaded oneDNN, for logs and reports. */
    public static String version() {
        if (UNAVAILABLE != null) {
            return "unavailable";
        }
        dnnl_version_t version = dnnl.dnnl_version();
        return version.major() + "." + version.minor() + "." + version.patch();
    }

    @Override public String toString() {
        return "oneDNN " + version() + " kernels" + (UNAVAILABLE == null ? "" : " (" + UNAVAILABLE + ")");
    }
}
