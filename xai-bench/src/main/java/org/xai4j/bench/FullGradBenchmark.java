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
import org.xai4j.activation.ActivationMap;
import org.xai4j.activation.FullGrad;
import org.xai4j.engine.Nd4jImageModel;

import java.util.concurrent.TimeUnit;

/**
 * FullGrad end to end: one forward and one backward pass to the input that also keeps the gradient of every
 * convolution's output (13 bias layers of a VGG), per-channel scaling and upsampling of every term, and the sum.
 * Scores are per call (one batch); divide by {@code batch} for per-image figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class FullGradBenchmark {

    /** {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape). */
    @Param({"vgg16", "mini-vgg"})
    public String model;

    /** Images per call. */
    @Param({"1", "8"})
    public int batch;

    private FullGrad method;
    private INDArray input;

    /** Builds the random-weight model, the mapper and a seeded random batch, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4jImageModel network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        method = FullGrad.builder().setModel(network).build();
        long[] shape = network.inputShape();
        input = SeededArrays.uniform(4, batch, shape[0], shape[1], shape[2]);
    }

    /**
     * Maps the class-3 logit of every image of the batch.
     *
     * @return the maps (returned so JMH keeps the work alive)
     */
    @Benchmark
    public ActivationMap fullGrad() {
        return method.map(input, 3);
    }
}
