package org.xai4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerKind;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;
import org.xai4j.testing.TestNetworks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The selectors on a VGG-style engine network and on described graphs (a ResNet-like network with a
 * squeeze-and-excitation branch, a dense-only network), whose {@link LayerInfo}s are what an engine reports for them.
 */
class LayerSelectorsTest {

    /** A model that only describes its layers, as {@link ImageModel#layerInfo} does; it cannot compute. */
    private static final class DescribedModel implements ImageModel {
        private final Map<String, LayerInfo> layers = new LinkedHashMap<>();

        DescribedModel add(String name, LayerKind kind, long[] shape, String... inputs) {
            layers.put(name, new LayerInfo(name, kind, shape, List.of(inputs)));
            return this;
        }

        @Override public long[] inputShape() { return new long[] {3, 32, 32}; }
        @Override public List<String> layerNames() { return new ArrayList<>(layers.keySet()); }
        @Override public LayerInfo layerInfo(String layer) { return layers.get(layer); }
        @Override public long[] layerShape(String layer) { return layers.get(layer).shape(); }
        @Override public int numClasses() { return 10; }
        @Override public DataType dataType() { return DataType.FLOAT; }
        @Override public INDArray logits(INDArray input) { throw new UnsupportedOperationException(); }
        @Override public INDArray probabilities(INDArray input) { throw new UnsupportedOperationException(); }
        @Override public INDArray activations(INDArray input, String layer) { throw new UnsupportedOperationException(); }
        @Override public Map<String, INDArray> activations(INDArray input, List<String> names) {
            throw new UnsupportedOperationException();
        }
        @Override public ObjectiveGradient gradient(INDArray input, Objective objective) {
            throw new UnsupportedOperationException();
        }
        @Override public LayerGradient layerGradient(INDArray input, Objective objective, String layer) {
            throw new UnsupportedOperationException();
        }
        @Override public void close() { }
    }

    private static long[] s(long... shape) {
        return shape;
    }

    /** Stem, one 8x8 block with a squeeze-and-excitation branch, one strided 4x4 block with a projection, a GAP head. */
    private static DescribedModel resNetLike() {
        String in = LayerInfo.MODEL_INPUT;
        return new DescribedModel()
                .add("stem_conv", LayerKind.CONVOLUTION, s(8, 16, 16), in)
                .add("stem_bn", LayerKind.NORMALIZATION, s(8, 16, 16), "stem_conv")
                .add("stem_relu", LayerKind.ACTIVATION, s(8, 16, 16), "stem_bn")
                .add("pool", LayerKind.POOLING, s(8, 8, 8), "stem_relu")
                .add("b1_conv1", LayerKind.CONVOLUTION, s(8, 8, 8), "pool")
                .add("b1_relu1", LayerKind.ACTIVATION, s(8, 8, 8), "b1_conv1")
                .add("b1_conv2", LayerKind.CONVOLUTION, s(8, 8, 8), "b1_relu1")
                .add("se_gap", LayerKind.GLOBAL_POOLING, s(8), "b1_conv2")
                .add("se_fc", LayerKind.DENSE, s(8), "se_gap")
                .add("se_scale", LayerKind.MERGE, s(8, 8, 8), "b1_conv2", "se_fc")
                .add("b1_add", LayerKind.MERGE, s(8, 8, 8), "se_scale", "pool")
                .add("b1_out", LayerKind.ACTIVATION, s(8, 8, 8), "b1_add")
                .add("b2_conv1", LayerKind.CONVOLUTION, s(16, 4, 4), "b1_out")
                .add("b2_conv2", LayerKind.CONVOLUTION, s(16, 4, 4), "b2_conv1")
                .add("b2_short", LayerKind.CONVOLUTION, s(16, 4, 4), "b1_out")
                .add("b2_add", LayerKind.MERGE, s(16, 4, 4), "b2_conv2", "b2_short")
                .add("b2_out", LayerKind.ACTIVATION, s(16, 4, 4), "b2_add")
                .add("avg_pool", LayerKind.GLOBAL_POOLING, s(16), "b2_out")
                .add("predictions", LayerKind.DENSE, s(10), "avg_pool");
    }

    @Test
    void camLayerOfAGraphIsTheBlockOutputTheHeadPoolsNotASqueezeBranch() {
        assertThat(LayerSelectors.lastSpatialLayerBeforeGlobalPooling(resNetLike())).isEqualTo("b2_out");
    }

    /** ConvNeXt's head normalizes the pooled [c, 1, 1] map before flattening: a 1x1 map is no CAM layer. */
    @Test
    void camLayerWalksPastOneByOneLayersAfterThePooling() {
        String in = LayerInfo.MODEL_INPUT;
        DescribedModel convNeXtLike = new DescribedModel()
                .add("stage", LayerKind.CONVOLUTION, s(16, 8, 8), in)
                .add("block_out", LayerKind.MERGE, s(16, 8, 8), "stage", "stage")
                .add("pool", LayerKind.POOLING, s(16, 1, 1), "block_out")
                .add("head_norm", LayerKind.NORMALIZATION, s(16, 1, 1), "pool")
                .add("flatten", LayerKind.RESHAPE, s(16), "head_norm")
                .add("fc", LayerKind.DENSE, s(10), "flatten");
        assertThat(LayerSelectors.lastSpatialLayerBeforeGlobalPooling(convNeXtLike)).isEqualTo("block_out");
        // Where every spatial layer is 1x1 there is nothing larger to find: the last one before the head, as before.
        DescribedModel pointOnly = new DescribedModel()
                .add("conv", LayerKind.CONVOLUTION, s(16, 1, 1), in)
                .add("norm", LayerKind.NORMALIZATION, s(16, 1, 1), "conv")
                .add("flatten", LayerKind.RESHAPE, s(16), "norm")
                .add("fc", LayerKind.DENSE, s(10), "flatten");
        assertThat(LayerSelectors.lastSpatialLayerBeforeGlobalPooling(pointOnly)).isEqualTo("norm");
    }

    @Test
    void convolutionsOfAGraphAreFoundByKindAndResolution() {
        DescribedModel model = resNetLike();
        assertThat(LayerSelectors.lastConvolution(model)).isEqualTo("b2_short");
        assertThat(LayerSelectors.lastConvolutionOfEachBlock(model)).containsExactly("stem_conv", "b1_conv2", "b2_short");
        assertThat(LayerSelectors.ofKind(model, LayerKind.DENSE)).containsExactly("se_fc", "predictions");
        assertThat(LayerSelectors.ofKind(model, LayerKind.GLOBAL_POOLING, LayerKind.POOLING))
                .containsExactly("pool", "se_gap", "avg_pool");
        assertThat(LayerSelectors.spatialLayers(model)).hasSize(15).doesNotContain("se_gap", "se_fc", "avg_pool");
    }

    @Test
    void vggStyleEngineNetworkGivesItsLastConvolutionNotThePoolingAfterIt() {
        try (Nd4jImageModel vgg = Nd4jImageModel.of(TestNetworks.vggStyle(1))) {
            assertThat(LayerSelectors.lastSpatialLayerBeforeGlobalPooling(vgg)).isEqualTo("block2_conv1");
            assertThat(LayerSelectors.lastConvolution(vgg)).isEqualTo("block2_conv1");
            assertThat(LayerSelectors.lastConvolutionOfEachBlock(vgg)).containsExactly("block1_conv2", "block2_conv1");
            assertThat(LayerSelectors.ofKind(vgg, LayerKind.DENSE)).containsExactly("fc1", "predictions");
        }
    }

    @Test
    void modelsWithoutConvolutionsOrSpatialLayersAreRefusedNamingTheirLayers() {
        DescribedModel dense = new DescribedModel()
                .add("flatten", LayerKind.RESHAPE, s(3 * 32 * 32), LayerInfo.MODEL_INPUT)
                .add("fc", LayerKind.DENSE, s(10), "flatten");
        assertThatThrownBy(() -> LayerSelectors.lastConvolution(dense)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no convolution").hasMessageContaining("fc (DENSE)");
        assertThatThrownBy(() -> LayerSelectors.lastSpatialLayerBeforeGlobalPooling(dense))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no spatial layer");
        assertThatThrownBy(() -> LayerSelectors.lastConvolutionOfEachBlock(null)).isInstanceOf(NullPointerException.class);
    }
}
