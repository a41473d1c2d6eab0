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
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.perturbation.Occlusion;

import java.util.concurrent.TimeUnit;

/**
 * Occlusion end to end, the speed case: a 16-pixel window over all channels, stride 8, occluded copies sent
 * through the model 16 at a time (Captum's {@code perturbations_per_eval=16}), on one 224x224 image of a VGG16-shaped
 * model (28 x 28 = 784 windows, 49 passes of 16 plus one of the image). Scores are per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 30)
@Measurement(iterations = 3, time = 60)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class OcclusionBenchmark {

    /** {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape). */
    @Param({"vgg16", "mini-vgg"})
    public String model;

    /** Occluded copies per model pass. */
    @Param({"16"})
    public int perturbationsPerEval;

    private Nd4jImageModel network;
    private Occlusion method;
    private INDArray input;

    /** Builds the random-weight model, the occlusion method and a seeded random image, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        method = Occlusion.builder().setModel(network).optWindow(16).optStride(8)
                .optPerturbationsPerEval(perturbationsPerEval).build();
        long[] shape = network.inputShape();
        input = SeededArrays.uniform(4, 1, shape[0], shape[1], shape[2]);
    }

    /** Frees the model's native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
    }

    /**
     * Occlusion of the class-3 logit.
     *
     * @return the attribution (returned so JMH keeps the work alive)
     */
    @Benchmark
    public Attribution occlusion() {
        return method.attribute(input, 3);
    }
}
