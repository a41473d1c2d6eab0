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
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.guided.Deconvolution;
import org.xai4j.guided.GuidedBackprop;
import org.xai4j.guided.GuidedGradCam;
import org.xai4j.propagation.DeepLift;
import org.xai4j.propagation.DeepLiftShap;
import org.xai4j.propagation.Lrp;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The methods with modified backward rules end to end with their defaults: guided backpropagation, deconvolution,
 * Guided Grad-CAM (at {@code block5_conv3}), DeepLift (zero reference: one pass over twice the rows), DeepLiftShap
 * (three references) and LRP (every value kept for the backward pass). Scores are per call (one batch); divide by
 * {@code batch} for per-image figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class BackwardRuleMethodsBenchmark {

    /** The method, by its command-line name. */
    @Param({"guidedbackprop", "deconvolution", "guidedgradcam", "deeplift", "deepliftshap", "lrp"})
    public String method;

    /** {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape). */
    @Param({"vgg16", "mini-vgg"})
    public String model;

    /** Images per call. */
    @Param({"1", "8"})
    public int batch;

    private Nd4jImageModel network;
    private AttributionMethod explainer;
    private INDArray input;

    /** Builds the random-weight model, the method and a seeded random batch, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        explainer = switch (method) {
            case "guidedbackprop" -> GuidedBackprop.builder().setModel(network).build();
            case "deconvolution" -> Deconvolution.builder().setModel(network).build();
            case "guidedgradcam" -> GuidedGradCam.builder().setModel(network).optLayer("block5_conv3").build();
            case "deeplift" -> DeepLift.builder().setModel(network).build();
            case "deepliftshap" -> DeepLiftShap.builder().setModel(network)
                    .optBaselines(List.of(Baseline.zero(), Baseline.constant(0.5), Baseline.constant(1.0))).build();
            case "lrp" -> Lrp.builder().setModel(network).build();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
        long[] shape = network.inputShape();
        input = SeededArrays.uniform(4, batch, shape[0], shape[1], shape[2]);
    }

    /** Frees the model's native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
    }

    /**
     * Attributes the class-3 logit of every image of the batch.
     *
     * @return the attribution (returned so JMH keeps the work alive)
     */
    @Benchmark
    public Attribution attribute() {
        return explainer.attribute(input, 3);
    }
}
