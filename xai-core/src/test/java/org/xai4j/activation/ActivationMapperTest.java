package org.xai4j.activation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.ActivationMapper;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class ActivationMapperTest {

    private static final NetworkSpec GAP_NET = TestNetworks.globalAveragePooling(7);
    private static final Nd4jImageModel GAP = Nd4jImageModel.of(GAP_NET, DataType.DOUBLE);
    /** The head's weights {@code [6, 3]}. */
    private static final INDArray HEAD = ((LayerSpec.Dense) GAP_NET.layers().get(3)).weights().castTo(DataType.DOUBLE);
    private static final Nd4jImageModel VGG = Nd4jImageModel.of(
            TestNetworks.vggStyle(3).withName("vgg"), DataType.DOUBLE);

    /** The class activation map of Zhou et al. 2016: sum_k W[k, c] A_k, per image. */
    private static INDArray cam(INDArray x, int[] targets) {
        INDArray a = GAP.activations(x, "conv2");
        INDArray w = HEAD; // [6, 3]
        INDArray cam = Nd4j.zeros(DataType.DOUBLE, a.size(0), a.size(2), a.size(3));
        for (int i = 0; i < a.size(0); i++) {
            for (int k = 0; k < a.size(1); k++) {
                cam.get(NDArrayIndex.point(i)).addi(a.get(NDArrayIndex.point(i), NDArrayIndex.point(k))
                        .mul(w.getDouble(k, targets[i])));
            }
        }
        return cam;
    }

    @Test
    void gradCamOfAGlobalAveragePoolingNetworkIsTheCamOfZhouEtAl() {
        INDArray x = TestNetworks.randomImages(1, DataType.DOUBLE, 3, 3, 10, 10);
        int[] targets = {0, 2, 1};
        INDArray cam = cam(x, targets);
        ActivationMap noRelu = GradCam.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, targets);
        assertAllClose(noRelu.raw(), cam.div(100), 1e-9, 1e-12);   // alpha_k = W[k, c] / (h w)
        ActivationMap map = GradCam.builder().setModel(GAP).optLayer("conv2").build().map(x, targets);
        INDArray reluCam = Transforms.relu(cam, true);
        assertAllClose(map.raw(), reluCam.div(100), 1e-9, 1e-12);
        // Same resolution as the input: upsampling is the identity, so the maps are the min-max normalized CAM.
        assertAllClose(map.maps(), Heatmaps.normalize(reluCam, Normalization.MIN_MAX), 1e-9, 1e-12);
        assertThat(map.toString()).contains("GradCam", "conv2", "ClassLogit[0, 2, 1]", "MIN_MAX");
    }

    @Test
    void layerCamAndGradCamPlusPlusMatchTheirClosedFormsOnAGlobalAveragePoolingNetwork() {
        INDArray x = TestNetworks.randomImages(2, DataType.DOUBLE, 2, 3, 10, 10);
        INDArray a = GAP.activations(x, "conv2");
        INDArray w = HEAD;
        INDArray layerCam = Nd4j.zeros(DataType.DOUBLE, 2, 10, 10);
        INDArray plusPlus = Nd4j.zeros(DataType.DOUBLE, 2, 10, 10);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 6; k++) {
                INDArray ak = a.get(NDArrayIndex.point(i), NDArrayIndex.point(k));
                double g = w.getDouble(k, 1) / 100;
                layerCam.get(NDArrayIndex.point(i)).addi(ak.mul(Math.max(g, 0)));
                double sumA = ak.sumNumber().doubleValue();
                // pytorch-grad-cam's 1e-6: with g = W / 100 it changes alpha by about 1%.
                double alpha = g * g / (2 * g * g + sumA * g * g * g + 1e-6);
                plusPlus.get(NDArrayIndex.point(i)).addi(ak.mul(100 * Math.max(g, 0) * alpha));
            }
        }
        assertAllClose(LayerCam.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, 1).raw(),
                layerCam, 1e-9, 1e-12);
        assertAllClose(GradCamPlusPlus.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, 1).raw(),
                plusPlus, 1e-9, 1e-12);
    }

    @Test
    void everyCamIsNormalizedDeterministicAndAgreesBetweenBatchAndSingleImages() {
        INDArray x = TestNetworks.randomImages(3, DataType.DOUBLE, 3, 3, 16, 16);
        int[] targets = {4, 0, 2};
        List<ActivationMapper> mappers = List.of(
                GradCam.builder().setModel(VGG).optLayer("block2_conv1").build(),
                GradCamPlusPlus.builder().setModel(VGG).optLayer("block2_conv1").build(),
                LayerCam.builder().setModel(VGG).optLayer("block1_conv2").build(),
                ScoreCam.builder().setModel(VGG).optLayer("block2_conv1").optBatchSize(3).build(),
                NeuronActivations.builder().setModel(VGG).setLayer("block2_conv1").build());
        for (ActivationMapper mapper : mappers) {
            ActivationMap batch = mapper.map(x, targets);
            assertThat(batch.maps().shape()).as(mapper.toString()).containsExactly(3, 16, 16);
            INDArray maps = batch.maps();
            assertThat(maps.minNumber().doubleValue()).as(mapper.toString()).isGreaterThanOrEqualTo(0);
            assertThat(maps.maxNumber().doubleValue()).as(mapper.toString()).isLessThanOrEqualTo(1);
            assertThat(Double.isNaN(maps.sumNumber().doubleValue())).isFalse();
            assertAllClose(mapper.map(x, targets).maps(), maps, 0, 0);
            for (int i = 0; i < 3; i++) {
                ActivationMap single = mapper.map(x.get(NDArrayIndex.interval(i, i + 1)), targets[i]);
                assertAllClose(single.map(0), batch.map(i), 1e-9, 1e-9);
            }
        }
    }

    @Test
    void scoreCamDoesNotDependOnItsBatchSizeAndWeighsChannelsByMaskedScores() {
        INDArray x = TestNetworks.randomImages(4, DataType.DOUBLE, 2, 3, 10, 10);
        for (ScoreCam.Variant variant : ScoreCam.Variant.values()) {
            INDArray one = ScoreCam.builder().setModel(GAP).optLayer("conv2").optVariant(variant).optBatchSize(1)
                    .optRelu(false).build().map(x, 1).raw();
            INDArray all = ScoreCam.builder().setModel(GAP).optLayer("conv2").optVariant(variant).optBatchSize(64)
                    .optRelu(false).build().map(x, 1).raw();
            assertAllClose(one, all, 1e-9, 1e-12);
        }
        // Hand computation for image 0, channel by channel; the layer has the input's size, so no resizing.
        INDArray a = GAP.activations(x, "conv2");
        INDArray image = x.get(NDArrayIndex.interval(0, 1));
        double baseline = GAP.probabilities(Nd4j.zeros(DataType.DOUBLE, 1, 3, 10, 10)).getDouble(0, 1);
        INDArray paper = Nd4j.zeros(DataType.DOUBLE, 10, 10);
        double[] logits = new double[6];
        for (int k = 0; k < 6; k++) {
            INDArray ak = a.get(NDArrayIndex.interval(0, 1), NDArrayIndex.point(k));
            INDArray mask = Heatmaps.normalize(ak, Normalization.MIN_MAX);
            double score = GAP.probabilities(image.mul(mask.reshape(1, 1, 10, 10).broadcast(1, 3, 10, 10))).getDouble(0, 1);
            paper.addi(a.get(NDArrayIndex.point(0), NDArrayIndex.point(k)).mul(score - baseline));
            double min = ak.minNumber().doubleValue();
            INDArray libraryMask = ak.sub(min).divi(ak.maxNumber().doubleValue() - min + 1e-8);
            logits[k] = GAP.logits(image.mul(libraryMask.reshape(1, 1, 10, 10).broadcast(1, 3, 10, 10))).getDouble(0, 1);
        }
        double max = java.util.Arrays.stream(logits).max().orElseThrow();
        double total = java.util.Arrays.stream(logits).map(l -> Math.exp(l - max)).sum();
        INDArray library = Nd4j.zeros(DataType.DOUBLE, 10, 10);
        for (int k = 0; k < 6; k++) {
            library.addi(a.get(NDArrayIndex.point(0), NDArrayIndex.point(k)).mul(Math.exp(logits[k] - max) / total));
        }
        assertAllClose(ScoreCam.builder().setModel(GAP).optLayer("conv2").optVariant(ScoreCam.Variant.PAPER)
                .optRelu(false).build().map(x, 1).raw().get(NDArrayIndex.point(0)), paper, 1e-9, 1e-12);
        assertAllClose(ScoreCam.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, 1).raw()
                .get(NDArrayIndex.point(0)), library, 1e-9, 1e-12);
    }

    @Test
    void neuronActivationsGiveSpikesTopKAndUpsampledMaps() {
        INDArray x = TestNetworks.randomImages(5, DataType.DOUBLE, 2, 3, 16, 16);
        NeuronActivations mapper = NeuronActivations.builder().setModel(VGG).setLayer("block2_conv1").build();
        LayerActivations acts = mapper.activations(x);
        INDArray raw = VGG.activations(x, "block2_conv1");          // [2, 8, 8, 8]
        assertAllClose(acts.spikes(), raw.sum(2, 3), 1e-12, 1e-12);
        int[] top = acts.topK(1, 8);
        double[] spikes = acts.spikes(1);
        for (int i = 1; i < top.length; i++) {
            assertThat(spikes[top[i - 1]]).isGreaterThanOrEqualTo(spikes[top[i]]);
        }
        assertThat(acts.topK(1, 3)).containsExactly(top[0], top[1], top[2]);
        INDArray expected = Heatmaps.upsample(raw.get(NDArrayIndex.interval(1, 2), NDArrayIndex.interval(top[0], top[0] + 1)), 16, 16)
                .reshape(16, 16);
        assertAllClose(acts.map(1, top[0]), expected, 1e-12, 1e-12);
        assertAllClose(acts.maps(1).get(NDArrayIndex.point(top[0])), expected, 1e-12, 1e-12);
        // With no neuron given, the mapper shows each image's top-spike neuron.
        ActivationMap auto = mapper.map(x);
        assertAllClose(auto.map(1), Heatmaps.normalize(expected.reshape(1, 16, 16), Normalization.MIN_MAX).reshape(16, 16),
                1e-12, 1e-12);
        assertThat(acts.toString()).contains("block2_conv1", "neurons=8", "#" + top[0]);
    }

    @Test
    void bilinearUpsamplingUsesHalfPixelCentersAndNormalizationNeverGivesNaN() {
        INDArray row = Nd4j.create(new double[] {0, 1}, new long[] {1, 1, 2});
        assertAllClose(Heatmaps.upsample(row, 1, 4), Nd4j.create(new double[] {0, 0.25, 0.75, 1}, new long[] {1, 1, 4}),
                1e-12, 1e-12);
        INDArray x = TestNetworks.randomImages(6, DataType.DOUBLE, 2, 3, 5, 7);
        assertAllClose(Heatmaps.upsample(x, 5, 7), x, 1e-12, 1e-12);
        assertAllClose(Heatmaps.upsample(Nd4j.ones(DataType.DOUBLE, 1, 3, 3).muli(2), 9, 6),
                Nd4j.ones(DataType.DOUBLE, 1, 9, 6).muli(2), 1e-12, 1e-12);
        for (Normalization n : Normalization.values()) {
            assertAllClose(Heatmaps.normalize(Nd4j.zeros(DataType.DOUBLE, 2, 4, 4), n), Nd4j.zeros(DataType.DOUBLE, 2, 4, 4), 0, 0);
        }
        assertAllClose(Heatmaps.normalize(Nd4j.ones(DataType.DOUBLE, 1, 2, 2), Normalization.MIN_MAX),
                Nd4j.zeros(DataType.DOUBLE, 1, 2, 2), 0, 0);
        INDArray m = Nd4j.create(new double[] {-2, 0, 1, 2}, new long[] {1, 2, 2});
        assertAllClose(Heatmaps.normalize(m, Normalization.MIN_MAX), Nd4j.create(new double[] {0, 0.5, 0.75, 1}, new long[] {1, 2, 2}), 1e-12, 0);
        assertAllClose(Heatmaps.normalize(m, Normalization.MAX_ABS), Nd4j.create(new double[] {-1, 0, 0.5, 1}, new long[] {1, 2, 2}), 1e-12, 0);
    }

    @Test
    void badInputIsRejectedWithUsefulMessages() {
        assertThatThrownBy(() -> GradCam.builder().setModel(VGG).optLayer("nope").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope").hasMessageContaining("block1_conv1");
        assertThatThrownBy(() -> ScoreCam.builder().setModel(VGG).optLayer("fc1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fc1").hasMessageContaining("spatial");
        assertThatThrownBy(() -> NeuronActivations.builder().setModel(GAP).setLayer("gap").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap").hasMessageContaining("spatial");
        INDArray x = TestNetworks.randomImages(7, DataType.DOUBLE, 1, 3, 16, 16);
        LayerActivations acts = NeuronActivations.builder().setModel(VGG).setLayer("block2_conv1").build().activations(x);
        assertThatThrownBy(() -> acts.topK(0, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k = 9").hasMessageContaining("8 neurons");
        assertThatThrownBy(() -> NeuronActivations.builder().setModel(VGG).setLayer("block2_conv1").build().map(x, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 8");
        assertThatThrownBy(() -> GradCam.builder().setModel(VGG).optLayer("block2_conv1").build().map(x, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target class 5");
        assertThatThrownBy(() -> NeuronActivations.builder().setModel(VGG).setLayer("block2_conv1").build().map(x, Objective.classLogit(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel objective");
    }
}
