package org.xai4j.features;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.ExplanationCancelledException;
import org.xai4j.ProgressListener;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class ActivationMaximizationTest {

    private static final Nd4jImageModel VGG = Nd4jImageModel.of(TestNetworks.vggStyle(3));
    private static final Nd4jImageModel VGG64 = VGG.withDataType(DataType.DOUBLE);

    private static void assertIncreases(FeatureVisualization v, INDArray randomValues) {
        double randomMax = randomValues.maxNumber().doubleValue();
        for (int i = 0; i < v.size(); i++) {
            // Bounded pixels and total variation cap how far a neuron of a small random network can be driven.
            assertThat(v.finalValues()[i]).as(v.toString()).isGreaterThan(1.5 * Math.max(v.initialValues()[i], 1e-3))
                    .isGreaterThan(randomMax);
        }
    }

    /** Image i's channel at least 1.5 times its start and 1.5 times its largest value over 8 random images. */
    private static void assertChannelsOfBlock2Conv1Increase(FeatureVisualization v, int... channels) {
        INDArray random = TestNetworks.randomImages(1, DataType.FLOAT, 8, 3, 16, 16);
        for (int i = 0; i < channels.length; i++) {
            INDArray randomValues = Objective.channelMean("block2_conv1", channels[i]).evaluate(VGG, random);
            // Bounded pixels and total variation cap how far a neuron of a small random network can be driven.
            assertThat(v.finalValues()[i]).as(v.toString()).isGreaterThan(1.5 * Math.max(v.initialValues()[i], 1e-3))
                    .isGreaterThan(1.5 * randomValues.maxNumber().doubleValue());
        }
    }

    private static void assertInRange(INDArray images, double low, double high) {
        assertThat(images.minNumber().doubleValue()).isGreaterThanOrEqualTo(low);
        assertThat(images.maxNumber().doubleValue()).isLessThanOrEqualTo(high);
    }

    @Test
    void fourierVisualizationIncreasesChannelObjectivesAndStaysInRange() {
        AtomicLong done = new AtomicLong();
        AtomicLong total = new AtomicLong();
        FeatureVisualization v = ActivationMaximization.builder().setModel(VGG).optSteps(32).optLearningRate(0.2).optNoResampling()
                .optProgressListener((task, d, t) -> { done.set(d); total.set(t); }).build()
                .visualizeChannels("block2_conv1", 0, 3, 7);
        assertThat(v.images().shape()).containsExactly(3, 3, 16, 16);
        assertInRange(v.images(), 0, 1);
        assertChannelsOfBlock2Conv1Increase(v, 0, 3, 7);
        for (int i = 0; i < 3; i++) {
            int c = new int[] {0, 3, 7}[i];
            // The reported value is the objective of the returned image.
            assertThat(Objective.channelMean("block2_conv1", c).evaluate(VGG, v.image(i).reshape(1, 3, 16, 16)).getDouble(0))
                    .isCloseTo(v.finalValues()[i], org.assertj.core.data.Offset.offset(1e-4 * (1 + v.finalValues()[i])));
        }
        assertThat(done.get()).isEqualTo(3 * 32).isEqualTo(total.get());
        assertThat(v.labels()).containsExactly("block2_conv1[0]", "block2_conv1[3]", "block2_conv1[7]");
        assertThat(v.toString()).contains("FOURIER", "block2_conv1[3]", "steps=32");
    }

    @Test
    void pixelVisualizationIncreasesNeuronAndClassObjectivesAndStaysInRange() {
        ActivationMaximization.Builder b = ActivationMaximization.builder().setModel(VGG)
                .optParameterization(Parameterization.PIXELS).optSteps(64).optLearningRate(0.05).optTotalVariation(0.1);
        FeatureVisualization classes = b.build().visualizeClasses(1, 4);
        assertInRange(classes.images(), 0, 1);
        INDArray random = TestNetworks.randomImages(2, DataType.FLOAT, 8, 3, 16, 16);
        for (int i = 0; i < 2; i++) {
            int c = new int[] {1, 4}[i];
            INDArray randomLogits = VGG.logits(random).getColumn(c);
            double spread = randomLogits.maxNumber().doubleValue() - randomLogits.minNumber().doubleValue();
            assertThat(classes.finalValues()[i] - classes.initialValues()[i]).as(classes.toString()).isGreaterThan(spread);
            assertThat(classes.finalValues()[i]).isGreaterThan(randomLogits.maxNumber().doubleValue());
        }
        Objective neuron = Objective.neuron("block2_conv1", 5, 4, 4);
        FeatureVisualization n = b.optPixelRange(-1, 1).build().visualize(neuron, 2);
        assertInRange(n.images(), -1, 1);
        assertIncreases(n, neuron.evaluate(VGG, TestNetworks.randomImages(3, DataType.FLOAT, 8, 3, 16, 16)));
    }

    @Test
    void resultsAreDeterministicForASeedAndIndependentOfBatching() {
        for (Parameterization p : Parameterization.values()) {
            ActivationMaximization.Builder b = ActivationMaximization.builder().setModel(VGG64).optParameterization(p)
                    .optSteps(5).optSeed(11);
            FeatureVisualization batch = b.build().visualizeChannels("block1_conv2", 1, 3, 5);
            assertAllClose(b.build().visualizeChannels("block1_conv2", 1, 3, 5).images(), batch.images(), 0, 0);
            FeatureVisualization single = b.build().visualizeChannels("block1_conv2", 3);
            assertAllClose(single.image(0), batch.image(1), 1e-8, 1e-8);
            FeatureVisualization chunked = b.optBatchSize(2).build().visualizeChannels("block1_conv2", 1, 3, 5);
            assertAllClose(chunked.images(), batch.images(), 1e-8, 1e-8);
            FeatureVisualization otherSeed = b.optSeed(12).build().visualizeChannels("block1_conv2", 1, 3, 5);
            assertThat(otherSeed.images().equalsWithEps(batch.images(), 1e-6)).isFalse();
        }
    }

    @Test
    void badInputIsRejectedWithUsefulMessages() {
        ActivationMaximization v = ActivationMaximization.builder().setModel(VGG).optSteps(2).build();
        assertThatThrownBy(() -> v.visualizeChannels("conv9", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv9").hasMessageContaining("block1_conv1");
        assertThatThrownBy(() -> v.visualizeChannels("block1_conv1", 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel 6").hasMessageContaining("0..5");
        assertThatThrownBy(() -> v.visualizeClasses(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target class 5");
        assertThatThrownBy(() -> v.visualize(Objective.channelMean("block1_conv1", 1, 2), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 1 or 3");
        assertThatThrownBy(() -> ActivationMaximization.builder().build()).hasMessageContaining("setModel");
        assertThatThrownBy(() -> ActivationMaximization.builder().setModel(VGG).optPixelRange(1, 0).build())
                .hasMessageContaining("low < high");
        assertThatThrownBy(() -> ActivationMaximization.builder().setModel(VGG).optBlur(4, 0.5).build())
                .hasMessageContaining("PIXELS");
        assertThatThrownBy(() -> ActivationMaximization.builder().setModel(VGG).optPad(-1).build())
                .hasMessageContaining("pad").hasMessageContaining("-1");
        assertThatThrownBy(() -> ActivationMaximization.builder().setModel(VGG).optRandomScale(1.2, 1.1).build())
                .hasMessageContaining("[1.2, 1.1]");
        assertThatThrownBy(() -> ActivationMaximization.builder().setModel(VGG).optRandomScale(0, 1).build())
                .hasMessageContaining("0 < min");
        assertThatThrownBy(() -> ActivationMaximization.builder().setModel(VGG).optRandomRotation(200).build())
                .hasMessageContaining("200");
    }

    @Test
    void standardTransformsStillIncreaseObjectives() {
        // FOURIER's defaults include Lucid's pad, random scale and random rotation.
        ActivationMaximization fourier = ActivationMaximization.builder().setModel(VGG).optSteps(128).optLearningRate(0.2)
                .build();
        assertThat(fourier.toString()).contains("pad=1", "scale=[0.9, 1.1]", "rotation=10.0");
        FeatureVisualization v = fourier.visualizeChannels("block2_conv1", 0, 3, 7);
        assertInRange(v.images(), 0, 1);
        assertChannelsOfBlock2Conv1Increase(v, 0, 3, 7);
        FeatureVisualization pixels = ActivationMaximization.builder().setModel(VGG).optParameterization(Parameterization.PIXELS)
                .optSteps(64).optLearningRate(0.05).optTotalVariation(0.1).optPixelRange(-1, 1).optPad(1)
                .optRandomScale(0.9, 1.1).optRandomRotation(10).build().visualize(Objective.neuron("block2_conv1", 5, 4, 4), 2);
        assertInRange(pixels.images(), -1, 1);
        assertIncreases(pixels, Objective.neuron("block2_conv1", 5, 4, 4)
                .evaluate(VGG, TestNetworks.randomImages(3, DataType.FLOAT, 8, 3, 16, 16)));
    }

    @Test
    void scaleAndRotationAreDeterministicPerImageAndIndependentOfBatchComposition() {
        ActivationMaximization.Builder b = ActivationMaximization.builder().setModel(VGG64)
                .optParameterization(Parameterization.PIXELS).optSteps(5).optSeed(5).optPad(2).optRandomScale(0.8, 1.2)
                .optRandomRotation(15);
        FeatureVisualization batch = b.build().visualizeChannels("block1_conv2", 1, 3, 5);
        FeatureVisualization reordered = b.build().visualizeChannels("block1_conv2", 5, 1, 3);
        assertAllClose(reordered.image(0), batch.image(2), 1e-8, 1e-8);
        assertAllClose(reordered.image(1), batch.image(0), 1e-8, 1e-8);
        assertAllClose(b.build().visualizeChannels("block1_conv2", 3).image(0), batch.image(1), 1e-8, 1e-8);
        assertAllClose(b.optBatchSize(2).build().visualizeChannels("block1_conv2", 1, 3, 5).images(), batch.images(),
                1e-8, 1e-8);
        // The transforms change the result: they are drawn and applied.
        FeatureVisualization plain = b.optNoResampling().build().visualizeChannels("block1_conv2", 1, 3, 5);
        assertThat(plain.images().equalsWithEps(batch.images(), 1e-4)).isFalse();
    }

    @Test
    void theGlobalRandomGeneratorIsNeitherUsedNorNeeded() {
        ActivationMaximization v = ActivationMaximization.builder().setModel(VGG).optSteps(3).build();
        Nd4j.getRandom().setSeed(42);
        double next = Nd4j.getRandom().nextDouble();
        Nd4j.getRandom().setSeed(42);
        FeatureVisualization first = v.visualizeChannels("block1_conv2", 2);
        assertThat(Nd4j.getRandom().nextDouble()).isEqualTo(next);
        Nd4j.getRandom().setSeed(7);
        assertAllClose(v.visualizeChannels("block1_conv2", 2).images(), first.images(), 0, 0);
    }

    @Test
    void aListenerOrAnInterruptCancelsBetweenStepsAndBatches() {
        AtomicLong done = new AtomicLong();
        AtomicLong stopAt = new AtomicLong(6);
        ProgressListener cancelling = new ProgressListener() {
            @Override public void onProgress(String task, long d, long total) { done.set(d); }

            @Override public boolean isCancelled() { return done.get() >= stopAt.get(); }
        };
        ActivationMaximization.Builder b = ActivationMaximization.builder().setModel(VGG).optSteps(8)
                .optProgressListener(cancelling);
        // Three images per step: the check after the second step stops it.
        assertThatThrownBy(() -> b.build().visualizeChannels("block1_conv2", 1, 3, 5))
                .isInstanceOfSatisfying(ExplanationCancelledException.class, e -> {
                    assertThat(e.task()).isEqualTo("ActivationMaximization");
                    assertThat(e.done()).isEqualTo(6);
                    assertThat(e.total()).isEqualTo(3 * 8);
                });
        // Batches of two: the first batch finishes (2 x 8 units), the second is stopped before its first step.
        done.set(0);
        stopAt.set(16);
        assertThatThrownBy(() -> b.optBatchSize(2).build().visualizeChannels("block1_conv2", 1, 3, 5))
                .isInstanceOfSatisfying(ExplanationCancelledException.class, e -> assertThat(e.done()).isEqualTo(16));
        ActivationMaximization plain = ActivationMaximization.builder().setModel(VGG).optSteps(8).build();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> plain.visualizeChannels("block1_conv2", 1))
                    .isInstanceOf(ExplanationCancelledException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        // The visualizer works normally afterwards.
        assertThat(plain.visualizeChannels("block1_conv2", 1).size()).isEqualTo(1);
    }

    @Test
    void fourierParameterizationBackwardMatchesFiniteDifferences() {
        FourierImage f = new FourierImage(new long[] {3, 6, 5}, 0, 1, DataType.DOUBLE);
        SplittableRandom[] r = {new SplittableRandom(1), new SplittableRandom(2)};
        INDArray params = f.init(r).muli(30);
        FourierImage.Buffers buffers = f.buffers(2);
        INDArray weights = TestNetworks.randomImages(3, DataType.DOUBLE, 2, 3, 6, 5).subi(0.5);
        INDArray image = Nd4j.create(DataType.DOUBLE, 2, 3, 6, 5);
        f.toImage(params, buffers, image);
        INDArray grad = Nd4j.create(DataType.DOUBLE, params.shape());
        f.backward(image, weights.dup(), buffers, grad);
        INDArray flat = params.reshape(-1);
        INDArray gflat = grad.reshape(-1);
        for (long i = 0; i < flat.length(); i += 7) {
            double old = flat.getDouble(i);
            flat.putScalar(i, old + 1e-6);
            f.toImage(params, buffers, image);
            double up = image.mul(weights).sumNumber().doubleValue();
            flat.putScalar(i, old - 1e-6);
            f.toImage(params, buffers, image);
            double down = image.mul(weights).sumNumber().doubleValue();
            flat.putScalar(i, old);
            assertThat(gflat.getDouble(i)).isCloseTo((up - down) / 2e-6, org.assertj.core.data.Offset.offset(1e-7));
        }
        // A zero spectrum is the mid-gray image.
        INDArray gray = Nd4j.create(DataType.DOUBLE, 1, 3, 6, 5);
        f.toImage(Nd4j.zeros(DataType.DOUBLE, f.parameterShape(1)), f.buffers(1), gray);
        assertAllClose(gray, Nd4j.ones(DataType.DOUBLE, 1, 3, 6, 5).muli(0.5), 0, 1e-12);
    }
}
