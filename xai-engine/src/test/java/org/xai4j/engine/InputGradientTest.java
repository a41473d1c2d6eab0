package org.xai4j.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.testing.FiniteDifferences;
import org.xai4j.testing.TestNetworks;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;
import static org.xai4j.testing.NdAssertions.relativeL2;

/** Input gradients checked against central finite differences in double precision. */
class InputGradientTest {

    private static INDArray finiteDifferences(ImageModel model, INDArray x, Objective objective) {
        return FiniteDifferences.inputGradient(model, x, objective);
    }

    private static Nd4jImageModel smoothDouble() {
        return Nd4jImageModel.of(TestNetworks.smooth(11), DataType.DOUBLE);
    }

    @Test
    void classLogitGradientMatchesFiniteDifferences() {
        Nd4jImageModel model = smoothDouble();
        INDArray x = TestNetworks.randomImages(12, DataType.DOUBLE, 2, 3, 12, 12);
        Objective objective = Objective.classLogit(1, 3);
        ObjectiveGradient result = model.gradient(x, objective);
        INDArray expected = finiteDifferences(model, x, objective);
        assertAllClose(result.inputGradient(), expected, 1e-5, 1e-8);
        assertAllClose(result.values(), objective.values(model.logits(x)), 0, 1e-12);
    }

    @Test
    void classProbabilityGradientMatchesFiniteDifferences() {
        Nd4jImageModel model = smoothDouble();
        INDArray x = TestNetworks.randomImages(13, DataType.DOUBLE, 2, 3, 12, 12);
        Objective objective = Objective.classProbability(2);
        assertAllClose(model.gradient(x, objective).inputGradient(), finiteDifferences(model, x, objective), 1e-5, 1e-9);
    }

    @Test
    void intermediateLayerObjectivesMatchFiniteDifferences() {
        Nd4jImageModel model = smoothDouble();
        INDArray x = TestNetworks.randomImages(14, DataType.DOUBLE, 2, 3, 12, 12);
        for (Objective objective : List.of(Objective.channelMean("conv2", 4, 1), Objective.channelMean("fc", 5),
                Objective.neuron("pool", 2, 1, 0), Objective.channelMean("bn1", 3))) {
            assertAllClose(model.gradient(x, objective).inputGradient(), finiteDifferences(model, x, objective),
                    1e-5, 1e-9);
        }
    }

    @Test
    void reluMaxPoolNetworkMatchesFiniteDifferencesAwayFromKinks() {
        Nd4jImageModel model = Nd4jImageModel.of(
                TestNetworks.vggStyle(21).withName("vgg"), DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(22, DataType.DOUBLE, 1, 3, 16, 16);
        Objective objective = Objective.classLogit(2);
        // Piecewise-linear: away from kinks the finite difference is exact up to rounding, so compare in L2.
        double error = relativeL2(model.gradient(x, objective).inputGradient(), finiteDifferences(model, x, objective));
        assertThat(error).isLessThan(1e-6);
    }

    @Test
    void everyConvolutionGeometryMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(61);
        List<LayerSpec> layers = List.of(
                conv("valid_padded", 3, 4, 3, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false),
                conv("dilated", 4, 4, 3, new int[] {1, 1}, new int[] {0, 0}, new int[] {2, 2}, false),
                conv("even_same", 4, 3, 2, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, true),
                conv("strided_valid", 3, 3, 3, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false),
                new LayerSpec.Pooling("avg_same", LayerSpec.PoolingType.AVG, new int[] {3, 3}, new int[] {2, 2},
                        new int[] {0, 0}, true, false),
                new LayerSpec.ChannelOrder("reorder", new int[] {2, 0, 1}),
                new LayerSpec.Flatten("flatten", true),
                new LayerSpec.Dense("logits", Nd4j.randn(DataType.DOUBLE, 3 * 2 * 2, 3), null,
                        ActivationFunction.IDENTITY, 0));
        Nd4jImageModel model = Nd4jImageModel.of(new NetworkSpec("geometry", new long[] {3, 11, 11}, layers),
                DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(62, DataType.DOUBLE, 2, 3, 11, 11);
        Objective objective = Objective.classLogit(0, 2);
        assertAllClose(model.gradient(x, objective).inputGradient(), finiteDifferences(model, x, objective), 1e-5, 1e-9);
    }

    /**
     * The forward pass runs each layer with direct ND4J ops and may write outputs over inputs; its values and layer
     * activations must equal those of the same network as a SameDiff graph, for every layer kind and activation.
     */
    @Test
    void gradientForwardPassEqualsTheGraphForEveryLayerKind() {
        Nd4j.getRandom().setSeed(63);
        List<LayerSpec> layers = List.of(
                new LayerSpec.ChannelOrder("bgr", new int[] {2, 1, 0}),
                new LayerSpec.ChannelAffine("normalize", Nd4j.rand(DataType.DOUBLE, 3).addi(0.5),
                        Nd4j.randn(DataType.DOUBLE, 3), ActivationFunction.IDENTITY, 0),
                conv("conv_leaky", 3, 4, 3, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false),
                new LayerSpec.Activation("leaky", ActivationFunction.LEAKY_RELU, 0.1),
                new LayerSpec.ChannelAffine("batch_norm", Nd4j.rand(DataType.DOUBLE, 4).addi(0.5),
                        Nd4j.randn(DataType.DOUBLE, 4), ActivationFunction.RELU, 0),
                new LayerSpec.Pooling("max_pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {0, 0}, false, false),
                new LayerSpec.Convolution("conv_softplus", Nd4j.randn(DataType.DOUBLE, 5, 4, 3, 3).muli(0.3), null,
                        new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, true, ActivationFunction.SOFTPLUS, 0),
                new LayerSpec.Activation("sigmoid", ActivationFunction.SIGMOID, 0),
                new LayerSpec.Identity("dropout"),
                new LayerSpec.Pooling("avg_pool", LayerSpec.PoolingType.AVG, new int[] {2, 2}, new int[] {1, 1},
                        new int[] {0, 0}, false, false),
                new LayerSpec.Flatten("flatten", true),
                new LayerSpec.Dense("fc", Nd4j.randn(DataType.DOUBLE, 5 * 4 * 4, 6).muli(0.2),
                        Nd4j.randn(DataType.DOUBLE, 6), ActivationFunction.TANH, 0),
                new LayerSpec.Dense("predictions", Nd4j.randn(DataType.DOUBLE, 6, 4), null,
                        ActivationFunction.SOFTMAX, 0));
        Nd4jImageModel model = Nd4jImageModel.of(new NetworkSpec("every_kind", new long[] {3, 10, 10}, layers),
                DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(64, DataType.DOUBLE, 3, 3, 10, 10);
        INDArray before = x.dup();
        SameDiff graph = model.toSameDiff();
        List<String> variables = model.layerNames().stream().map(model::graphVariable).toList();
        Map<String, INDArray> reference = graph.output(Map.of("input", x), variables);
        INDArray graphLogits = graph.output(Map.of("input", x), "predictions/linear").get("predictions/linear");
        Objective logit = Objective.classLogit(1, 3, 0);
        ObjectiveGradient gradient = model.gradient(x, logit);
        assertAllClose(model.logits(x), graphLogits, 1e-12, 1e-14);
        for (int i = 0; i < 3; i++) {
            assertThat(gradient.values().getDouble(i)).isCloseTo(graphLogits.getDouble(i, new int[] {1, 3, 0}[i]),
                    org.assertj.core.api.Assertions.within(1e-12));
        }
        assertAllClose(model.gradient(x, Objective.classProbability(0, 1, 2)).values(),
                Objective.classProbability(0, 1, 2).evaluate(model, x), 1e-12, 1e-14);
        for (String layer : model.layerNames()) {
            INDArray expected = reference.get(model.graphVariable(layer));
            assertAllClose(model.activations(x, layer), expected, 1e-12, 1e-14);
            if (!layer.equals("predictions")) {
                assertAllClose(model.layerGradient(x, logit, layer).activation(), expected, 1e-12, 1e-14);
            }
            Objective mean = layer.equals("flatten") || layer.equals("fc") || layer.equals("predictions")
                    ? Objective.neuron(layer, 2) : Objective.channelMean(layer, 1);
            assertAllClose(model.gradient(x, mean).values(), mean.evaluate(model, x), 1e-12, 1e-14);
        }
        assertAllClose(gradient.inputGradient(), finiteDifferences(model, x, logit), 1e-5, 1e-9);
        assertThat(x).as("the caller's input is never overwritten").isEqualTo(before);
    }

    private static LayerSpec conv(String name, int in, int out, int k, int[] stride, int[] padding, int[] dilation,
                                  boolean same) {
        return new LayerSpec.Convolution(name, Nd4j.randn(DataType.DOUBLE, out, in, k, k).muli(0.4),
                Nd4j.randn(DataType.DOUBLE, out).muli(0.1), stride, padding, dilation, same, ActivationFunction.TANH, 0);
    }

    @Test
    void layerGradientEqualsTheInputGradientOfTheNetworkAfterTheLayer() {
        Nd4jImageModel model = smoothDouble();
        INDArray x = TestNetworks.randomImages(63, DataType.DOUBLE, 2, 3, 12, 12);
        Objective objective = Objective.classProbability(1, 3);
        ImageModel.LayerGradient result = model.layerGradient(x, objective, "conv2");

        List<LayerSpec> layers = model.spec().layers();
        int index = layers.stream().map(LayerSpec::name).toList().indexOf("conv2");
        Nd4jImageModel head = Nd4jImageModel.of(new NetworkSpec("head", model.layerShape("conv2"),
                layers.subList(index + 1, layers.size())), DataType.DOUBLE);
        INDArray activation = model.activations(x, "conv2");
        assertAllClose(result.activation(), activation, 0, 0);
        assertAllClose(result.gradient(), head.gradient(activation, objective).inputGradient(), 1e-10, 1e-14);
        assertAllClose(result.values(), objective.evaluate(model, x), 1e-12, 0);
        assertThatThrownBy(() -> model.layerGradient(x, Objective.channelMean("conv1", 0), "conv2"))
                .hasMessageContaining("before 'conv2'");
    }

    @Test
    void floatGradientAgreesWithDoubleGradient() {
        var spec = TestNetworks.smooth(31);
        INDArray x = TestNetworks.randomImages(32, DataType.DOUBLE, 3, 3, 12, 12);
        INDArray g32 = Nd4jImageModel.of(spec).gradient(x, Objective.classLogit(0)).inputGradient();
        INDArray g64 = Nd4jImageModel.of(spec, DataType.DOUBLE).gradient(x, Objective.classLogit(0)).inputGradient();
        assertThat(g32.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(relativeL2(g32, g64)).isLessThan(1e-5);
    }

    @Test
    void batchedGradientEqualsPerExampleGradients() {
        Nd4jImageModel model = Nd4jImageModel.of(
                TestNetworks.vggStyle(41).withName("vgg"));
        INDArray x = TestNetworks.randomImages(42, DataType.FLOAT, 3, 3, 16, 16);
        Objective objective = Objective.classLogit(0, 4, 2);
        INDArray batched = model.gradient(x, objective).inputGradient();
        for (int i = 0; i < 3; i++) {
            INDArray single = model.gradient(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)),
                    objective.forExample(i)).inputGradient();
            assertAllClose(batched.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)), single, 1e-5, 1e-7);
        }
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        Nd4jImageModel model = Nd4jImageModel.of(
                TestNetworks.vggStyle(51).withName("vgg"));
        INDArray good = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
        assertThatThrownBy(() -> model.gradient(null, Objective.classLogit(0)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> model.gradient(Nd4j.create(DataType.FLOAT, 0, 3, 16, 16), Objective.classLogit(0)))
                .hasMessageContaining("empty batch");
        assertThatThrownBy(() -> model.gradient(Nd4j.rand(DataType.FLOAT, 2, 16, 16, 3), Objective.classLogit(0)))
                .hasMessageContaining("[2, 16, 16, 3]").hasMessageContaining("NHWC");
        INDArray nan = good.dup();
        nan.putScalar(5, Double.NaN);
        assertThatThrownBy(() -> model.gradient(nan, Objective.classLogit(0))).hasMessageContaining("NaN");
        INDArray inf = good.dup();
        inf.putScalar(7, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> model.gradient(inf, Objective.classLogit(0))).hasMessageContaining("infinite");
        assertThatThrownBy(() -> model.gradient(good, Objective.classLogit(5)))
                .hasMessageContaining("target class 5").hasMessageContaining("0..4");
        assertThatThrownBy(() -> model.gradient(good, Objective.classLogit(1, 2, 3)))
                .hasMessageContaining("3 targets for a batch of 2");
        assertThatThrownBy(() -> model.gradient(good, Objective.channelMean("block9_conv1", 0)))
                .hasMessageContaining("'block9_conv1'").hasMessageContaining("block1_conv1");
        assertThatThrownBy(() -> model.gradient(good, Objective.channelMean("block1_conv1", 6)))
                .hasMessageContaining("channel 6").hasMessageContaining("6 channels");
    }
}
