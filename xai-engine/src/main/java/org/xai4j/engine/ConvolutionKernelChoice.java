package org.xai4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;
import org.xai4j.engine.spi.ConvolutionKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which convolution kernels a layer runs: a {@link ConvolutionKernels} provider from the class path, or ND4J's ops.
 * The system property {@value ConvolutionKernels#PROPERTY} decides when set ({@code nd4j}, or a provider's name, which
 * must then be available); unset, the first available provider wins on a CPU backend. Providers are looked up once;
 * the property is read for every layer, so a test can compile one model each way.
 */
final class ConvolutionKernelChoice {

    static final String ND4J = "nd4j";
    private static final Logger LOG = LoggerFactory.getLogger(ConvolutionKernelChoice.class);
    private static volatile List<ConvolutionKernels> providers;
    private static volatile String logged;

    private ConvolutionKernelChoice() { }

    /** A provider's kernel for this layer, or empty for ND4J's ops. */
    static Optional<ConvolutionKernel> compile(ConvolutionGeometry geometry, INDArray weights, INDArray bias) {
        if (weights.dataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        return chosen().flatMap(kernels -> kernels.compile(geometry, weights, bias));
    }

    /** The provider the property and the class path choose, or empty for ND4J's ops. */
    static Optional<ConvolutionKernels> chosen() {
        String requested = System.getProperty(ConvolutionKernels.PROPERTY);
        if (requested != null && requested.isBlank()) {
            requested = null;
        }
        if (ND4J.equals(requested)) {
            return Optional.empty();
        }
        boolean cpu = Nd4j.getEnvironment().isCPU();
        List<ConvolutionKernels> all = providers();
        if (requested != null) {
            for (ConvolutionKernels kernels : all) {
                if (kernels.name().equals(requested)) {
                    if (!cpu) {
                        throw new IllegalStateException(ConvolutionKernels.PROPERTY + "=" + requested
                                + ": these kernels run on CPU arrays, but the ND4J backend is not a CPU backend");
                    }
                    String reason = kernels.unavailableReason();
                    if (reason != null) {
                        throw new IllegalStateException(ConvolutionKernels.PROPERTY + "=" + requested
                                + " cannot be used: " + reason);
                    }
                    note("convolutions: " + requested + " (chosen by " + ConvolutionKernels.PROPERTY + ")");
                    return Optional.of(kernels);
                }
            }
            List<String> names = new ArrayList<>(List.of(ND4J));
            all.forEach(kernels -> names.add(kernels.name()));
            throw new IllegalArgumentException(ConvolutionKernels.PROPERTY + "=" + requested
                    + ": expected one of " + names + " (providers are found on the class path)");
        }
        if (!cpu) {
            return Optional.empty();
        }
        for (ConvolutionKernels kernels : all) {
            String reason = kernels.unavailableReason();
            if (reason == null) {
                note("convolutions: " + kernels.name() + " (found on the class path)");
                return Optional.of(kernels);
            }
            note("convolutions: nd4j; " + kernels.name() + " is on the class path but unavailable: " + reason);
        }
        return Optional.empty();
    }

    private static List<ConvolutionKernels> providers() {
        List<ConvolutionKernels> loaded = providers;
        if (loaded == null) {
            List<ConvolutionKernels> found = new ArrayList<>();
            ServiceLoader.load(ConvolutionKernels.class, ConvolutionKernelChoice.class.getClassLoader())
                    .forEach(found::add);
            loaded = List.copyOf(found);
            providers = loaded;
        }
        return loaded;
    }

    /** Logs the choice once per distinct message, not once per layer. */
    private static void note(String message) {
        if (!message.equals(logged)) {
            logged = message;
            LOG.info(message);
        }
    }
}
