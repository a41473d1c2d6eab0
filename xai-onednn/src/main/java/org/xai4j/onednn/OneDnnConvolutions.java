package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;
import org.xai4j.engine.spi.ConvolutionKernels;

import java.util.Optional;

/**
 * The {@code onednn} convolution kernels: oneDNN 3.x primitives through {@code org.bytedeco:dnnl}. Available when the
 * native library loads; a layer gets a kernel only when oneDNN has an optimized (non-reference) implementation for it.
 */
public final class OneDnnConvolutions implements ConvolutionKernels {

    /** The value of {@link ConvolutionKernels#PROPERTY} that selects these kernels. */
    public static final String NAME = "onednn";

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

    @Override public Optional<ConvolutionKernel> compile(ConvolutionGeometry geometry, INDArray weights, INDArray bias) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("oneDNN convolutions are unavailable: " + UNAVAILABLE);
        }
        return OneDnnConvolution.compile(geometry, weights, bias);
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
        return "oneDNN " + version() + " convolutions" + (UNAVAILABLE == null ? "" : " (" + UNAVAILABLE + ")");
    }
}
