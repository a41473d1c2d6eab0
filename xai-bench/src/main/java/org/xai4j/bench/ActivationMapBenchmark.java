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
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.engine.Nd4jImageModel;

import java.util.concurrent.TimeUnit;

/**
 * The seed study's activation maps on one image: every neuron's (channel's) map of one layer with its spike total,
 * from one forward pass up to the layer, and, as the study then shows, the top-spike neuron's map upsampled to the
 * input size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class ActivationMapBenchmark {

    /** {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape). */
    @Param({"vgg16", "mini-vgg"})
    public String model;

    /** The mapped layer: the first convolution (full resolution) or the last one (1/16 resolution, widest). */
    @Param({"block1_conv1", "block5_conv3"})
    public String layer;

    private NeuronActivations mapper;
    private INDArray input;

    /** Builds the random-weight model, the neuron-activation mapper of the layer and one seeded random image, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4jImageModel network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        mapper = NeuronActivations.builder().setModel(network).setLayer(layer).build();
        long[] shape = network.inputShape();
        input = SeededArrays.uniform(5, 1, shape[0], shape[1], shape[2]);
    }

    /**
     * All neurons' raw maps (at the layer's resolution) and spike totals of the image.
     *
     * @return the maps and spikes (returned so JMH keeps the work alive)
     */
    @Benchmark
    public LayerActivations activations() {
        return mapper.activations(input);
    }

    /**
     * All neurons' maps and spike totals, then the top-spike neuron's map bilinearly upsampled to the input size.
     *
     * @return the top neuron's {@code [H, W]} map (returned so JMH keeps the work alive)
     */
    @Benchmark
    public INDArray activationsAndTopNeuronMap() {
        LayerActivations acts = mapper.activations(input);
        return acts.map(0, acts.topK(0, 1)[0]);
    }
}
