package org.xai4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.engine.spi.ActivationKernel;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;
import org.xai4j.engine.spi.KernelProvider;
import org.xai4j.engine.spi.PoolingGeometry;
import org.xai4j.engine.spi.PoolingKernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which kernels a layer runs: a {@link KernelProvider}'s from the class path, or ND4J's ops. Only float32 layers ask.
 * The system property {@value KernelProvider#PROPERTY} decides when set ({@code nd4j}, or a provider's name, which
 * must then be available); unset, the first available provider wins on a CPU backend. Providers are looked up once;
 * the property is read for every layer, so a test can compile one model each way.
 */
final class KernelChoice {

    static final String ND4J = "nd4j";
    private static final Logger LOG = LoggerFactory.getLogger(KernelChoice.class);
    private static volatile List<KernelProvider> providers;
    private static volatile String logged;

    private KernelChoice() { }

    /** A provider's kernel for this convolution layer, or empty for ND4J's ops. */
    static Optional<ConvolutionKernel> convolution(ConvolutionGeometry geometry, INDArray weights, INDArray bias) {
        if (weights.dataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        return chosen().flatMap(kernels -> kernels.convolution(geometry, weights, bias));
    }

    /** A provider's kernel for this pooling layer of a model in {@code dataType}, or empty for ND4J's ops. */
    static Optional<PoolingKernel> pooling(PoolingGeometry geometry, DataType dataType) {
        if (dataType != DataType.FLOAT) {
            return Optional.empty();
        }
        return chosen().flatMap(kernels -> kernels.pooling(geometry));
    }

    /** A provider's kernel for this activation of a model in {@code dataType}, or empty for ND4J's ops. */
    static Optional<ActivationKernel> activation(ActivationFunction function, double alpha, long[] exampleShape,
                                                 DataType dataType) {
        if (dataType != DataType.FLOAT) {
            return Optional.empty();
        }
        return chosen().flatMap(kernels -> kernels.activation(function, alpha, exampleShape));
    }

    /** The provider the property and the class path choose, or empty for ND4J's ops. */
    static Optional<KernelProvider> chosen() {
        String requested = System.getProperty(KernelProvider.PROPERTY);
        if (requested != null && requested.isBlank()) {
            requested = null;
        }
        if (ND4J.equals(requested)) {
            return Optional.empty();
        }
        boolean cpu = Nd4j.getEnvironment().isCPU();
        List<KernelProvider> all = providers();
        if (requested != null) {
            for (KernelProvider kernels : all) {
                if (kernels.name().equals(requested)) {
                    if (!cpu) {
                        throw new IllegalStateException(KernelProvider.PROPERTY + "=" + requested
                                + ": these kernels run on CPU arrays, but the ND4J backend is not a CPU backend");
                    }
                    String reason = kernels.unavailableReason();
                    if (reason != null) {
                        throw new IllegalStateException(KernelProvider.PROPERTY + "=" + requested
                                + " cannot be used: " + reason);
                    }
                    note("kernels: " + requested + " (chosen by " + KernelProvider.PROPERTY + ")");
                    return Optional.of(kernels);
                }
            }
            List<String> names = new ArrayList<>(List.of(ND4J));
            all.forEach(kernels -> names.add(kernels.name()));
            throw new IllegalArgumentException(KernelProvider.PROPERTY + "=" + requested
                    + ": expected one of " + names + " (providers are found on the class path)");
        }
        if (!cpu) {
            return Optional.empty();
        }
        for (KernelProvider kernels : all) {
            String reason = kernels.unavailableReason();
            if (reason == null) {
                note("kernels: " + kernels.name() + " (found on the class path)");
                return Optional.of(kernels);
            }
            note("kernels: nd4j; " + kernels.name() + " is on the class path but unavailable: " + reason);
        }
        return Optional.empty();
    }

    private static List<KernelProvider> providers() {
        List<KernelProvider> loaded = providers;
        if (loaded == null) {
            List<KernelProvider> found = new ArrayList<>();
            ServiceLoader.load(KernelProvider.class, KernelChoice.class.getClassLoader())
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
