package org.xai4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

/** Structural check and Keras-style renaming of VGG layouts from any source naming. */
class VggLayoutTest {

    private static final VggArchitecture A = TestData.TINY;

    /** A TINY network named like keras-vggface: conv1_1.., pool1.., flatten, fc6 + fc6/relu, .., fc8 + fc8/softmax. */
    private static List<LayerSpec> vggFaceNamed(int block4Width, int block5Convs) {
        List<LayerSpec> layers = new ArrayList<>();
        int[] widths = A.blockWidths();
        widths[3] = block4Width;
        long in = 3;
        for (int b = 0; b < 5; b++) {
            int convs = b == 4 ? block5Convs : A.convolutionsPerBlock()[b];
            for (int i = 0; i < convs; i++) {
                layers.add(new LayerSpec.Convolution("conv" + (b + 1) + "_" + (i + 1),
                        Nd4j.rand(DataType.FLOAT, widths[b], in, 3, 3), Nd4j.zeros(DataType.FLOAT, widths[b]),
                        new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, true, ActivationFunction.RELU, 0));
                in = widths[b];
            }
            layers.add(new LayerSpec.Pooling("pool" + (b + 1), LayerSpec.PoolingType.MAX, new int[] {2, 2},
                    new int[] {2, 2}, new int[] {0, 0}, false, false));
        }
        layers.add(new LayerSpec.Flatten("flatten/flatten", true));
        long units = in;
        String[] names = {"fc6", "fc7", "fc8"};
        long[] outs = {6, 6, 3};
        for (int i = 0; i < 3; i++) {
            layers.add(new LayerSpec.Dense(names[i], Nd4j.rand(DataType.FLOAT, units, outs[i]), null,
                    ActivationFunction.IDENTITY, 0));
            layers.add(new LayerSpec.Activation(names[i] + (i < 2 ? "/relu" : "/softmax"),
                    i < 2 ? ActivationFunction.RELU : ActivationFunction.SOFTMAX, 0));
            units = outs[i];
        }
        return layers;
    }

    @Test
    void renamesKerasVggFaceNamesAndMergesSeparateActivations() {
        NetworkSpec spec = new NetworkSpec("vggface", A.inputShape(), vggFaceNamed(4, 3));
        NetworkSpec renamed = VggLayout.toKerasNames(spec, A);
        List<String> names = renamed.layers().stream().map(LayerSpec::name).toList();
        assertThat(names).containsExactlyElementsOf(VggLayout.layerNames(A));
        assertThat(names).startsWith("block1_conv1", "block1_conv2", "block1_pool", "block2_conv1")
                .endsWith("block5_conv3", "block5_pool", "flatten", "fc1", "fc2", "predictions");
        LayerSpec.Dense predictions = (LayerSpec.Dense) renamed.layers().get(renamed.layers().size() - 1);
        assertThat(predictions.activation()).isEqualTo(ActivationFunction.SOFTMAX);
        assertThat(((LayerSpec.Dense) renamed.layers().get(renamed.layers().size() - 3)).activation())
                .isEqualTo(ActivationFunction.RELU);
        assertThat(VggLayout.layerNames(A.toBuilder().optNormalizedHead(true).optNumClasses(7).build()).subList(18, 22))
                .containsExactly("batch_normalization", "dropout", "flatten", "predictions");
    }

    @Test
    void wrongWidthIsReportedWithExpectedAndSourceNames() {
        NetworkSpec spec = new NetworkSpec("wide", A.inputShape(), vggFaceNamed(5, 3));
        assertThatThrownBy(() -> VggLayout.toKerasNames(spec, A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'conv4_1' in the source")
                .hasMessageContaining("should be 'block4_conv1'")
                .hasMessageContaining("3 -> 4 channels")
                .hasMessageContaining("it maps 3 -> 5 channels");
    }

    @Test
    void missingConvolutionIsReported() {
        NetworkSpec spec = new NetworkSpec("short", A.inputShape(), vggFaceNamed(4, 2));
        assertThatThrownBy(() -> VggLayout.toKerasNames(spec, A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("should be 'block5_conv3'")
                .hasMessageContaining("Pooling layer there");
    }

    @Test
    void extraLayersAndWrongInputAreReported() {
        List<LayerSpec> layers = vggFaceNamed(4, 3);
        layers.add(new LayerSpec.Identity("extra"));
        assertThatThrownBy(() -> VggLayout.toKerasNames(new NetworkSpec("extra", A.inputShape(), layers), A))
                .hasMessageContaining("[extra]");
        assertThatThrownBy(() -> VggLayout.toKerasNames(new NetworkSpec("in", new long[] {3, 64, 32},
                vggFaceNamed(4, 3)), A)).hasMessageContaining("[3, 64, 32]").hasMessageContaining("[3, 32, 32]");
    }

    @Test
    void renamePreservesEveryLayerType() {
        INDArray s = Nd4j.ones(3);
        for (LayerSpec layer : List.<LayerSpec>of(new LayerSpec.ChannelAffine("a", s, s, ActivationFunction.RELU, 0),
                new LayerSpec.ChannelOrder("o", new int[] {2, 1, 0}), new LayerSpec.Identity("i"),
                new LayerSpec.GlobalPooling("g", LayerSpec.PoolingType.AVG),
                new LayerSpec.Activation("x", ActivationFunction.TANH, 0), new LayerSpec.Flatten("f", true))) {
            LayerSpec renamed = VggLayout.rename(layer, "new");
            assertThat(renamed.name()).isEqualTo("new");
            assertThat(renamed.getClass()).isEqualTo(layer.getClass());
        }
    }
}
