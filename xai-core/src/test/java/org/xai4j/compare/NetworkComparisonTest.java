package org.xai4j.compare;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.testing.TestNetworks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class NetworkComparisonTest {

    private static LayerSpec conv(String name, long out, long in, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return new LayerSpec.Convolution(name, Nd4j.randn(DataType.DOUBLE, out, in, 3, 3).muli(Math.sqrt(2.0 / (9 * in))),
                Nd4j.zeros(DataType.DOUBLE, out), new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, true,
                ActivationFunction.RELU, 0);
    }

    /** Two networks sharing every layer but the last convolution (like VGGFace and VGGEmotion). */
    private static Nd4jImageModel network(String name, long lastConvSeed) {
        Nd4j.getRandom().setSeed(99);
        LayerSpec dense = new LayerSpec.Dense("out", Nd4j.randn(DataType.DOUBLE, 8, 3), null, ActivationFunction.IDENTITY, 0);
        return Nd4jImageModel.of(new NetworkSpec(name, new long[] {3, 8, 8}, List.of(
                conv("conv1", 6, 3, 1),
                new LayerSpec.Pooling("pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {0, 0}, false, false),
                conv("conv2", 8, 6, lastConvSeed),
                new LayerSpec.GlobalPooling("gap", LayerSpec.PoolingType.AVG),
                dense)), DataType.DOUBLE);
    }

    private static final Nd4jImageModel FACE = network("face", 2);
    private static final Nd4jImageModel EMOTION = network("emotion", 3);

    @Test
    void sharedLayersAgreeExactly() {
        INDArray x = TestNetworks.randomImages(1, DataType.DOUBLE, 1, 3, 8, 8);
        LayerComparison c = NetworkComparison.compare(List.of(FACE, EMOTION), x, "conv1");
        assertThat(c.spikes()[0]).containsExactly(c.spikes()[1]);
        assertThat(c.pearson()[0][1]).isCloseTo(1, within(1e-12));
        assertThat(c.spearman()[0][1]).isCloseTo(1, within(1e-12));
        assertThat(c.rankChanges()).allMatch(r -> r.shift() == 0).hasSize(6);
    }

    @Test
    void theRetrainedLayerGivesSpikesCorrelationsRankChangesAndAlignedMaps() {
        INDArray x = TestNetworks.randomImages(2, DataType.DOUBLE, 1, 3, 8, 8);
        Map<String, Nd4jImageModel> models = new LinkedHashMap<>();
        models.put("VGGFace", FACE);
        models.put("VGGEmotion", EMOTION);
        LayerComparison c = NetworkComparison.compare(models, x, "conv2");
        double[] face = FACE.activations(x, "conv2").sum(2, 3).reshape(8).toDoubleVector();
        double[] emotion = EMOTION.activations(x, "conv2").sum(2, 3).reshape(8).toDoubleVector();
        assertThat(c.spikes()[0]).containsExactly(face, within(1e-12));
        assertThat(c.spikes()[1]).containsExactly(emotion, within(1e-12));
        assertThat(c.pearson()[0][1]).isCloseTo(Correlation.pearson(face, emotion), within(1e-12)).isLessThan(0.999);
        assertThat(c.pearson()[1][0]).isCloseTo(c.pearson()[0][1], within(1e-15));
        assertThat(c.spearman()[0][0]).isCloseTo(1, within(1e-12));
        // Rank changes: sorted by magnitude, consistent with the spike vectors.
        List<RankChange> changes = c.rankChanges();
        assertThat(changes).hasSize(8);
        for (int i = 1; i < changes.size(); i++) {
            assertThat(Math.abs(changes.get(i - 1).shift())).isGreaterThanOrEqualTo(Math.abs(changes.get(i).shift()));
        }
        RankChange top = c.largestRankChanges(1).get(0);
        assertThat(top.shift()).isNotZero();
        assertThat(c.topNeurons(0, 8)[top.referenceRank()]).isEqualTo(top.neuron());
        assertThat(c.topNeurons(1, 8)[top.rank()]).isEqualTo(top.neuron());
        // Aligned maps: the two models' maps of one neuron, upsampled to 8x8 and scaled together.
        INDArray aligned = c.alignedMaps(top.neuron());
        assertThat(aligned.shape()).containsExactly(2, 8, 8);
        INDArray raw = c.maps().get(NDArrayIndex.all(), NDArrayIndex.point(top.neuron()));
        double scale = raw.maxNumber().doubleValue();
        assertAllClose(aligned, raw.div(scale), 1e-12, 1e-12);
        assertThat(c.toString()).contains("conv2", "VGGFace vs VGGEmotion", "pearson=", "spearman=", "rank");
    }

    @Test
    void correlationsMatchKnownValues() {
        double[] a = {1, 2, 3, 4, 5};
        assertThat(Correlation.pearson(a, new double[] {2, 4, 6, 8, 10})).isCloseTo(1, within(1e-12));
        assertThat(Correlation.pearson(a, new double[] {5, 4, 3, 2, 1})).isCloseTo(-1, within(1e-12));
        // Monotone but not linear: Spearman 1, Pearson below 1.
        double[] cubes = {1, 8, 27, 64, 125};
        assertThat(Correlation.spearman(a, cubes)).isCloseTo(1, within(1e-12));
        assertThat(Correlation.pearson(a, cubes)).isLessThan(0.95);
        assertThat(Correlation.averageRanks(new double[] {10, 20, 10, 30})).containsExactly(1.5, 3, 1.5, 4);
        // scipy.stats.spearmanr([1,2,2,3], [1,3,2,4]) = 0.9486832980505138
        assertThat(Correlation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4}))
                .isCloseTo(0.9486832980505138, within(1e-12));
        assertThat(Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    }

    @Test
    void badInputIsRejectedWithUsefulMessages() {
        INDArray x = TestNetworks.randomImages(3, DataType.DOUBLE, 1, 3, 8, 8);
        assertThatThrownBy(() -> NetworkComparison.compare(List.of(FACE), x, "conv2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two");
        assertThatThrownBy(() -> NetworkComparison.compare(List.of(FACE, EMOTION), x, "conv3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conv3").hasMessageContaining("conv1");
        assertThatThrownBy(() -> NetworkComparison.compare(List.of(FACE, EMOTION), x, "gap"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not spatial");
        assertThatThrownBy(() -> NetworkComparison.compare(List.of(FACE, EMOTION), x.repeat(0, 2), "conv2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch of 2");
        LayerComparison c = NetworkComparison.compare(List.of(FACE, EMOTION), x, "conv2");
        assertThatThrownBy(() -> c.topNeurons(0, 9)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 neurons");
        assertThatThrownBy(() -> c.alignedMaps(8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neuron 8");
    }
}
