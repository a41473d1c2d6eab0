package org.xai4j.guided;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.activation.GradCam;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.io.Npy;
import org.xai4j.testing.FiniteDifferences;
import org.xai4j.testing.TestNetworks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * Guided backpropagation, deconvolution and Guided Grad-CAM on closed forms: without ReLUs both overrides are the
 * gradient (checked against finite differences), on a one-hidden-layer ReLU network they are the hand-computed
 * {@code W1 (mask * relu(g))} and {@code W1 relu(g)}, and Guided Grad-CAM is guided backpropagation times the
 * nearest-neighbor upsampling of the Grad-CAM map of {@link GradCam} (an independently tested method), with PyTorch's
 * nearest rule checked on a fixture written by {@code make_rule_references.py}.
 */
class GuidedClosedFormTest {

    @Test
    void withoutReluBothOverridesAreTheGradient() {
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.smooth(11), DataType.DOUBLE)) {
            INDArray x = TestNetworks.randomImages(3, DataType.DOUBLE, 2, 3, 12, 12);
            Objective objective = Objective.classLogit(1, 3);
            INDArray numeric = FiniteDifferences.inputGradient(model, x, objective);
            INDArray guided = GuidedBackprop.builder().setModel(model).build().attribute(x, objective).values();
            INDArray deconvolution = Deconvolution.builder().setModel(model).build().attribute(x, objective).values();
            // Central differences with step 1e-6 in double: truncation and rounding errors near 1e-8.
            assertAllClose(guided, numeric, 1e-5, 1e-7);
            assertAllClose(deconvolution, numeric, 1e-5, 1e-7);
        }
    }

    @Test
    void oneHiddenReluLayerHasTheClosedForm() {
        // x (4 values) -> z = W1^T x + b1 (3 hidden ReLUs) -> W2^T relu(z): two hidden units active, one not, and the
        // target's weights of both signs, so that the mask and the relu of the gradient both matter.
        double[][] w1 = {{1.0, -0.5, 0.3}, {0.2, 0.4, -1.0}, {-0.7, 0.1, 0.5}, {0.6, -0.3, 0.2}};
        double[] b1 = {0.1, -2.0, 0.2};
        double[][] w2 = {{0.8, -0.4}, {-0.9, 0.7}, {-0.6, 0.3}};
        double[] x = {0.5, 0.2, 0.1, 0.9};
        int target = 0;
        NetworkSpec spec = new NetworkSpec("mlp", new long[] {1, 2, 2}, List.of(
                new LayerSpec.Flatten("flatten", false),
                new LayerSpec.Dense("hidden", Nd4j.createFromArray(w1), Nd4j.createFromArray(b1),
                        ActivationFunction.RELU, 0),
                new LayerSpec.Dense("out", Nd4j.createFromArray(w2), Nd4j.zeros(DataType.DOUBLE, 2),
                        ActivationFunction.IDENTITY, 0)));
        double[] guided = new double[4];
        double[] deconvolution = new double[4];
        int active = 0;
        for (int j = 0; j < 3; j++) {
            double z = b1[j];
            for (int i = 0; i < 4; i++) {
                z += w1[i][j] * x[i];
            }
            double g = Math.max(w2[j][target], 0);
            active += z > 0 ? 1 : 0;
            for (int i = 0; i < 4; i++) {
                guided[i] += w1[i][j] * (z > 0 ? g : 0);
                deconvolution[i] += w1[i][j] * g;
            }
        }
        assertThat(active).as("hidden units active").isEqualTo(2);
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
            INDArray input = Nd4j.create(x, new long[] {1, 1, 2, 2}, DataType.DOUBLE);
            assertAllClose(GuidedBackprop.builder().setModel(model).build().attribute(input, target).values(),
                    Nd4j.create(guided, new long[] {1, 1, 2, 2}, DataType.DOUBLE), 1e-12, 1e-12);
            assertAllClose(Deconvolution.builder().setModel(model).build().attribute(input, target).values(),
                    Nd4j.create(deconvolution, new long[] {1, 1, 2, 2}, DataType.DOUBLE), 1e-12, 1e-12);
        }
    }

    @Test
    void guidedGradCamIsGuidedBackpropTimesTheUpsampledGradCam() {
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.vggStyle(5), DataType.DOUBLE)) {
            INDArray x = TestNetworks.randomImages(8, DataType.DOUBLE, 2, 3, 16, 16);
            int[] targets = {2, 4};
            INDArray guided = GuidedBackprop.builder().setModel(model).build().attribute(x, targets).values();
            // 12x12 to 16x16 (a non-integer ratio) and 4x4 to 16x16.
            for (String layer : List.of("block1_conv2", "block2_conv1")) {
                INDArray cam = GradCam.builder().setModel(model).optLayer(layer).build().map(x, targets).raw();
                INDArray upsampled = GuidedGradCam.nearest(cam, 16, 16);
                INDArray expected = guided.mul(upsampled.reshape(2, 1, 16, 16).broadcast(2, 3, 16, 16));
                GuidedGradCam method = GuidedGradCam.builder().setModel(model).optLayer(layer).build();
                assertThat(method.layer()).isEqualTo(layer);
                INDArray actual = method.attribute(x, targets).values();
                assertThat(actual.shape()).containsExactly(x.shape());
                assertThat(expected.amaxNumber().doubleValue()).as("a map that is not all zero").isGreaterThan(0);
                assertAllClose(actual, expected, 1e-10, 1e-12);
            }
        }
    }

    @Test
    void nearestUpsamplingIsPytorchs() throws IOException {
        INDArray source = fixture("nearest_in").reshape(3, 5).reshape(1, 3, 5);
        for (String size : List.of("7x11", "16x16", "2x3")) {
            INDArray expected = fixture("nearest_" + size);
            INDArray actual = GuidedGradCam.nearest(source, expected.size(2), expected.size(3));
            assertAllClose(actual.reshape(expected.shape()), expected, 0, 0);
        }
    }

    @Test
    void refusesModelsOtherThanTheEngineAndBadLayers() {
        ImageModel other = (ImageModel) Proxy.newProxyInstance(ImageModel.class.getClassLoader(),
                new Class<?>[] {ImageModel.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        assertThatThrownBy(() -> GuidedBackprop.builder().setModel(other).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nd4jImageModel");
        assertThatThrownBy(() -> Deconvolution.builder().build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("setModel");
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.vggStyle(5), DataType.DOUBLE)) {
            assertThatThrownBy(() -> GuidedGradCam.builder().setModel(model).optLayer("nope").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> GuidedGradCam.builder().setModel(model).optLayer("fc1").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fc1")
                    .hasMessageContaining("spatial");
            assertThat(GuidedGradCam.builder().setModel(model).build().layer()).isEqualTo("block2_conv1");
            assertThatThrownBy(() -> GuidedBackprop.builder().setModel(model).build()
                    .attribute(Nd4j.zeros(DataType.DOUBLE, 1, 3, 8, 8), 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static INDArray fixture(String name) throws IOException {
        String path = "/rule-references/" + name + ".npy";
        try (InputStream in = GuidedClosedFormTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return Npy.read(in, path).castTo(DataType.DOUBLE);
        }
    }
}
