package org.xai4j.onednn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Objective;
import org.xai4j.engine.spi.KernelProvider;
import org.xai4j.testing.TestNetworks;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The engine with this module on its class path: float32 models run their convolutions, pooling and ReLU-family
 * activations on oneDNN, and their values and input gradients agree with the same network in float64, which runs
 * ND4J's own kernels.
 */
class OneDnnEngineTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(KernelProvider.PROPERTY);
    }

    @Test
    void floatModelsRunEveryConvolutionPoolingAndReluOnOneDnn() {
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.resNetStyle(5, ActivationFunction.RELU),
                DataType.FLOAT)) {
            // Six convolutions, the stem's max pooling, and five ReLUs; the softmax stays with ND4J.
            assertThat(model.kernelImplementations()).hasSize(13)
                    .containsEntry("predictions", "nd4j")
                    .allSatisfy((variable, implementation) -> assertThat(implementation)
                            .startsWith(variable.equals("predictions") ? "nd4j" : "oneDNN 3."));
        }
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.resNetStyle(5, ActivationFunction.RELU),
                DataType.DOUBLE)) {
            assertThat(model.kernelImplementations().values()).allMatch(i -> i.startsWith("nd4j"));
        }
    }

    @Test
    void gradientsAgreeWithTheDoublePrecisionNetwork() {
        // Max pooling and ReLU (VGG, ResNet), tanh blocks, and tanh, sigmoid and average pooling (smooth).
        for (NetworkSpec spec : List.of(TestNetworks.vggStyle(3), TestNetworks.resNetStyle(4, ActivationFunction.RELU),
                TestNetworks.resNetStyle(6, ActivationFunction.TANH), TestNetworks.smooth(5))) {
            long[] shape = spec.inputShape();
            INDArray x = TestNetworks.randomImages(9, DataType.DOUBLE, 3, shape[0], shape[1], shape[2]);
            String convolution = spec.layers().get(spec.layers().get(0) instanceof
                    org.xai4j.engine.LayerSpec.ZeroPadding ? 1 : 0).name();
            List<Objective> objectives = List.of(Objective.classLogit(1, 2, 3),
                    Objective.channelMean(convolution, 2), Objective.channelMean(convolution, 0, 1, 2));
            try (Nd4jImageModel single = Nd4jImageModel.of(spec, DataType.FLOAT);
                 Nd4jImageModel reference = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
                assertAllClose(single.logits(x.castTo(DataType.FLOAT)), reference.logits(x), 1e-4, 1e-5);
                for (Objective objective : objectives) {
                    INDArray expected = reference.gradient(x, objective).inputGradient();
                    INDArray actual = single.gradient(x.castTo(DataType.FLOAT), objective).inputGradient();
                    double scale = expected.amaxNumber().doubleValue();
                    assertAllClose(actual, expected, 1e-3, 1e-5 * scale);
                }
            }
        }
    }

    /**
     * Every way a pooling layer places its padding, against ND4J's float64 ops: SAME on odd and even sizes (padding
     * after only, or on both sides), explicit padding, and both average divisors, forward and input gradient.
     */
    @Test
    void poolingPaddingAndDivisorsAgreeWithTheDoublePrecisionNetwork() {
        java.util.Random random = new java.util.Random(23);
        NetworkSpec spec = NetworkSpec.graph("pooling_modes", 3, 11, 10)
                .add(TestNetworks.convolution(random, "conv", 3, 6, 3, 1, 0, true, ActivationFunction.TANH))
                .add(new LayerSpec.Pooling("max_same", LayerSpec.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2},
                        new int[] {0, 0}, true, false))
                .add(new LayerSpec.Pooling("avg_same_excluding", LayerSpec.PoolingType.AVG, new int[] {3, 3},
                        new int[] {1, 1}, new int[] {0, 0}, true, false), "conv")
                .add(new LayerSpec.Pooling("avg_same_including", LayerSpec.PoolingType.AVG, new int[] {2, 2},
                        new int[] {2, 2}, new int[] {0, 0}, true, true), "avg_same_excluding")
                .add(new LayerSpec.Pooling("max_padded", LayerSpec.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2},
                        new int[] {1, 1}, false, false), "conv")
                .add(new LayerSpec.Pooling("avg_padded_including", LayerSpec.PoolingType.AVG, new int[] {3, 3},
                        new int[] {2, 2}, new int[] {1, 1}, false, true), "conv")
                .add(new LayerSpec.Flatten("max_same/flatten", false), "max_same")
                .add(new LayerSpec.Flatten("avg_same_including/flatten", false), "avg_same_including")
                .add(new LayerSpec.Flatten("max_padded/flatten", false), "max_padded")
                .add(new LayerSpec.Flatten("avg_padded_including/flatten", false), "avg_padded_including")
                .add(new LayerSpec.Concat("features"), "max_same/flatten", "avg_same_including/flatten",
                        "max_padded/flatten", "avg_padded_including/flatten")
                .add(TestNetworks.dense(random, "predictions", 6 * (6 * 5 + 6 * 5 + 6 * 5 + 6 * 5), 4,
                        ActivationFunction.IDENTITY))
                .build();
        INDArray x = TestNetworks.randomImages(29, DataType.DOUBLE, 2, 3, 11, 10);
        try (Nd4jImageModel single = Nd4jImageModel.of(spec, DataType.FLOAT);
             Nd4jImageModel reference = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
            assertThat(single.kernelImplementations()).hasEntrySatisfying("avg_same_including",
                    implementation -> assertThat(implementation).startsWith("oneDNN 3."));
            assertAllClose(single.logits(x.castTo(DataType.FLOAT)), reference.logits(x), 1e-4, 1e-5);
            for (int logit = 0; logit < 4; logit++) {
                INDArray expected = reference.gradient(x, Objective.classLogit(logit)).inputGradient();
                INDArray actual = single.gradient(x.castTo(DataType.FLOAT), Objective.classLogit(logit))
                        .inputGradient();
                assertAllClose(actual, expected, 1e-3, 1e-5 * expected.amaxNumber().doubleValue());
            }
        }
    }

    /**
     * A VGG16 block5-sized layer (14x14, 512 channels), where the provider chooses Winograd on every instruction set,
     * inside a network: logits and input gradients through it (its backward correlation included) against float64.
     */
    @Test
    void winogradLayersAgreeWithTheDoublePrecisionNetwork() {
        java.util.Random random = new java.util.Random(31);
        NetworkSpec spec = new NetworkSpec("winograd", new long[] {4, 14, 14}, List.of(
                TestNetworks.convolution(random, "conv1", 4, 512, 3, 1, 0, true, ActivationFunction.RELU),
                TestNetworks.convolution(random, "conv2", 512, 512, 3, 1, 0, true, ActivationFunction.RELU),
                new LayerSpec.GlobalPooling("gap", LayerSpec.PoolingType.AVG),
                TestNetworks.dense(random, "out", 512, 3, ActivationFunction.IDENTITY)));
        INDArray x = TestNetworks.randomImages(37, DataType.DOUBLE, 2, 4, 14, 14);
        try (Nd4jImageModel single = Nd4jImageModel.of(spec, DataType.FLOAT);
             Nd4jImageModel reference = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
            // A convolution with a fused activation writes <layer>/linear; the activation writes <layer>.
            assertThat(single.kernelImplementations()).hasEntrySatisfying("conv2/linear",
                    implementation -> assertThat(implementation).startsWith("Winograd F(4x4,3x3), oneDNN 3."));
            assertThat(single.kernelImplementations().get("conv1/linear")).startsWith("oneDNN 3.");
            assertAllClose(single.logits(x.castTo(DataType.FLOAT)), reference.logits(x), 1e-4, 1e-5);
            for (Objective objective : List.of(Objective.classLogit(0), Objective.classLogit(2),
                    Objective.channelMean("conv2", 7))) {
                INDArray expected = reference.gradient(x, objective).inputGradient();
                INDArray actual = single.gradient(x.castTo(DataType.FLOAT), objective).inputGradient();
                assertAllClose(actual, expected, 1e-3, 1e-5 * expected.amaxNumber().doubleValue());
            }
        }
    }

    @Test
    void thePropertyChoosesNd4jAndBothAgree() {
        NetworkSpec spec = TestNetworks.resNetStyle(8, ActivationFunction.RELU);
        INDArray x = TestNetworks.randomImages(2, DataType.FLOAT, 2, 3, 18, 14);
        Objective objective = Objective.classLogit(4);
        INDArray viaOneDnn;
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.FLOAT)) {
            viaOneDnn = model.gradient(x, objective).inputGradient();
        }
        System.setProperty(KernelProvider.PROPERTY, "nd4j");
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.FLOAT)) {
            assertThat(model.kernelImplementations().values()).allMatch(i -> i.startsWith("nd4j"));
            assertAllClose(model.gradient(x, objective).inputGradient(), viaOneDnn, 1e-4,
                    1e-6 * viaOneDnn.amaxNumber().doubleValue());
        }
        System.setProperty(KernelProvider.PROPERTY, OneDnnKernels.NAME);
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.FLOAT)) {
            assertThat(model.kernelImplementations()).containsKey("stem_pool")
                    .allSatisfy((variable, implementation) -> assertThat(implementation)
                            .startsWith(variable.equals("predictions") ? "nd4j" : "oneDNN"));
        }
    }

    @Test
    void anUnknownChoiceIsRefusedWithTheChoicesThereAre() {
        System.setProperty(KernelProvider.PROPERTY, "cudnn");
        assertThatThrownBy(() -> Nd4jImageModel.of(TestNetworks.vggStyle(1), DataType.FLOAT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xai4j.kernels=cudnn").hasMessageContaining("[nd4j, onednn]");
    }
}
