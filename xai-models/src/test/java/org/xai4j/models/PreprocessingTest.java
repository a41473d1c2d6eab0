package org.xai4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;

/** Embedded preprocessing: same outputs as preprocessing by hand, and pixel-space gradients by the chain rule. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreprocessingTest {

    private NetworkSpec raw;
    private INDArray pixels;

    @BeforeAll
    void setUp() {
        NetworkSpec converted = Dl4jNetworks.toSpec(TestData.tinyMultiLayerNetwork(7), "tiny",
                TestData.TINY.inputShape());
        raw = VggLayout.toKerasNames(converted, TestData.TINY);
        Nd4j.getRandom().setSeed(3);
        pixels = Nd4j.rand(DataType.DOUBLE, 2, 3, 32, 32);
    }

    /** x * 255, RGB -> BGR, minus the BGR means, written out element by element. */
    private static INDArray byHand(INDArray rgb, double[] meanBgr) {
        INDArray out = Nd4j.create(DataType.DOUBLE, rgb.shape());
        for (int n = 0; n < rgb.size(0); n++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < rgb.size(2); y++) {
                    for (int x = 0; x < rgb.size(3); x++) {
                        out.putScalar(new long[] {n, c, y, x}, rgb.getDouble(n, 2 - c, y, x) * 255.0 - meanBgr[c]);
                    }
                }
            }
        }
        return out;
    }

    private Nd4jImageModel embedded(Preprocessing p) {
        return Nd4jImageModel.of(p.prependTo(raw), DataType.DOUBLE);
    }

    @Test
    void prependingRewiresEveryReaderOfTheModelInputInAGraph() {
        INDArray w = Nd4j.ones(DataType.DOUBLE, 2, 3, 1, 1);
        NetworkSpec branches = NetworkSpec.graph("branches", 3, 4, 4)
                .add(new LayerSpec.Convolution("left", w, null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                        false, org.xai4j.engine.ActivationFunction.IDENTITY, 0), LayerInfo.MODEL_INPUT)
                .add(new LayerSpec.Convolution("right", w, null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                        false, org.xai4j.engine.ActivationFunction.IDENTITY, 0), LayerInfo.MODEL_INPUT)
                .add(new LayerSpec.ElementWise("sum", LayerSpec.ElementWiseOp.ADD), "left", "right")
                .build();
        NetworkSpec pixels = Preprocessing.VGGFACE.prependTo(branches);
        assertThat(pixels.layers().stream().map(LayerSpec::name))
                .containsExactly("preprocessing_bgr", "preprocessing_affine", "left", "right", "sum");
        assertThat(pixels.inputsOf("preprocessing_bgr")).containsExactly(LayerInfo.MODEL_INPUT);
        assertThat(pixels.inputsOf("left")).containsExactly("preprocessing_affine");
        assertThat(pixels.inputsOf("right")).containsExactly("preprocessing_affine");
        assertThat(pixels.inputsOf("sum")).containsExactly("left", "right");
        assertThat(Preprocessing.UNIT.prependTo(branches)).isSameAs(branches);
    }

    @Test
    void meansAreTheKerasAndKerasVggFaceV1Values() {
        assertThat(Preprocessing.CAFFE_IMAGENET.channelMeans()).containsExactly(103.939, 116.779, 123.68);
        assertThat(Preprocessing.VGGFACE.channelMeans()).containsExactly(93.5940, 104.7624, 129.1863);
        assertThat(Preprocessing.VGGFACE.scale()).isEqualTo(255.0);
        assertThat(Preprocessing.VGGFACE.swapsToBgr()).isTrue();
        assertThat(Preprocessing.UNIT.layers()).isEmpty();
        assertThat(Preprocessing.NONE.layers()).isEmpty();
        assertThat(Preprocessing.UNIT.apply(pixels)).isSameAs(pixels);
    }

    @Test
    void applyEqualsPreprocessingByHand() {
        for (Preprocessing p : List.of(Preprocessing.CAFFE_IMAGENET, Preprocessing.VGGFACE)) {
            assertThat(TestData.maxAbsDiff(p.apply(pixels), byHand(pixels, p.channelMeans()))).isLessThan(1e-9);
        }
        assertThatThrownBy(() -> Preprocessing.VGGFACE.apply(Nd4j.rand(DataType.DOUBLE, 1, 1, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 RGB channels");
    }

    @Test
    void embeddedPreprocessingGivesTheRawNetworkOutputsOnHandPreprocessedInput() {
        Nd4jImageModel rawModel = Nd4jImageModel.of(raw, DataType.DOUBLE);
        for (Preprocessing p : List.of(Preprocessing.CAFFE_IMAGENET, Preprocessing.VGGFACE)) {
            Nd4jImageModel model = embedded(p);
            assertThat(model.layerNames().subList(0, 3))
                    .containsExactly("preprocessing_bgr", "preprocessing_affine", "block1_conv1");
            INDArray expected = rawModel.logits(byHand(pixels, p.channelMeans()));
            INDArray actual = model.logits(pixels);
            assertThat(expected.amaxNumber().doubleValue()).isGreaterThan(1e-3);
            assertThat(TestData.maxAbsDiff(actual, expected)).isLessThan(1e-9 * (1 + expected.amaxNumber().doubleValue()));
            INDArray expectedConv = rawModel.activations(byHand(pixels, p.channelMeans()), "block5_conv3");
            assertThat(TestData.maxAbsDiff(model.activations(pixels, "block5_conv3"), expectedConv)).isLessThan(1e-9);
        }
    }

    @Test
    void pixelGradientIsTheChainRuleOfTheModelInputGradient() {
        Nd4jImageModel rawModel = Nd4jImageModel.of(raw, DataType.DOUBLE);
        Preprocessing p = Preprocessing.VGGFACE;
        Nd4jImageModel model = embedded(p);
        Objective objective = Objective.classLogit(1, 2);
        ObjectiveGradient modelSpace = rawModel.gradient(byHand(pixels, p.channelMeans()), objective);
        ObjectiveGradient pixelSpace = model.gradient(pixels, objective);
        // d/d pixel[c] = 255 * d/d model[2 - c]
        INDArray expected = Nd4j.create(DataType.DOUBLE, pixels.shape());
        for (int c = 0; c < 3; c++) {
            expected.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .assign(modelSpace.inputGradient().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(2 - c)).mul(255.0));
        }
        double scale = expected.amaxNumber().doubleValue();
        assertThat(scale).isGreaterThan(0);
        assertThat(TestData.maxAbsDiff(pixelSpace.inputGradient(), expected)).isLessThan(1e-9 * scale);
        assertThat(TestData.maxAbsDiff(pixelSpace.values(), modelSpace.values())).isLessThan(1e-9);
    }
}
