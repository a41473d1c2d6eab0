package org.xai4j.activation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.ActivationMapper;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every CAM against pytorch-grad-cam (commit 084273b) on two small networks that exist on both sides with the same
 * weights: a VGG-style chain and a residual graph with batch normalization, an addition and global average pooling
 * (fixtures written by {@code src/test/python/make_cam_references.py}), at three layers (see {@link #MAPPED}), on
 * three inputs and two sets of targets.
 *
 * <p>What is compared, after min-max normalization of both sides (the tolerance, 1e-2 of the range, since the
 * maps are compared after a normalization that removes scale; the measured differences are float32 noise, printed
 * at the end):
 * <ul>
 *   <li>the final maps at input resolution: pytorch-grad-cam's output ({@code ReLU}, {@code scale_cam_image} min-max,
 *       {@code cv2.resize} bilinear, min-max again) against {@link ActivationMap#maps()} (ReLU, bilinear upsampling
 *       with the same half-pixel convention, min-max); min-max commutes with bilinear upsampling (its weights sum to
 *       1), so the two pipelines define the same map;</li>
 *   <li>the maps at the layer's resolution: the ReLU of what {@code get_cam_image} returned against
 *       {@link ActivationMap#raw()}, both min-max normalized (not for FullGrad, which has no single layer).</li>
 * </ul>
 */
class CamReferenceTest {

    /** Of the range of the min-max normalized maps (the tolerance for CAMs). */
    private static final double TOLERANCE = 1e-2;
    private static final String ROOT = "/cam-references/";
    /**
     * The mapped layers: the VGG's last convolution (after its ReLU), the residual block's output (after the ReLU that
     * follows the addition) and, inside the block, its second batch normalization, whose values have both signs (no
     * ReLU): Ablation-CAM then ablates to {@code min - 1e7} instead of 0 (the reference uses batches of one channel,
     * see {@link AblationCam}), and Eigen-CAM's centering and sign matter more.
     */
    private static final Map<String, Mapped> MAPPED = Map.of(
            "vgg", new Mapped("vgg", "", "conv3"),
            "residual", new Mapped("residual", "", "b1_out"),
            "residual-branch", new Mapped("residual", "branch_", "b1_bn2"));
    private static final Map<String, CamFactory> CAMS = cams();
    private static final Map<String, Nd4jImageModel> BUILT = new ConcurrentHashMap<>();
    /** (cam, model, target set) to our maps for the three inputs. */
    private static final Map<String, ActivationMap> COMPUTED = new ConcurrentHashMap<>();
    private static final Map<String, Double> MAX_DIFFERENCE = new TreeMap<>();

    /** Where a case's fixtures are: the folder of the network, the prefix of the map files and the mapped layer. */
    private record Mapped(String folder, String prefix, String layer) { }

    /** A CAM on a model's layer, with or without the final ReLU. */
    private interface CamFactory {
        ActivationMapper make(Nd4jImageModel model, String layer, boolean relu);
    }

    private static Map<String, CamFactory> cams() {
        Map<String, CamFactory> cams = new TreeMap<>();
        cams.put("gradcam", (m, layer, relu) -> GradCam.builder().setModel(m).optLayer(layer).optRelu(relu).build());
        cams.put("gradcamplusplus", (m, layer, relu) -> GradCamPlusPlus.builder().setModel(m).optLayer(layer)
                .optRelu(relu).build());
        cams.put("scorecam", (m, layer, relu) -> ScoreCam.builder().setModel(m).optLayer(layer).optRelu(relu)
                .optBatchSize(7).build());
        cams.put("layercam", (m, layer, relu) -> LayerCam.builder().setModel(m).optLayer(layer).optRelu(relu).build());
        cams.put("hirescam", (m, layer, relu) -> HiResCam.builder().setModel(m).optLayer(layer).optRelu(relu).build());
        cams.put("gradcamelementwise", (m, layer, relu) -> GradCamElementWise.builder().setModel(m).optLayer(layer)
                .optRelu(relu).build());
        cams.put("xgradcam", (m, layer, relu) -> XGradCam.builder().setModel(m).optLayer(layer).optRelu(relu).build());
        cams.put("eigencam", (m, layer, relu) -> EigenCam.builder().setModel(m).optLayer(layer).optRelu(relu).build());
        cams.put("eigengradcam", (m, layer, relu) -> EigenGradCam.builder().setModel(m).optLayer(layer)
                .optRelu(relu).build());
        cams.put("ablationcam", (m, layer, relu) -> AblationCam.builder().setModel(m).optLayer(layer).optRelu(relu)
                .optBatchSize(5).build());
        // FullGrad sums non-negative terms and has no ReLU to switch off.
        cams.put("fullgrad", (m, layer, relu) -> FullGrad.builder().setModel(m).build());
        return cams;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String cam : CAMS.keySet()) {
            for (String model : new java.util.TreeSet<>(MAPPED.keySet())) {
                if (cam.equals("fullgrad") && !MAPPED.get(model).prefix().isEmpty()) {
                    continue;   // FullGrad does not depend on the layer
                }
                for (int input = 0; input < 3; input++) {
                    cases.add(Arguments.of(cam, model, input));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}, input {2}")
    @MethodSource("cases")
    void agreesWithPytorchGradCam(String cam, String modelName, int input) {
        Mapped mapped = MAPPED.get(modelName);
        Nd4jImageModel model = BUILT.computeIfAbsent(mapped.folder(), CamReferenceTest::build);
        INDArray inputs = read(mapped.folder(), "inputs");
        INDArray targets = read(mapped.folder(), "targets");
        INDArray referenceMaps = read(mapped.folder(), mapped.prefix() + cam + "_maps");
        INDArray referenceRaw = cam.equals("fullgrad") ? null : read(mapped.folder(), mapped.prefix() + cam + "_raw");
        for (int set = 0; set < targets.size(0); set++) {
            int[] classes = targets.getRow(set).toIntVector();
            int s = set;
            ActivationMap ours = COMPUTED.computeIfAbsent(cam + "/" + modelName + "/" + set,
                    key -> CAMS.get(cam).make(model, mapped.layer(), true).map(inputs, classes));
            String what = cam + " on " + modelName + ", input " + input + ", target " + classes[input];
            INDArray expected = referenceMaps.get(NDArrayIndex.point(s), NDArrayIndex.point(input));
            INDArray actual = ours.map(input);
            assertThat(actual.shape()).as(what).containsExactly(expected.shape());
            // A map that is negative everywhere is all zero after the ReLU, on both sides (scale_cam_image divides by
            // max + 1e-7, Normalization.MIN_MAX maps a constant to 0): compared as it is, and the map before the ReLU
            // below keeps every case informative.
            record(cam + " maps", modelName, compare(what + " (input resolution)", actual, expected, false));
            if (referenceRaw != null) {
                ActivationMap linear = COMPUTED.computeIfAbsent(cam + "/" + modelName + "/" + set + "/no-relu",
                        key -> CAMS.get(cam).make(model, mapped.layer(), false).map(inputs, classes));
                INDArray expectedRaw = referenceRaw.get(NDArrayIndex.point(s), NDArrayIndex.point(input));
                INDArray actualRaw = linear.raw().get(NDArrayIndex.point(input));
                assertThat(actualRaw.shape()).as(what).containsExactly(expectedRaw.shape());
                record(cam + " layer, before ReLU", modelName,
                        compare(what + " (layer resolution, before the ReLU)", actualRaw, expectedRaw, true));
                INDArray expectedRelu = Transforms.relu(expectedRaw.castTo(DataType.DOUBLE), true);
                record(cam + " layer", modelName, compare(what + " (layer resolution)",
                        ours.raw().get(NDArrayIndex.point(input)), expectedRelu, false));
            }
        }
    }

    /**
     * The max absolute difference of the two maps after min-max normalization; fails above the tolerance, or, with
     * {@code mustVary}, if the reference is constant (the comparison would say little).
     */
    private static double compare(String what, INDArray actual, INDArray expected, boolean mustVary) {
        INDArray a = minMax(actual);
        INDArray e = minMax(expected);
        double difference = Transforms.abs(a.sub(e), false).maxNumber().doubleValue();
        if (mustVary) {
            assertThat(e.maxNumber().doubleValue()).as(what + ": the reference map is not constant").isEqualTo(1.0);
        }
        assertThat(difference).as(what + ": max |ours - pytorch-grad-cam| after min-max").isLessThanOrEqualTo(TOLERANCE);
        return difference;
    }

    private static INDArray minMax(INDArray map) {
        INDArray m = map.castTo(DataType.DOUBLE);
        return Heatmaps.normalize(m.reshape(1, m.length()), Normalization.MIN_MAX).reshape(m.shape());
    }

    private static synchronized void record(String cam, String model, double difference) {
        MAX_DIFFERENCE.merge(cam + " / " + model, difference, Math::max);
    }

    @AfterAll
    static void report() {
        StringBuilder s = new StringBuilder("Max |xai4j - pytorch-grad-cam| after min-max normalization:\n");
        MAX_DIFFERENCE.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-40s %.2e%n", k, v)));
        System.out.print(s);
        BUILT.values().forEach(Nd4jImageModel::close);
    }

    static INDArray read(String model, String name) {
        String path = ROOT + model + "/" + name + ".npy";
        try (InputStream in = CamReferenceTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path + ": run src/test/python/make_cam_references.py");
            }
            return Npy.read(in, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network of the fixtures, layer by layer, with pytorch's weights. */
    static Nd4jImageModel build(String model) {
        int[] one = {1, 1};
        int[] none = {0, 0};
        LayerSpec.Pooling pool = new LayerSpec.Pooling("pool", LayerSpec.PoolingType.MAX, new int[] {2, 2},
                new int[] {2, 2}, none, false, false);
        if (model.equals("vgg")) {
            NetworkSpec spec = new NetworkSpec("vgg", new long[] {3, 16, 16}, List.of(
                    conv(model, "conv1", true, ActivationFunction.RELU),
                    conv(model, "conv2", true, ActivationFunction.RELU),
                    new LayerSpec.Pooling("pool1", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2}, none,
                            false, false),
                    conv(model, "conv3", true, ActivationFunction.RELU),
                    new LayerSpec.Pooling("pool2", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2}, none,
                            false, false),
                    new LayerSpec.Flatten("flatten", false),
                    dense(model, "fc1", ActivationFunction.RELU),
                    dense(model, "fc2", ActivationFunction.IDENTITY)));
            return Nd4jImageModel.of(spec);
        }
        NetworkSpec spec = NetworkSpec.graph("residual", 3, 16, 16)
                .add(conv(model, "stem_conv", false, ActivationFunction.IDENTITY))
                .add(affine(model, "stem_bn", ActivationFunction.RELU))
                .add(pool)
                .add(conv(model, "b1_conv1", false, ActivationFunction.IDENTITY))
                .add(affine(model, "b1_bn1", ActivationFunction.RELU))
                .add(conv(model, "b1_conv2", false, ActivationFunction.IDENTITY))
                .add(affine(model, "b1_bn2", ActivationFunction.IDENTITY))
                .add(new LayerSpec.ElementWise("b1_add", LayerSpec.ElementWiseOp.ADD), "pool", "b1_bn2")
                .add(new LayerSpec.Activation("b1_out", ActivationFunction.RELU, 0))
                .add(new LayerSpec.GlobalPooling("gap", LayerSpec.PoolingType.AVG))
                .add(dense(model, "fc", ActivationFunction.IDENTITY))
                .build();
        return Nd4jImageModel.of(spec);
    }

    private static LayerSpec conv(String model, String name, boolean bias, ActivationFunction activation) {
        return new LayerSpec.Convolution(name, read(model, name + "_weight"), bias ? read(model, name + "_bias") : null,
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false, activation, 0);
    }

    private static LayerSpec dense(String model, String name, ActivationFunction activation) {
        return new LayerSpec.Dense(name, read(model, name + "_weight"), read(model, name + "_bias"), activation, 0);
    }

    private static LayerSpec affine(String model, String name, ActivationFunction activation) {
        return new LayerSpec.ChannelAffine(name, read(model, name + "_scale"), read(model, name + "_shift"), activation, 0);
    }
}
