package org.xai4j.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.testing.FiniteDifferences;
import org.xai4j.testing.TestNetworks;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The layers added for ONNX import (clip, hard sigmoid, hard swish, broadcasting arithmetic, channel slices, constant
 * padding): input gradients against central finite differences in double precision, forward values against the
 * SameDiff export of the same graph, and the checks on bad arguments.
 */
class OnnxOperatorNodesTest {

    private static final String IN = LayerInfo.MODEL_INPUT;

    /**
     * Every new layer on one path: conv, hard swish, a squeeze-excitation branch (average pool to [c, 1, 1], hard
     * sigmoid, broadcast multiply), clip, channel slices, broadcast add/subtract/divide, -inf padding before a max pool.
     */
    private static NetworkSpec network(long seed) {
        Random random = new Random(seed);
        return NetworkSpec.graph("onnx-ops", 4, 6, 6)
                .add(TestNetworks.convolution(random, "conv", 4, 8, 3, 1, 1, false, ActivationFunction.IDENTITY), IN)
                .add(new LayerSpec.HardSwish("hswish"), "conv")
                .add(new LayerSpec.Pooling("squeeze", LayerSpec.PoolingType.AVG, new int[] {6, 6}, new int[] {1, 1},
                        new int[] {0, 0}, false, false), "hswish")
                .add(new LayerSpec.HardSigmoid("gate", 1.0 / 6, 0.5), "squeeze")
                .add(new LayerSpec.Broadcast("excite", LayerSpec.BroadcastOp.MULTIPLY), "hswish", "gate")
                .add(new LayerSpec.Clip("clip", -0.4, 0.6), "excite")
                .add(new LayerSpec.ChannelSlice("low", 0, 4), "clip")
                .add(new LayerSpec.ChannelSlice("high", 4, 8), "conv")
                .add(new LayerSpec.Broadcast("sum", LayerSpec.BroadcastOp.ADD), "low", "high")
                .add(new LayerSpec.Pooling("rowmean", LayerSpec.PoolingType.AVG, new int[] {1, 6}, new int[] {1, 1},
                        new int[] {0, 0}, false, false), "high")
                .add(new LayerSpec.Broadcast("centered", LayerSpec.BroadcastOp.SUBTRACT), "sum", "rowmean")
                .add(new LayerSpec.Clip("denominator", 1.0, 3.0), "rowmean")
                .add(new LayerSpec.Broadcast("ratio", LayerSpec.BroadcastOp.DIVIDE), "denominator", "centered")
                .add(new LayerSpec.ConstantPadding("pad", new int[] {0, 1, 1, 0}, Double.NEGATIVE_INFINITY), "centered")
                .add(new LayerSpec.Pooling("pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {0, 0}, false, false), "pad")
                .add(new LayerSpec.Flatten("flat", false), "pool")
                .add(new LayerSpec.Flatten("flat2", false), "ratio")
                .add(new LayerSpec.Concat("both"), "flat", "flat2")
                .add(TestNetworks.dense(random, "fc", 4 * 3 * 3 + 4 * 6 * 6, 3, ActivationFunction.IDENTITY), "both")
                .build();
    }

    @Test
    void inputGradientsMatchFiniteDifferences() {
        Nd4jImageModel model = Nd4jImageModel.of(network(3), DataType.DOUBLE);
        // Values spread over [-2, 2] so the clips, the hard sigmoid and the hard swish each see both their flat and
        // their sloped parts.
        INDArray x = TestNetworks.randomImages(5, DataType.DOUBLE, 2, 4, 6, 6).muli(4).subi(2);
        for (Objective objective : List.of(Objective.classLogit(1, 2), Objective.channelMean("excite", 3, 5),
                Objective.channelMean("ratio", 1, 2), Objective.channelMean("pool", 0))) {
            INDArray expected = FiniteDifferences.inputGradient(model, x, objective);
            assertThat(expected.norm2Number().doubleValue()).as(objective.toString()).isGreaterThan(1e-3);
            assertAllClose(model.gradient(x, objective).inputGradient(), expected, 1e-5, 1e-8);
        }
    }

    @Test
    void forwardValuesMatchTheSameDiffExport() {
        Nd4jImageModel model = Nd4jImageModel.of(network(4), DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(6, DataType.DOUBLE, 2, 4, 6, 6).muli(4).subi(2);
        SameDiff graph = model.toSameDiff();
        List<String> layers = model.layerNames();
        Map<String, INDArray> reference = graph.output(Map.of("input", x),
                layers.stream().map(model::graphVariable).toList());
        Map<String, INDArray> all = model.activations(x, layers);
        for (String layer : layers) {
            assertAllClose(all.get(layer), reference.get(model.graphVariable(layer)), 1e-10, 1e-12);
        }
    }

    @Test
    void hardSwishAndHardSigmoidMatchTheirClosedForms() {
        NetworkSpec spec = NetworkSpec.graph("closed-forms", 1, 1, 7)
                .add(new LayerSpec.HardSwish("hswish"), IN)
                .add(new LayerSpec.HardSigmoid("hsig", 0.25, 0.5), IN)
                .add(new LayerSpec.Concat("both"), "hswish", "hsig")
                .add(new LayerSpec.Flatten("flat", false), "both")
                .build();
        Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE);
        double[] xs = {-5, -3, -1, 0, 1.5, 3, 4};
        INDArray x = org.nd4j.linalg.factory.Nd4j.create(xs, new long[] {1, 1, 1, 7}, DataType.DOUBLE);
        INDArray out = model.logits(x);
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            assertThat(out.getDouble(0, i)).isCloseTo(v * Math.max(0, Math.min(1, v / 6 + 0.5)),
                    org.assertj.core.data.Offset.offset(1e-12));
            assertThat(out.getDouble(0, 7 + i)).isCloseTo(Math.max(0, Math.min(1, 0.25 * v + 0.5)),
                    org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /**
     * Dilated convolutions (plain and depthwise, strided or not) in float32, which M2.1's oneDNN kernel refuses, run as
     * zero-stuffed kernels: values equal the double-precision model's, and double gradients equal finite differences.
     */
    @Test
    void dilatedConvolutionsRunInFloatAndDouble() {
        Random random = new Random(9);
        for (int stride : new int[] {1, 2}) {
            NetworkSpec spec = NetworkSpec.graph("dilated", 3, 9, 9)
                    .add(new LayerSpec.Convolution("conv", TestNetworks.gaussian(random, 0.3, 4, 3, 3, 3),
                            TestNetworks.gaussian(random, 0.1, 4), new int[] {stride, stride}, new int[] {2, 1},
                            new int[] {2, 3}, false, ActivationFunction.IDENTITY, 0), IN)
                    .add(new LayerSpec.DepthwiseConvolution("dw", TestNetworks.gaussian(random, 0.3, 3, 3, 4, 2), null,
                            new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 2}, false, ActivationFunction.TANH, 0))
                    .add(new LayerSpec.Flatten("flat", false))
                    .build();
            INDArray x = TestNetworks.randomImages(10, DataType.DOUBLE, 2, 3, 9, 9);
            Nd4jImageModel doubleModel = Nd4jImageModel.of(spec, DataType.DOUBLE);
            INDArray expected = doubleModel.logits(x);
            assertAllClose(Nd4jImageModel.of(spec).logits(x.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE), expected,
                    1e-4, 1e-5);
            Objective objective = Objective.classLogit(3, 17);
            assertAllClose(doubleModel.gradient(x, objective).inputGradient(),
                    FiniteDifferences.inputGradient(doubleModel, x, objective), 1e-5, 1e-8);
        }
    }

    /**
     * A layer normalization over channels as ONNX opset 13 spells it (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div)
     * and a GELU as x (1 + erf(x / sqrt 2)) / 2: gradients against finite differences, values against a direct
     * computation.
     */
    @Test
    void layerNormPiecesMatchFiniteDifferencesAndTheirDefinition() {
        Random random = new Random(12);
        NetworkSpec spec = NetworkSpec.graph("layernorm", 4, 5, 5)
                .add(TestNetworks.convolution(random, "conv", 4, 6, 3, 1, 1, false, ActivationFunction.IDENTITY), IN)
                .add(new LayerSpec.ChannelMean("mean"), "conv")
                .add(new LayerSpec.Broadcast("centered", LayerSpec.BroadcastOp.SUBTRACT), "conv", "mean")
                .add(new LayerSpec.UnaryMath("square", LayerSpec.MathFunction.POWER, 2), "centered")
                .add(new LayerSpec.ChannelMean("variance"), "square")
                .add(new LayerSpec.ScalarAffine("eps", 1, 1e-6), "variance")
                .add(new LayerSpec.UnaryMath("std", LayerSpec.MathFunction.SQRT, 0), "eps")
                .add(new LayerSpec.Broadcast("normalized", LayerSpec.BroadcastOp.DIVIDE), "centered", "std")
                .add(new LayerSpec.ScalarAffine("scaled", 1 / Math.sqrt(2), 0), "normalized")
                .add(new LayerSpec.UnaryMath("erf", LayerSpec.MathFunction.ERF, 0), "scaled")
                .add(new LayerSpec.ScalarAffine("one_plus", 0.5, 0.5), "erf")
                .add(new LayerSpec.ElementWise("gelu", LayerSpec.ElementWiseOp.PRODUCT), "normalized", "one_plus")
                .add(new LayerSpec.Flatten("flat", false), "gelu")
                .add(TestNetworks.dense(random, "fc", 6 * 25, 3, ActivationFunction.IDENTITY), "flat")
                .build();
        Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(13, DataType.DOUBLE, 2, 4, 5, 5);
        for (Objective objective : List.of(Objective.classLogit(0, 2), Objective.channelMean("gelu", 1, 4))) {
            INDArray expected = FiniteDifferences.inputGradient(model, x, objective);
            assertAllClose(model.gradient(x, objective).inputGradient(), expected, 1e-5, 1e-8);
        }
        INDArray conv = model.activations(x, "conv");
        INDArray normalized = model.activations(x, "normalized");
        for (int y = 0; y < 5; y += 2) {
            double mean = 0;
            double square = 0;
            for (int c = 0; c < 6; c++) {
                mean += conv.getDouble(1, c, y, 3) / 6;
            }
            for (int c = 0; c < 6; c++) {
                square += Math.pow(conv.getDouble(1, c, y, 3) - mean, 2) / 6;
            }
            assertThat(normalized.getDouble(1, 2, y, 3)).isCloseTo((conv.getDouble(1, 2, y, 3) - mean)
                    / Math.sqrt(square + 1e-6), org.assertj.core.data.Offset.offset(1e-12));
        }
        Map<String, INDArray> reference = model.toSameDiff().output(Map.of("input", x), List.of(model.graphVariable("gelu")));
        assertAllClose(model.activations(x, "gelu"), reference.get(model.graphVariable("gelu")), 1e-10, 1e-12);
    }

    @Test
    void badArgumentsAreRefusedWithTheValues() {
        assertThatThrownBy(() -> new LayerSpec.Clip("c", 2, 1)).hasMessageContaining("min <= max")
                .hasMessageContaining("[2.0, 1.0]");
        assertThatThrownBy(() -> new LayerSpec.ChannelSlice("s", 3, 3)).hasMessageContaining("[3, 3)");
        assertThatThrownBy(() -> new LayerSpec.ConstantPadding("p", new int[] {1, -1, 0, 0}, 0))
                .hasMessageContaining("[1, -1, 0, 0]");
        assertThatThrownBy(() -> NetworkSpec.graph("b", 2, 4, 4)
                .add(new LayerSpec.Broadcast("b", LayerSpec.BroadcastOp.ADD), IN).build())
                .hasMessageContaining("exactly two inputs");
        NetworkSpec tooWide = NetworkSpec.graph("slice", 2, 4, 4)
                .add(new LayerSpec.ChannelSlice("s", 1, 3), IN).add(new LayerSpec.Flatten("f", false)).build();
        assertThatThrownBy(() -> Nd4jImageModel.of(tooWide)).hasMessageContaining("[1, 3)")
                .hasMessageContaining("with 2");
        Random random = new Random(1);
        NetworkSpec mismatch = NetworkSpec.graph("mismatch", 2, 4, 4)
                .add(TestNetworks.convolution(random, "c", 2, 3, 3, 2, 1, false, ActivationFunction.IDENTITY), IN)
                .add(new LayerSpec.Broadcast("b", LayerSpec.BroadcastOp.ADD), IN, "c")
                .add(new LayerSpec.Flatten("f", false)).build();
        assertThatThrownBy(() -> Nd4jImageModel.of(mismatch)).hasMessageContaining("do not broadcast");
    }
}
