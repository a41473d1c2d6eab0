package org.xai4j.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.testing.FiniteDifferences;
import org.xai4j.testing.TestNetworks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;
import static org.xai4j.testing.NdAssertions.relativeL2;
import static org.xai4j.testing.TestNetworks.convolution;
import static org.xai4j.testing.TestNetworks.depthwise;
import static org.xai4j.testing.TestNetworks.gaussian;

/**
 * The graph engine: every layer kind's input gradient against central finite differences in double precision (smooth
 * activations, away from kinks), whole ResNet- and MobileNet-style graphs likewise, forward values against the same
 * network built as a SameDiff graph, and the graph bookkeeping (gradient sums over branches, outputs written over
 * inputs only when no one reads them, layer kinds and inputs, closing).
 */
class GraphEngineTest {

    private static final ActivationFunction SMOOTH = ActivationFunction.TANH;

    private static Nd4jImageModel doubleModel(NetworkSpec spec) {
        return Nd4jImageModel.of(spec, DataType.DOUBLE);
    }

    /**
     * The double-precision gradient against central differences, and the float32 gradient against the double one:
     * float32 runs other kernels (oneDNN's), so both paths are checked.
     */
    private static void assertGradientMatchesFiniteDifferences(Nd4jImageModel model, INDArray x, Objective objective) {
        INDArray gradient = model.gradient(x, objective).inputGradient();
        assertAllClose(gradient, FiniteDifferences.inputGradient(model, x, objective), 1e-5, 1e-8);
        try (Nd4jImageModel float32 = model.withDataType(DataType.FLOAT)) {
            assertThat(relativeL2(float32.gradient(x, objective).inputGradient(), gradient)).as("float32 gradient")
                    .isLessThan(1e-4);
        }
    }

    /** Every layer's value from the engine (one call for all) equals the SameDiff graph's. */
    private static void assertForwardEqualsSameDiff(Nd4jImageModel model, INDArray x) {
        SameDiff graph = model.toSameDiff();
        List<String> layers = model.layerNames();
        List<String> variables = layers.stream().map(model::graphVariable).toList();
        Map<String, INDArray> reference = graph.output(Map.of("input", x), variables);
        Map<String, INDArray> all = model.activations(x, layers);
        for (String layer : layers) {
            INDArray expected = reference.get(model.graphVariable(layer));
            assertAllClose(all.get(layer), expected, 1e-10, 1e-12);
            assertAllClose(model.activations(x, layer), expected, 1e-10, 1e-12);
        }
    }

    @Test
    void resNetStyleGraphGradientMatchesFiniteDifferencesAndItsValuesMatchSameDiff() {
        Nd4jImageModel model = doubleModel(TestNetworks.resNetStyle(1, SMOOTH));
        INDArray x = TestNetworks.randomImages(2, DataType.DOUBLE, 2, 3, 18, 14);
        assertGradientMatchesFiniteDifferences(model, x, Objective.classLogit(1, 4));
        assertGradientMatchesFiniteDifferences(model, x, Objective.channelMean("b1_conv2", 3));
        assertForwardEqualsSameDiff(model, x);
        assertThat(model.layerShape("b2_add")).containsExactly(8, 3, 2);
    }

    @Test
    void mobileNetStyleGraphGradientMatchesFiniteDifferencesAndItsValuesMatchSameDiff() {
        Nd4jImageModel model = doubleModel(TestNetworks.mobileNetStyle(3, ActivationFunction.SWISH));
        INDArray x = TestNetworks.randomImages(4, DataType.DOUBLE, 2, 3, 16, 13);
        assertGradientMatchesFiniteDifferences(model, x, Objective.classProbability(0, 3));
        assertGradientMatchesFiniteDifferences(model, x, Objective.neuron("dw2", 5, 1, 2));
        assertForwardEqualsSameDiff(model, x);
        assertThat(model.layerShape("dw2")).containsExactly(16, 4, 3);
        assertThat(model.layerShape("fire_concat")).containsExactly(12, 4, 3);
    }

    @Test
    void reluGraphsAgreeInFloatAndDouble() {
        for (NetworkSpec spec : List.of(TestNetworks.resNetStyle(5, ActivationFunction.RELU),
                TestNetworks.mobileNetStyle(6, ActivationFunction.RELU6))) {
            INDArray x = TestNetworks.randomImages(7, DataType.DOUBLE, 3, spec.inputShape()[0], spec.inputShape()[1],
                    spec.inputShape()[2]);
            Objective objective = Objective.classLogit(0, 1, 2);
            INDArray g64 = Nd4jImageModel.of(spec, DataType.DOUBLE).gradient(x, objective).inputGradient();
            INDArray g32 = Nd4jImageModel.of(spec).gradient(x, objective).inputGradient();
            assertThat(relativeL2(g32, g64)).as(spec.name()).isLessThan(1e-5);
        }
    }

    /** Strided convolutions take the transposed-convolution path; each padding and remainder case is checked. */
    @Test
    void stridedConvolutionGradientsMatchFiniteDifferences() {
        Random random = new Random(11);
        // 11 x 10 input: stride 2 leaves a remainder on one axis and none on the other; stride 3 with padding 1.
        NetworkSpec spec = NetworkSpec.graph("strided", 3, 11, 10)
                .add(convolution(random, "same_s2", 3, 4, 3, 2, 0, true, SMOOTH), "input")
                .add(convolution(random, "valid_s2_k1", 3, 4, 1, 2, 0, false, SMOOTH), "input")
                .add(convolution(random, "padded_s3", 3, 4, 3, 3, 1, false, SMOOTH), "input")
                .add(convolution(random, "same_s2_k4", 3, 4, 4, 2, 0, true, SMOOTH), "input")
                // 1x1 kernels take the matrix-product path unless padding moves the pixels they read
                .add(convolution(random, "same_s2_k1", 3, 4, 1, 2, 0, true, SMOOTH), "input")
                .add(convolution(random, "padded_s2_k1", 3, 4, 1, 2, 1, false, SMOOTH), "input")
                .add(new LayerSpec.GlobalPooling("pool_a", LayerSpec.PoolingType.AVG), "same_s2")
                .add(new LayerSpec.GlobalPooling("pool_b", LayerSpec.PoolingType.AVG), "valid_s2_k1")
                .add(new LayerSpec.GlobalPooling("pool_c", LayerSpec.PoolingType.AVG), "padded_s3")
                .add(new LayerSpec.GlobalPooling("pool_d", LayerSpec.PoolingType.AVG), "same_s2_k4")
                .add(new LayerSpec.GlobalPooling("pool_e", LayerSpec.PoolingType.AVG), "same_s2_k1")
                .add(new LayerSpec.GlobalPooling("pool_f", LayerSpec.PoolingType.AVG), "padded_s2_k1")
                .add(new LayerSpec.Concat("pools"), "pool_a", "pool_b", "pool_c", "pool_d", "pool_e", "pool_f")
                .add(TestNetworks.dense(random, "logits", 24, 3, ActivationFunction.IDENTITY))
                .build();
        Nd4jImageModel model = doubleModel(spec);
        INDArray x = TestNetworks.randomImages(12, DataType.DOUBLE, 2, 3, 11, 10);
        assertGradientMatchesFiniteDifferences(model, x, Objective.classLogit(0, 2));
        for (String layer : List.of("same_s2", "valid_s2_k1", "padded_s3", "same_s2_k4", "same_s2_k1", "padded_s2_k1")) {
            assertGradientMatchesFiniteDifferences(model, x, Objective.channelMean(layer, 1));
        }
        assertThat(model.layerShape("padded_s3")).containsExactly(4, 4, 4);
        assertForwardEqualsSameDiff(model, x);
    }

    @Test
    void depthwiseConvolutionGradientsMatchFiniteDifferences() {
        Random random = new Random(13);
        NetworkSpec spec = NetworkSpec.graph("depthwise", 4, 9, 8)
                .add(depthwise(random, "s1_same", 4, 1, 3, 1, true), "input")
                .add(depthwise(random, "s1_multiplier", 4, 3, 3, 1, true), "input")
                .add(depthwise(random, "s2_valid", 4, 2, 3, 2, false), "input")
                .add(new LayerSpec.DepthwiseConvolution("padded", gaussian(random, 0.5, 2, 2, 4, 1),
                        null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false, ActivationFunction.ELU, 0.7),
                        "input")
                .add(new LayerSpec.GlobalPooling("pool_a", LayerSpec.PoolingType.AVG), "s1_same")
                .add(new LayerSpec.GlobalPooling("pool_b", LayerSpec.PoolingType.AVG), "s1_multiplier")
                .add(new LayerSpec.GlobalPooling("pool_c", LayerSpec.PoolingType.MAX), "s2_valid")
                .add(new LayerSpec.GlobalPooling("pool_d", LayerSpec.PoolingType.AVG), "padded")
                .add(new LayerSpec.Concat("pools"), "pool_a", "pool_b", "pool_c", "pool_d")
                .add(TestNetworks.dense(random, "logits", 4 + 12 + 8 + 4, 3, ActivationFunction.IDENTITY))
                .build();
        Nd4jImageModel model = doubleModel(spec);
        INDArray x = TestNetworks.randomImages(14, DataType.DOUBLE, 2, 4, 9, 8);
        assertGradientMatchesFiniteDifferences(model, x, Objective.classLogit(2, 1));
        assertGradientMatchesFiniteDifferences(model, x, Objective.channelMean("padded", 3));
        assertThat(model.layerShape("s2_valid")).containsExactly(8, 4, 3);
        assertThat(model.layerShape("padded")).containsExactly(4, 10, 9);
        assertForwardEqualsSameDiff(model, x);
    }

    @Test
    void shapeLayersMergesAndScalarMapsHaveExactGradients() {
        Random random = new Random(15);
        NetworkSpec spec = NetworkSpec.graph("misc", 2, 6, 7)
                .add(convolution(random, "conv", 2, 3, 3, 1, 0, true, SMOOTH))
                .add(new LayerSpec.ZeroPadding("pad", new int[] {2, 0, 1, 3}))
                .add(new LayerSpec.Cropping("crop", new int[] {1, 1, 1, 3}))
                .add(new LayerSpec.Upsampling("up", new int[] {2, 3}), "conv")
                .add(new LayerSpec.Pooling("down", LayerSpec.PoolingType.AVG, new int[] {2, 3}, new int[] {2, 3},
                        new int[] {0, 0}, false, false))
                .add(new LayerSpec.ElementWise("sum3", LayerSpec.ElementWiseOp.ADD), "crop", "down", "conv")
                .add(new LayerSpec.ElementWise("difference", LayerSpec.ElementWiseOp.SUBTRACT), "crop", "conv")
                .add(new LayerSpec.ElementWise("product", LayerSpec.ElementWiseOp.PRODUCT), "sum3", "difference", "conv")
                .add(new LayerSpec.ElementWise("mean", LayerSpec.ElementWiseOp.AVERAGE), "product", "down")
                .add(new LayerSpec.ElementWise("maximum", LayerSpec.ElementWiseOp.MAX), "mean", "difference", "sum3")
                .add(new LayerSpec.ScalarAffine("scaled", 1.7, -0.3))
                .add(new LayerSpec.Activation("swish", ActivationFunction.SWISH, 0))
                .add(new LayerSpec.Activation("elu", ActivationFunction.ELU, 0.6))
                .add(new LayerSpec.Activation("hard_sigmoid", ActivationFunction.HARD_SIGMOID, 0))
                .add(new LayerSpec.Activation("relu6", ActivationFunction.RELU6, 0), "scaled")
                .add(new LayerSpec.Concat("both"), "hard_sigmoid", "relu6")
                .add(new LayerSpec.L2Normalize("normalized", 1e-8))
                .add(new LayerSpec.Flatten("flatten", true))
                .add(TestNetworks.dense(random, "logits", 6 * 6 * 7, 3, ActivationFunction.IDENTITY))
                .build();
        Nd4jImageModel model = doubleModel(spec);
        assertThat(model.layerShape("pad")).containsExactly(3, 8, 11);
        assertThat(model.layerShape("crop")).containsExactly(3, 6, 7);
        assertThat(model.layerShape("up")).containsExactly(3, 12, 21);
        INDArray x = TestNetworks.randomImages(16, DataType.DOUBLE, 2, 2, 6, 7).muli(2).subi(1);
        assertGradientMatchesFiniteDifferences(model, x, Objective.classLogit(1, 0));
        assertGradientMatchesFiniteDifferences(model, x, Objective.channelMean("maximum", 2));
        assertForwardEqualsSameDiff(model, x);
    }

    /**
     * A layer read by several others gets the sum of their gradients; an output may be written over its input only
     * when nothing else reads that input: a value read by three layers, one of them an in-place activation, keeps its
     * value for the others.
     */
    @Test
    void valuesReadBySeveralLayersKeepTheirValueAndCollectEveryGradient() {
        Random random = new Random(17);
        NetworkSpec spec = NetworkSpec.graph("diamond", 2, 5, 5)
                .add(convolution(random, "conv", 2, 3, 3, 1, 0, true, ActivationFunction.IDENTITY))
                .add(new LayerSpec.Activation("tanh", SMOOTH, 0), "conv")
                .add(new LayerSpec.ChannelAffine("affine", gaussian(random, 1, 3), gaussian(random, 1, 3),
                        ActivationFunction.SIGMOID, 0), "conv")
                .add(new LayerSpec.ElementWise("sum", LayerSpec.ElementWiseOp.ADD), "tanh", "affine", "conv")
                .add(new LayerSpec.ElementWise("twice", LayerSpec.ElementWiseOp.ADD), "sum", "sum")
                .add(new LayerSpec.GlobalPooling("pool", LayerSpec.PoolingType.AVG))
                .add(TestNetworks.dense(random, "logits", 3, 2, ActivationFunction.IDENTITY))
                .build();
        Nd4jImageModel model = doubleModel(spec);
        INDArray x = TestNetworks.randomImages(18, DataType.DOUBLE, 3, 2, 5, 5);
        INDArray before = x.dup();
        assertForwardEqualsSameDiff(model, x);
        assertGradientMatchesFiniteDifferences(model, x, Objective.classLogit(0, 1, 0));
        assertThat(x).as("the caller's input is never overwritten").isEqualTo(before);
    }

    /**
     * The gradient with respect to a layer every path goes through is the objective's sensitivity to that layer: along
     * any direction of the input, the change of the objective is the layer gradient times the change of the layer.
     */
    @Test
    void layerGradientAtACutLayerAgreesWithTheDirectionalDerivative() {
        Nd4jImageModel model = doubleModel(TestNetworks.resNetStyle(19, SMOOTH));
        INDArray x = TestNetworks.randomImages(20, DataType.DOUBLE, 1, 3, 18, 14);
        INDArray direction = TestNetworks.randomImages(21, DataType.DOUBLE, 1, 3, 18, 14).subi(0.5);
        Objective objective = Objective.classLogit(2);
        double step = 1e-5;
        for (String layer : List.of("stem_pool", "b1_out", "b2_out")) {
            ImageModel.LayerGradient result = model.layerGradient(x, objective, layer);
            INDArray plus = x.add(direction.mul(step));
            INDArray minus = x.sub(direction.mul(step));
            double objectiveChange = objective.evaluate(model, plus).getDouble(0) - objective.evaluate(model, minus).getDouble(0);
            INDArray layerChange = model.activations(plus, layer).sub(model.activations(minus, layer));
            double predicted = result.gradient().mul(layerChange).sumNumber().doubleValue();
            assertThat(predicted).as(layer).isCloseTo(objectiveChange, org.assertj.core.api.Assertions.within(
                    1e-6 * Math.abs(objectiveChange) + 1e-12));
            assertAllClose(result.activation(), model.activations(x, layer), 0, 0);
        }
        assertThatThrownBy(() -> model.layerGradient(x, Objective.channelMean("b1_conv1", 0), "b2_out"))
                .hasMessageContaining("does not depend on layer 'b2_out'");
        assertThatThrownBy(() -> model.layerGradient(x, Objective.channelMean("b2_shortcut", 0), "b2_conv1"))
                .hasMessageContaining("another branch");
    }

    @Test
    void layerInfoGivesKindsShapesAndInputs() {
        Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.mobileNetStyle(1, ActivationFunction.RELU6));
        assertThat(model.layerNames()).startsWith("conv1", "conv1_bn", "dw1").endsWith("avg_pool", "predictions");
        LayerInfo add = model.layerInfo("block1_add");
        assertThat(add.kind()).isEqualTo(LayerKind.MERGE);
        assertThat(add.inputs()).containsExactly("pw1_bn", "conv1_bn");
        assertThat(add.shape()).containsExactly(8, 8, 7);
        assertThat(model.layerInfo("conv1").inputs()).containsExactly(LayerInfo.MODEL_INPUT);
        assertThat(model.layerInfo("conv1").kind()).isEqualTo(LayerKind.CONVOLUTION);
        assertThat(model.layerInfo("dw2").kind()).isEqualTo(LayerKind.DEPTHWISE_CONVOLUTION);
        assertThat(model.layerInfo("dw2_pad").kind()).isEqualTo(LayerKind.RESHAPE);
        assertThat(model.layerInfo("dw2_bn").kind()).isEqualTo(LayerKind.NORMALIZATION);
        assertThat(model.layerInfo("avg_pool").kind()).isEqualTo(LayerKind.GLOBAL_POOLING);
        assertThat(model.layerInfo("predictions").kind()).isEqualTo(LayerKind.DENSE);
        assertThat(model.layerInfo("fire_concat").isSpatial()).isTrue();
        assertThat(model.numClasses()).isEqualTo(4);
        // The softmax head's logits are its pre-activation.
        INDArray x = TestNetworks.randomImages(2, DataType.FLOAT, 2, 3, 16, 13);
        assertAllClose(model.probabilities(x), model.activations(x, "predictions"), 1e-5, 1e-7);
    }

    @Test
    void badGraphsAreRefusedWithTheLayerAndTheReason() {
        Random random = new Random(3);
        assertThatThrownBy(() -> Nd4jImageModel.of(NetworkSpec.graph("mismatch", 3, 8, 8)
                .add(convolution(random, "a", 3, 4, 3, 1, 0, true, SMOOTH), "input")
                .add(convolution(random, "b", 3, 4, 3, 2, 0, true, SMOOTH), "input")
                .add(new LayerSpec.ElementWise("sum", LayerSpec.ElementWiseOp.ADD), "a", "b")
                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sum'").hasMessageContaining("[4, 8, 8]").hasMessageContaining("[4, 4, 4]");
        assertThatThrownBy(() -> NetworkSpec.graph("order", 3, 8, 8)
                .add(new LayerSpec.ElementWise("sum", LayerSpec.ElementWiseOp.ADD), "input", "later")
                .add(new LayerSpec.Identity("later"))
                .build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'later'")
                .hasMessageContaining("topological order");
        assertThatThrownBy(() -> NetworkSpec.graph("arity", 3, 8, 8)
                .add(new LayerSpec.Concat("concat"), "input").build())
                .hasMessageContaining("at least two");
        assertThatThrownBy(() -> Nd4jImageModel.of(NetworkSpec.graph("crop", 3, 4, 4)
                .add(new LayerSpec.Cropping("crop", new int[] {2, 2, 0, 0})).add(new LayerSpec.Flatten("f", false))
                .add(TestNetworks.dense(random, "d", 1, 2, ActivationFunction.IDENTITY)).build()))
                .hasMessageContaining("'crop'").hasMessageContaining("empty output");
    }

    @Test
    void aClosedModelRefusesCallsAndEarlierResultsStayValid() {
        Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.resNetStyle(23, ActivationFunction.RELU));
        INDArray x = TestNetworks.randomImages(24, DataType.FLOAT, 2, 3, 18, 14);
        INDArray logits = model.logits(x);
        INDArray gradient = model.gradient(x, Objective.classLogit(1)).inputGradient();
        INDArray expected = logits.dup();
        assertThat(model.workingMemoryBytes()).isPositive();
        model.close();
        model.close();
        assertThat(model.workingMemoryBytes()).isZero();
        assertAllClose(logits, expected, 0, 0);
        assertThat(gradient.sumNumber().doubleValue()).isFinite();
        assertThatThrownBy(() -> model.logits(x)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> model.gradient(x, Objective.classLogit(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(model.toString()).contains("closed");
    }

    /** The working memory belongs to the model: threads that called it and ended leave nothing behind. */
    @Test
    void workingMemoryIsPerModelNotPerThread() throws Exception {
        Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.resNetStyle(25, ActivationFunction.RELU));
        INDArray x = TestNetworks.randomImages(26, DataType.FLOAT, 4, 3, 18, 14);
        INDArray expected = model.gradient(x, Objective.classLogit(0)).inputGradient();
        long bytes = model.workingMemoryBytes();
        List<INDArray> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> results.add(model.gradient(x, Objective.classLogit(0)).inputGradient()));
            thread.start();
            thread.join();
            assertThat(model.workingMemoryBytes()).isEqualTo(bytes);
        }
        assertThat(results).hasSize(4).allSatisfy(r -> assertAllClose(r, expected, 0, 0));
        model.releaseWorkingMemory();
        assertThat(model.workingMemoryBytes()).isZero();
        assertAllClose(model.gradient(x, Objective.classLogit(0)).inputGradient(), expected, 0, 0);
    }

    /** The same objective, hidden from the engine's per-channel path: the full computation. */
    private record Opaque(Objective inner) implements Objective {
        @Override public java.util.Optional<String> layer() { return inner.layer(); }
        @Override public INDArray values(INDArray activation) { return inner.values(activation); }
        @Override public INDArray seedGradient(INDArray activation) { return inner.seedGradient(activation); }
        @Override public void validate(ImageModel model, long batchSize) { inner.validate(model, batchSize); }
        @Override public Objective forRows(int[] exampleOfRow) { return new Opaque(inner.forRows(exampleOfRow)); }
    }

    /**
     * A channel mean of a convolution (or of the activation after it) is computed one output channel per example; it
     * equals the full computation, whatever the activation needs for its gradient and whatever precedes the layer.
     */
    @Test
    void channelObjectivesThroughOneChannelEqualTheFullComputation() {
        List<Object[]> cases = List.of(
                new Object[] {TestNetworks.vggStyle(31), "block1_conv1", 3},
                new Object[] {TestNetworks.vggStyle(31), "block2_conv1", 8},
                new Object[] {TestNetworks.smooth(32), "conv3", 4},
                new Object[] {TestNetworks.resNetStyle(33, ActivationFunction.SWISH), "b1_conv2", 6},
                new Object[] {TestNetworks.mobileNetStyle(34, ActivationFunction.ELU), "fire_expand3x3", 6});
        for (Object[] c : cases) {
            NetworkSpec spec = (NetworkSpec) c[0];
            String layer = (String) c[1];
            int channels = (int) c[2];
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                try (Nd4jImageModel model = Nd4jImageModel.of(spec, type)) {
                    long[] shape = spec.inputShape();
                    INDArray x = TestNetworks.randomImages(35, DataType.DOUBLE, 3, shape[0], shape[1], shape[2]);
                    Objective objective = Objective.channelMean(layer, 0, channels - 1, 1);
                    var fast = model.gradient(x, objective);
                    var full = model.gradient(x, new Opaque(objective));
                    double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
                    assertAllClose(fast.values(), full.values(), tolerance, tolerance);
                    assertThat(relativeL2(fast.inputGradient(), full.inputGradient())).as(spec.name() + " " + layer)
                            .isLessThan(tolerance);
                    assertAllClose(model.gradient(x, Objective.channelMean(layer, 2)).inputGradient(),
                            model.gradient(x, new Opaque(Objective.channelMean(layer, 2))).inputGradient(),
                            tolerance, tolerance);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ActivationFunction.class)
    void everyActivationHasTheGradientOfItsForwardPass(ActivationFunction function) {
        Random random = new Random(27);
        NetworkSpec spec = new NetworkSpec("activation", new long[] {2, 4, 3}, List.of(
                new LayerSpec.ScalarAffine("spread", 4, -1),
                new LayerSpec.Activation("f", function, 0.3),
                new LayerSpec.Flatten("flatten", false),
                TestNetworks.dense(random, "logits", 24, 2, ActivationFunction.IDENTITY)));
        Nd4jImageModel model = doubleModel(spec);
        INDArray x = TestNetworks.randomImages(28, DataType.DOUBLE, 2, 2, 4, 3);
        assertForwardEqualsSameDiff(model, x);
        assertGradientMatchesFiniteDifferences(model, x, Objective.classLogit(0, 1));
    }
}
