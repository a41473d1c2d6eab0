package org.xai4j.onnx;

import org.xai4j.models.Preprocessing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.LayerSelectors;
import org.xai4j.activation.ActivationMap;
import org.xai4j.activation.GradCam;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.InputXGradient;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.Saliency;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;

import java.net.URISyntaxException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The torchvision-family fixtures written by {@code src/test/python/make_onnx_fixtures.py} (seeded random-weight
 * models built from torchvision's classes and blocks, exported by torch 1.13 at opsets 13 and 17): forward values
 * against ONNX Runtime's Java API and PyTorch, and attributions against Captum 0.8.0 on the same PyTorch models with
 * torchvision's ImageNet normalization in front.
 */
class TorchvisionFixturesTest {

    static final double[] MEAN = {0.485, 0.456, 0.406};
    static final double[] STD = {0.229, 0.224, 0.225};
    static final String[] MODELS = {"resnet", "mobilenet_v3", "mobilenet_v2", "shufflenet_v2", "squeezenet", "regnet",
            "efficientnet", "densenet", "googlenet", "convnext"};
    /** Captum's steps for both integration rules (meta.json records them too). */
    static final int STEPS = 16;


    static Stream<Arguments> fixtures() {
        List<Arguments> out = new ArrayList<>();
        for (String model : MODELS) {
            for (int opset : new int[] {13, 17}) {
                out.add(Arguments.of(model, opset));
            }
        }
        return out.stream();
    }

    static Path folder(String model) {
        try {
            return Path.of(TorchvisionFixturesTest.class.getResource("/onnx/" + model).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static INDArray npy(String model, String name) {
        return Nd4j.createFromNpyFile(folder(model).resolve(name).toFile()).castTo(DataType.DOUBLE);
    }

    static INDArray normalized(INDArray x) {
        INDArray out = x.dup();
        for (int c = 0; c < 3; c++) {
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .subi(MEAN[c]).divi(STD[c]);
        }
        return out;
    }

    static INDArray runtimeLogits(Path file, INDArray nchw) throws OrtException {
        // ONNX Runtime's environment is a JVM-wide singleton, released at exit.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            float[] data = nchw.castTo(DataType.FLOAT).dup('c').data().asFloat();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), nchw.shape());
                 OrtSession.Result result = session.run(java.util.Map.of(session.getInputNames().iterator().next(),
                         tensor))) {
                float[][] logits = (float[][]) result.get(0).getValue();
                return Nd4j.create(logits).castTo(DataType.DOUBLE);
            }
        }
    }

    /** {@code |actual - expected| <= tolerance * max|expected|} everywhere, shapes first. */
    static double assertRelativeToMax(INDArray actual, INDArray expected, double tolerance, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double scale = Transforms.abs(expected).maxNumber().doubleValue();
        assertThat(scale).as(what + " reference is not all zeros").isGreaterThan(0);
        double diff = Transforms.abs(actual.castTo(DataType.DOUBLE).sub(expected)).maxNumber().doubleValue();
        System.out.println("fixture check " + what + ": max |diff| / max|ref| = " + diff / scale);
        assertThat(diff / scale).as(what + ": max difference " + diff + " of max|ref| " + scale).isLessThanOrEqualTo(tolerance);
        return diff / scale;
    }

    static INDArray minMax(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        double min = d.minNumber().doubleValue();
        double max = d.maxNumber().doubleValue();
        return d.sub(min).divi(max - min);
    }

    @ParameterizedTest(name = "{0} opset {1}")
    @MethodSource("fixtures")
    void forwardMatchesOnnxRuntimeAndPyTorch(String name, int opset) throws Exception {
        Path file = folder(name).resolve(name + "_op" + opset + ".onnx");
        OnnxModel onnx = OnnxModels.read(file);
        assertThat(onnx.opset()).isEqualTo(opset);
        assertThat(onnx.inputShape()).containsExactly(3, 64, 64);
        INDArray x = npy(name, "input.npy");
        // A batch of two different images: the engine's batch handling is part of what is compared.
        INDArray batch = Nd4j.concat(0, x, Transforms.pow(x, 2));
        INDArray expected = runtimeLogits(file, normalized(batch));
        try (Nd4jImageModel model = onnx.imageModel()) {
            INDArray logits = model.logits(normalized(batch).castTo(DataType.FLOAT));
            // float32 against float32 with other summation orders: 1e-4 of the largest logit.
            assertRelativeToMax(logits, expected, 1e-4, name + " logits vs ONNX Runtime");
        }
        try (Nd4jImageModel model = Nd4jImageModel.of(Preprocessing.meanStd(MEAN, STD).prependTo(onnx.spec()))) {
            assertRelativeToMax(model.logits(x.castTo(DataType.FLOAT)), npy(name, "logits.npy"), 1e-4,
                    name + " logits vs PyTorch");
        }
    }

    @ParameterizedTest(name = "{0} opset {1}")
    @MethodSource("fixtures")
    void attributionsMatchCaptum(String name, int opset) throws Exception {
        OnnxModel onnx = OnnxModels.read(folder(name).resolve(name + "_op" + opset + ".onnx"));
        INDArray x = npy(name, "input.npy").castTo(DataType.FLOAT);
        int target = (int) npy(name, "logits.npy").argMax(1).getInt(0);
        Objective objective = Objective.classLogit(target);
        try (Nd4jImageModel model = Nd4jImageModel.of(Preprocessing.meanStd(MEAN, STD).prependTo(onnx.spec()))) {
            // float32 gradients through ~20 layers against PyTorch's float32: 1e-3 of the largest attribution.
            for (IntegrationRule rule : new IntegrationRule[] {IntegrationRule.GAUSS_LEGENDRE,
                    IntegrationRule.RIEMANN_TRAPEZOID}) {
                INDArray ig = IntegratedGradients.builder().setModel(model).optSteps(STEPS).optRule(rule)
                        .optBaselines(Baseline.zero()).build().attribute(x, objective).values();
                // Captum's riemann_trapezoid weighs its points 1/n (summing to (n-1)/n); xai4j's trapezoid is the exact
                // rule (see IntegrationRule), so Captum's values are rescaled by n/(n-1).
                INDArray reference = rule == IntegrationRule.GAUSS_LEGENDRE ? npy(name, "ig_gl.npy")
                        : npy(name, "ig_trap.npy").muli(STEPS / (STEPS - 1.0));
                assertRelativeToMax(ig, reference, 1e-3, name + " IG " + rule);
            }
            assertRelativeToMax(Saliency.builder().setModel(model).optAbsolute(false).build().attribute(x, objective)
                    .values(), npy(name, "saliency.npy"), 1e-3, name + " saliency");
            assertRelativeToMax(InputXGradient.builder().setModel(model).build().attribute(x, objective).values(),
                    npy(name, "ixg.npy"), 1e-3, name + " input x gradient");
            String layer = LayerSelectors.lastSpatialLayerBeforeGlobalPooling(model);
            if (name.equals("densenet")) {
                // torchvision's DenseNet applies F.relu after features.norm5 functionally, so Captum can only hook the
                // batch normalization before it: compare there (the default layer is that ReLU's output).
                assertThat(model.layerInfo(layer).kind()).isEqualTo(org.xai4j.engine.LayerKind.ACTIVATION);
                layer = model.layerInfo(layer).inputs().get(0);
            }
            ActivationMap cam = GradCam.builder().setModel(model).optLayer(layer).optRelu(false).build().map(x, objective);
            INDArray reference = npy(name, "gradcam.npy");
            INDArray raw = cam.raw();
            assertThat(raw.shape()).containsExactly(1, reference.size(2), reference.size(3));
            // Grad-CAM (no final ReLU: a random-weight map may be all negative) after min-max scaling: 1e-2.
            assertRelativeToMax(minMax(raw.reshape(reference.shape())), minMax(reference), 1e-2, name + " Grad-CAM");
        }
    }
}
