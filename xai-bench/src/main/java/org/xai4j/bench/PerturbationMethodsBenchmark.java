package org.xai4j.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xai4j.AttributionMethod;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.perturbation.FeatureAblation;
import org.xai4j.segmentation.Segmentation;
import org.xai4j.shapley.GradientShap;
import org.xai4j.shapley.KernelShap;
import org.xai4j.shapley.ShapleyValueSampling;
import org.xai4j.surrogate.Lime;

import java.util.concurrent.TimeUnit;

/**
 * The feature-based perturbation methods and GradientSHAP end to end with their defaults (25 samples, 5 for
 * GradientSHAP; 16 copies per model pass) on one image, with {@code grid:16} cells or 50 SLIC superpixels (SLIC's own
 * cost included). Scores are per call. Occlusion has its own benchmark ({@link OcclusionBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 20)
@Measurement(iterations = 3, time = 30)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class PerturbationMethodsBenchmark {

    /** The method, by its command-line name. */
    @Param({"featureablation", "shapleysampling", "kernelshap", "lime", "gradientshap"})
    public String method;

    /** {@code mini-vgg} (64x64, the toy models' shape) or {@code vgg16} (224x224). */
    @Param({"mini-vgg"})
    public String model;

    /** The features of the feature-based methods (ignored by GradientSHAP). */
    @Param({"grid:16", "slic:50"})
    public String segments;

    private Nd4jImageModel network;
    private AttributionMethod explainer;
    private INDArray input;

    /** Builds the random-weight model, the method and a seeded random image, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        Segmentation segmentation = Segmentation.parse(segments);
        explainer = switch (method) {
            case "featureablation" -> FeatureAblation.builder().setModel(network).optSegmentation(segmentation).build();
            case "shapleysampling" -> ShapleyValueSampling.builder().setModel(network).optSegmentation(segmentation)
                    .build();
            case "kernelshap" -> KernelShap.builder().setModel(network).optSegmentation(segmentation).build();
            case "lime" -> Lime.builder().setModel(network).optSegmentation(segmentation).build();
            case "gradientshap" -> GradientShap.builder().setModel(network).build();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
        long[] shape = network.inputShape();
        input = SeededArrays.uniform(4, 1, shape[0], shape[1], shape[2]);
    }

    /** Frees the model's native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
    }

    /**
     * Attributes the class-3 logit.
     *
     * @return the attribution (returned so JMH keeps the work alive)
     */
    @Benchmark
    public Attribution attribute() {
        return explainer.attribute(input, 3);
    }
}
