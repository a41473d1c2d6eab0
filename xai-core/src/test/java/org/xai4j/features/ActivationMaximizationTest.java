package org.xai4j.features;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.Objective;
import org.xai4j.engine.Nd4jImageModel;
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

    private static void assertInRange(INDArray images, double low, double high) {
        assertThat(images.minNumber().doubleValue()).isGreaterThanOrEqualTo(low);
        assertThat(images.maxNumber().doubleValue()).isLessThanOrEqualTo(high);
    }

    @Test
    void fourierVisualizationIncreasesChannelObjectivesAndStaysInRange() {
        AtomicLong done = new AtomicLong();
        AtomicLong total = new AtomicLong();
        FeatureVisualization v = ActivationMaximization.builder().setModel(VGG).optSteps(32).optLearningRate(0.2)
                .optProgressListener((task, d, t) -> { done.set(d); total.set(t); }).build()
                .visualizeChannels("block2_conv1", 0, 3, 7);
        assertThat(v.images().shape()).containsExactly(3, 3, 16, 16);
        assertInRange(v.images(), 0, 1);
        INDArray random = TestNetworks.randomImages(1, DataType.FLOAT, 8, 3, 16, 16);
        for (int i = 0; i < 3; i++) {
            int c = new int[] {0, 3, 7}[i];
            INDArray randomValues = Objective.channelMean("block2_conv1", c).evaluate(VGG, random);
            // Bounded pixels and total variation cap how far a neuron of a small random network can be driven.
            assertThat(v.finalValues()[i]).as(v.toString()).isGreaterThan(1.5 * Math.max(v.initialValues()[i], 1e-3))
                    .isGreaterThan(1.5 * randomValues.maxNumber().doubleValue());
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
    }

    @Test
    void fourierParameterizationBackwardMatchesFiniteDifferences() {
        FourierImage f = new FourierImage(new long[] {3, 6, 5}, 0, 1);
        SplittableRandom[] r = {new SplittableRandom(1), new SplittableRandom(2)};
        INDArray params = f.init(r).muli(30);
        INDArray weights = TestNetworks.randomImages(3, DataType.DOUBLE, 2, 3, 6, 5).subi(0.5);
        INDArray image = f.toImage(params);
        INDArray grad = f.backward(params, image, weights);
        INDArray flat = params.reshape(-1);
        INDArray gflat = grad.reshape(-1);
        for (long i = 0; i < flat.length(); i += 7) {
            double old = flat.getDouble(i);
            flat.putScalar(i, old + 1e-6);
            double up = f.toImage(params).mul(weights).sumNumber().doubleValue();
            flat.putScalar(i, old - 1e-6);
            double down = f.toImage(params).mul(weights).sumNumber().doubleValue();
            flat.putScalar(i, old);
            assertThat(gflat.getDouble(i)).isCloseTo((up - down) / 2e-6, org.assertj.core.data.Offset.offset(1e-7));
        }
        // A zero spectrum is the mid-gray image.
        assertAllClose(f.toImage(Nd4j.zeros(DataType.DOUBLE, 1, 2, 3, 6, 3)), Nd4j.ones(DataType.DOUBLE, 1, 3, 6, 5).muli(0.5), 0, 1e-12);
    }
}
