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
 * Feature visualization end to end: activation maximization of the first {@code min(64, channels)} channels of
 * {@code block1_conv1} for 64 steps, otherwise with the library defaults of the parameterization (16 images per
 * batch, jitter 4, seed 0; PIXELS: normalized gradient 0.01, decay 1e-3, blur every 4 steps, no pad, scale or
 * rotation; FOURIER: Adam 0.05 and Lucid's pad, random scale and random rotation). That is all 64 channels for
 * {@code vgg16} and all 16 channels of {@code mini-vgg}'s narrower first layer, so the two models' scores differ in
 * image count as well as image size. {@code python/anchors.py fviz-pixels} does the PIXELS work in PyTorch, op for op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class FeatureVisualizationBenchmark {

    /** The visualized layer. */
    private static final String LAYER = "block1_conv1";
    /** The most channels visualized. */
    private static final int MAX_CHANNELS = 64;
    /** Optimization steps per image. */
    private static final int STEPS = 64;

    /** {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape). */
    @Param({"vgg16", "mini-vgg"})
    public String model;

    /**
     * {@code PIXELS}: normalized gradient ascent with decay and blur every 4 steps; {@code FOURIER}: Adam on a
     * 1/f-scaled, color-decorrelated spectrum.
     */
    @Param({"PIXELS", "FOURIER"})
    public Parameterization parameterization;

    private ActivationMaximization method;
    private int[] channels;

    /** Builds the random-weight model, the 64-step activation maximization of the parameterization and the channel list. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4jImageModel network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        method = ActivationMaximization.builder().setModel(network).optParameterization(parameterization)
                .optSteps(STEPS).build();
        channels = new int[(int) Math.min(MAX_CHANNELS, network.layerShape(LAYER)[0])];
        Arrays.setAll(channels, i -> i);
    }

    /**
     * Maximizes the mean activation of each channel of {@code block1_conv1}, one image per channel.
     *
     * @return the images and objective values (returned so JMH keeps the work alive)
     */
    @Benchmark
    public FeatureVisualization activationMaximization() {
        return method.visualizeChannels(LAYER, channels);
    }
}
