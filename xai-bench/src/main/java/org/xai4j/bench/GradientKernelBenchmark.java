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
import org.openjdk.jmh.annotations.Warmup;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;

import java.util.concurrent.TimeUnit;

/**
 * The gradient kernel: forward pass, and forward plus input gradient of a class logit, for a VGG-shaped model or
 * ResNet-50. Scores are per call (one batch); divide by {@code batch} for per-image figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class GradientKernelBenchmark {

    /**
     * {@code vgg16} (224x224, 138M weights), {@code mini-vgg} (64x64, the toy models' shape) or {@code resnet50}
     * (224x224, torchvision's layout, 25.6M weights; {@link RandomResNet}).
     */
    @Param({"vgg16", "mini-vgg", "resnet50"})
    public String model;

    /** Images per call. */
    @Param({"1", "8", "16"})
    public int batch;

    private Nd4jImageModel network;
    private INDArray input;
    private Objective objective;

    /** Builds the random-weight model, a seeded uniform random batch and the class-3 logit objective, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        network = Nd4jImageModel.of(switch (model) {
            case "vgg16" -> RandomVgg.vgg16(1);
            case "mini-vgg" -> RandomVgg.miniVgg(1);
            case "resnet50" -> RandomResNet.resnet50(1);
            default -> throw new IllegalArgumentException("unknown model '" + model + "'; expected vgg16, mini-vgg or resnet50");
        });
        long[] shape = network.inputShape();
        input = SeededArrays.uniform(2, batch, shape[0], shape[1], shape[2]);
        objective = Objective.classLogit(3);
    }

    /**
     * A forward pass alone.
     *
     * @return the logits of the batch (returned so JMH keeps the work alive)
     */
    @Benchmark
    public INDArray forward() {
        return network.logits(input);
    }

    /**
     * A forward pass and the backward pass of the class-3 logit to the input, what every gradient explainer pays per
     * batch.
     *
     * @return the input gradient (returned so JMH keeps the work alive)
     */
    @Benchmark
    public INDArray forwardAndInputGradient() {
        return network.gradient(input, objective).inputGradient();
    }
}
