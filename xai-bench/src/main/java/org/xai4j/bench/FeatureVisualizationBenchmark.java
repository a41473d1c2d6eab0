package org.xai4j.bench;

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
import org.xai4j.features.ActivationMaximization;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.features.Parameterization;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Feature visualization end to end: activation maximization of channels of one layer, one image per channel, otherwise
 * with the library defaults of the parameterization (16 images per batch, jitter 4, seed 0; PIXELS: normalized
 * gradient 0.01, decay 1e-3, blur every 4 steps, no pad, scale or rotation; FOURIER: Adam 0.05 and Lucid's pad, random
 * scale and random rotation). The work depends on the layer:
 * <ul>
 *   <li>{@code block1_conv1}: the first {@code min(64, channels)} channels, 64 steps - all 64 channels for
 *       {@code vgg16}, all 16 of {@code mini-vgg}'s narrower first layer. A step costs little: only the first
 *       convolution runs, and of it only the channel each image maximizes;</li>
 *   <li>{@code block4_conv3}, {@code block5_conv3}: the first 16 channels (one batch), 32 steps. Each step runs the
 *       whole network below the layer forward and back, the case the seed's deep-layer figures are made of.</li>
 * </ul>
 * {@code python/anchors.py fviz-pixels --layer L} does the PIXELS work of a layer in PyTorch, op for op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class FeatureVisualizationBenchmark {

    /** The first layer, whose workload is 64 channels and 64 steps; every other layer's is 16 channels and 32 steps. */
    private static final String FIRST_LAYER = "block1_conv1";

    /** {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape). */
    @Param({"vgg16", "mini-vgg"})
    public String model;

    /**
     * {@code PIXELS}: normalized gradient ascent with decay and blur every 4 steps; {@code FOURIER}: Adam on a
     * 1/f-scaled, color-decorrelated spectrum.
     */
    @Param({"PIXELS", "FOURIER"})
    public Parameterization parameterization;

    /** The visualized layer (see the class comment for the channels and steps of each). */
    @Param({"block1_conv1", "block4_conv3", "block5_conv3"})
    public String layer;

    private ActivationMaximization method;
    private int[] channels;

    /** Builds the random-weight model, the activation maximization of the parameterization and the channel list. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4jImageModel network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        method = ActivationMaximization.builder().setModel(network).optParameterization(parameterization)
                .optSteps(FIRST_LAYER.equals(layer) ? 64 : 32).build();
        channels = new int[(int) Math.min(FIRST_LAYER.equals(layer) ? 64 : 16, network.layerShape(layer)[0])];
        Arrays.setAll(channels, i -> i);
    }

    /**
     * Maximizes the mean activation of each channel of the layer, one image per channel.
     *
     * @return the images and objective values (returned so JMH keeps the work alive)
     */
    @Benchmark
    public FeatureVisualization activationMaximization() {
        return method.visualizeChannels(layer, channels);
    }
}
