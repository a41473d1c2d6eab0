package org.xai4j.propagation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.AttributionMethod;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.guided.Deconvolution;
import org.xai4j.guided.GuidedBackprop;
import org.xai4j.guided.GuidedGradCam;
import org.xai4j.io.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The methods with modified backward rules against Captum 0.8.0 on two small networks that exist on both sides with
 * the same weights (fixtures written by {@code src/test/python/make_rule_references.py}): a VGG-style chain with max
 * pooling and a residual graph with batch normalization, an addition and global average pooling, three inputs,
 * targets 0, 1, 2. The references are computed in float64 from float32 weights and inputs; xai4j runs both in
 * float64 and in float32, against the tolerance for mini models, 1e-3 of {@code max|reference|} (float32
 * noise; the measured differences are printed at the end).
 *
 * <p>DeepLift is compared with Captum with the fix of issue #1104 (PR #1843), which the generator applies; Captum as
 * released is checked to violate completeness on these networks, where xai4j keeps it.
 */
class RuleReferenceTest {

    private static final double TOLERANCE = 1e-3;
    private static final String ROOT = "/rule-references/";
    private static final int[] TARGETS = {0, 1, 2};
    private static final Map<String, Nd4jImageModel> BUILT = new ConcurrentHashMap<>();
    private static final Map<String, Double> MAX_DIFFERENCE = new TreeMap<>();

    /** Method name (fixture prefix) to the method on a model. */
    private static Map<String, Function<Nd4jImageModel, AttributionMethod>> methods(String model) {
        Map<String, Function<Nd4jImageModel, AttributionMethod>> methods = new TreeMap<>();
        methods.put("guidedbackprop", m -> GuidedBackprop.builder().setModel(m).build());
        methods.put("deconvolution", m -> Deconvolution.builder().setModel(m).build());
        methods.put("guidedgradcam", m -> GuidedGradCam.builder().setModel(m)
                .optLayer(model.equals("vgg") ? "conv3" : "b1_out").build());
        methods.put("deeplift_zero", m -> DeepLift.builder().setModel(m).build());
        methods.put("deeplift_random", m -> DeepLift.builder().setModel(m).optBaseline(randomBaseline(model))
                .optInternalBatchSize(2).build());
        methods.put("deepliftshap", m -> DeepLiftShap.builder().setModel(m)
                .optBaselines(List.of(Baseline.zero(), Baseline.constant(0.5), randomBaseline(model)))
                .optInternalBatchSize(4).build());
        methods.put("lrp", m -> Lrp.builder().setModel(m).build());
        return methods;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String model : List.of("vgg", "residual")) {
            for (String method : methods(model).keySet()) {
                cases.add(Arguments.of(method, model, "DOUBLE"));
                cases.add(Arguments.of(method, model, "FLOAT"));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}, {2}")
    @MethodSource("cases")
    void agreesWithCaptum(String method, String modelName, String type) {
        DataType dataType = DataType.valueOf(type);
        Nd4jImageModel model = BUILT.computeIfAbsent(modelName + "/" + type, key -> build(modelName, dataType));
        INDArray inputs = read(modelName, "inputs").castTo(dataType);
        Attribution ours = methods(modelName).get(method).apply(model).attribute(inputs, TARGETS);
        INDArray expected = read(modelName, method);
        INDArray actual = ours.values();
        assertThat(actual.shape()).as(method).containsExactly(expected.shape());
        double scale = Transforms.abs(expected, true).maxNumber().doubleValue();
        assertThat(scale).as(method + ": the reference is not zero").isGreaterThan(0);
        double difference = Transforms.abs(actual.castTo(DataType.DOUBLE).sub(expected), false).maxNumber().doubleValue();
        record(method + " / " + modelName + " / " + type, difference / scale);
        assertThat(difference).as(method + " on " + modelName + ": max |ours - Captum|, max |Captum| = " + scale)
                .isLessThanOrEqualTo(TOLERANCE * scale);
        if (method.startsWith("deeplift")) {
            // Completeness, as Captum's convergence delta with the fix: sum(attributions) = F(x) - F(x0), up to the
            // rounding of the data type (float32: about 1e-7 of the terms summed).
            double bound = dataType == DataType.DOUBLE ? 1e-9 : 1e-4;
            for (double delta : ours.convergenceDelta()) {
                assertThat(Math.abs(delta)).as(method + " completeness").isLessThan(bound);
            }
        }
        if (method.equals("lrp")) {
            // Captum's delta is F(x) - sum(R); ours is sum(R) - F(x).
            INDArray captumDelta = read(modelName, "lrp_delta");
            for (int i = 0; i < TARGETS.length; i++) {
                assertThat(ours.convergenceDelta()[i]).as("LRP delta of input " + i)
                        .isCloseTo(-captumDelta.getDouble(i), org.assertj.core.data.Offset.offset(1e-3 * scale));
            }
        }
    }

    /**
     * The difference documented in {@link DeepLift}: Captum 0.8.0 as released (max-pool rule without effect after a
     * ReLU, issue #1104) misses completeness on both networks for the random baseline, and differs from xai4j by more
     * than the tolerance, while xai4j's attributions sum to {@code F(x) - F(x0)}.
     */
    @ParameterizedTest(name = "released Captum on {0}")
    @MethodSource("models")
    void releasedCaptumMissesCompleteness(String modelName) {
        INDArray releasedDelta = read(modelName, "deeplift_captum080_random_delta");
        assertThat(Transforms.abs(releasedDelta, true).maxNumber().doubleValue()).isGreaterThan(1e-3);
        INDArray released = read(modelName, "deeplift_captum080_random");
        INDArray fixed = read(modelName, "deeplift_random");
        double scale = Transforms.abs(fixed, true).maxNumber().doubleValue();
        assertThat(Transforms.abs(released.sub(fixed), false).maxNumber().doubleValue())
                .isGreaterThan(TOLERANCE * scale);
    }

    static Stream<String> models() {
        return Stream.of("vgg", "residual");
    }

    @ParameterizedTest(name = "logits of {0}")
    @MethodSource("models")
    void rebuiltNetworksComputeTheSameLogits(String modelName) {
        Nd4jImageModel model = BUILT.computeIfAbsent(modelName + "/DOUBLE", key -> build(modelName, DataType.DOUBLE));
        INDArray expected = read(modelName, "logits");
        INDArray actual = model.logits(read(modelName, "inputs"));
        assertThat(actual.shape()).containsExactly(expected.shape());
        assertThat(Transforms.abs(actual.sub(expected), false).maxNumber().doubleValue()).isLessThan(1e-10);
    }

    private static Baseline randomBaseline(String model) {
        INDArray reference = read(model, "random_baseline");
        return (example, index) -> reference.castTo(example.dataType());
    }

    private static synchronized void record(String what, double relative) {
        MAX_DIFFERENCE.merge(what, relative, Math::max);
    }

    @AfterAll
    static void report() {
        StringBuilder s = new StringBuilder("Max |xai4j - Captum| / max |Captum|:\n");
        MAX_DIFFERENCE.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-32s %.2e%n", k, v)));
        System.out.print(s);
        BUILT.values().forEach(Nd4jImageModel::close);
        BUILT.clear();
    }

    static INDArray read(String model, String name) {
        String path = ROOT + model + "/" + name + ".npy";
        try (InputStream in = RuleReferenceTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path + ": run src/test/python/make_rule_references.py");
            }
            return Npy.read(in, path).castTo(DataType.DOUBLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network of the fixtures, layer by layer, with PyTorch's weights (float32 values), in the given type. */
    static Nd4jImageModel build(String model, DataType dataType) {
        int[] none = {0, 0};
        if (model.equals("vgg")) {
            NetworkSpec spec = new NetworkSpec("vgg", new long[] {3, 16, 16}, List.of(
                    conv(model, "conv1", true),
                    conv(model, "conv2", true),
                    new LayerSpec.Pooling("pool1", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2}, none,
                            false, false),
                    conv(model, "conv3", true),
                    new LayerSpec.Pooling("pool2", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2}, none,
                            false, false),
                    new LayerSpec.Flatten("flatten", false),
                    dense(model, "fc1", ActivationFunction.RELU),
                    dense(model, "fc2", ActivationFunction.IDENTITY)));
            return Nd4jImageModel.of(spec, dataType);
        }
        NetworkSpec spec = NetworkSpec.graph("residual", 3, 16, 16)
                .add(conv(model, "stem_conv", true))
                .add(new LayerSpec.Pooling("pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2}, none,
                        false, false))
                .add(conv(model, "b1_conv1", true))
                .add(new LayerSpec.Convolution("b1_conv2", read(model, "b1_conv2_weight"), null, new int[] {1, 1},
                        new int[] {1, 1}, new int[] {1, 1}, false, ActivationFunction.IDENTITY, 0))
                .add(new LayerSpec.ChannelAffine("b1_bn2", read(model, "b1_bn2_scale"), read(model, "b1_bn2_shift"),
                        ActivationFunction.IDENTITY, 0))
                .add(new LayerSpec.ElementWise("b1_add", LayerSpec.ElementWiseOp.ADD), "pool", "b1_bn2")
                .add(new LayerSpec.Activation("b1_out", ActivationFunction.RELU, 0))
                .add(new LayerSpec.GlobalPooling("gap", LayerSpec.PoolingType.AVG))
                .add(dense(model, "fc", ActivationFunction.IDENTITY))
                .build();
        return Nd4jImageModel.of(spec, dataType);
    }

    private static LayerSpec conv(String model, String name, boolean relu) {
        return new LayerSpec.Convolution(name, read(model, name + "_weight"), read(model, name + "_bias"),
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false,
                relu ? ActivationFunction.RELU : ActivationFunction.IDENTITY, 0);
    }

    private static LayerSpec dense(String model, String name, ActivationFunction activation) {
        return new LayerSpec.Dense(name, read(model, name + "_weight"), read(model, name + "_bias"), activation, 0);
    }
}
