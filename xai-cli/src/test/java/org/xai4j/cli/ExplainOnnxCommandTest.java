package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.cli.CliRunner.run;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import com.fasterxml.jackson.databind.JsonNode;
import org.xai4j.io.Npy;

/**
 * torchvision-family models exported with {@code torch.onnx.export} at opsets 13 and 17, explained from the command
 * line with {@code --preprocess imagenet}, against Captum 0.8.0 on the same PyTorch models and the same pixels
 * (xai-cli/src/test/python/make_onnx_cli_references.py; the .onnx files are xai-onnx's fixtures): integrated gradients,
 * saliency, input x gradient and Grad-CAM at the default layer. The references are Captum's float64 results (the
 * generator says why); the command runs in float32.
 */
class ExplainOnnxCommandTest {

    private static final String[] FAMILIES = {"resnet", "mobilenet_v3", "shufflenet_v2", "regnet"};

    @TempDir
    static Path tmp;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String family : FAMILIES) {
            for (int opset : new int[] {13, 17}) {
                out.add(Arguments.of(family, opset));
            }
        }
        return out.stream();
    }

    private static Path resource(String path) {
        try {
            return Path.of(ExplainOnnxCommandTest.class.getResource(path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The xai-onnx fixture export (the same model Captum explained). */
    private static Path onnx(String family, int opset) {
        return Path.of("..", "xai-onnx", "src", "test", "resources", "onnx", family, family + "_op" + opset + ".onnx");
    }

    private static JsonNode explain(String family, int opset, String method, String... extra) throws IOException {
        Path references = resource("/onnx-cli/" + family);
        int target = new com.fasterxml.jackson.databind.ObjectMapper().readTree(references.resolve("meta.json").toFile())
                .path(method.equals("gradcam") ? "gradcam_target" : "target").asInt();
        List<String> args = new ArrayList<>(List.of("explain", "--model", onnx(family, opset).toString(),
                "--preprocess", "imagenet", "--image", references.resolve("image.png").toString(), "--method", method,
                "--target", Integer.toString(target), "--out", tmp.resolve(family + opset + method).toString()));
        args.addAll(List.of(extra));
        CliRunner.Result r = run(args.toArray(String[]::new));
        assertThat(r.status()).as(family + " " + method + ": " + r.err()).isZero();
        return r.json();
    }

    /** max |actual - expected| / max |expected|, after checking shapes. */
    private static double relativeToMax(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        INDArray e = expected.castTo(DataType.DOUBLE);
        return Transforms.abs(actual.castTo(DataType.DOUBLE).sub(e)).maxNumber().doubleValue()
                / Transforms.abs(e).maxNumber().doubleValue();
    }

    private static INDArray minMax(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        double min = d.minNumber().doubleValue();
        return d.sub(min).divi(d.maxNumber().doubleValue() - min);
    }

    @ParameterizedTest(name = "{0} opset {1}")
    @MethodSource("cases")
    void theCommandAgreesWithCaptumOnModelsItHasNeverSeen(String family, int opset) throws IOException {
        Path references = resource("/onnx-cli/" + family);
        // float32 against float32 through ~20 layers: 1e-3 of the largest attribution (the tolerance)
        for (String[] m : new String[][] {{"ig", "ig.npy"}, {"saliency", "saliency.npy"}, {"inputxgrad", "ixg.npy"}}) {
            JsonNode json = m[0].equals("ig") ? explain(family, opset, "ig", "--steps", "16")
                    : explain(family, opset, m[0]);
            double difference = relativeToMax(Npy.read(Path.of(json.path("npy").asText())),
                    Npy.read(references.resolve(m[1])));
            System.out.println("onnx explain " + family + " opset " + opset + " " + m[0] + ": max difference "
                    + difference);
            assertThat(difference).as(family + " opset " + opset + " " + m[0]).isLessThan(1e-3);
        }
        // Grad-CAM at the default layer: 1e-2 after min-max normalization
        JsonNode cam = explain(family, opset, "gradcam");
        double difference = relativeToMax(minMax(Npy.read(Path.of(cam.path("npy").asText()))),
                minMax(Npy.read(references.resolve("gradcam.npy"))));
        System.out.println("onnx explain " + family + " opset " + opset + " gradcam: max difference " + difference);
        assertThat(difference).as(family + " opset " + opset + " gradcam at " + cam.path("layer").asText())
                .isLessThan(1e-2);
    }

    static Stream<Arguments> methods() {
        List<Arguments> out = new ArrayList<>();
        String[][] methods = {{"gradcampp"}, {"scorecam"}, {"layercam"}, {"hirescam"}, {"gradcamelementwise"},
                {"xgradcam"}, {"eigencam"}, {"eigengradcam"}, {"ablationcam"}, {"guidedbackprop"}, {"deconvolution"},
                {"occlusion", "--window", "8", "--stride", "4"}, {"featureablation", "--segments", "grid:8"}};
        for (String[] method : methods) {
            for (int opset : new int[] {13, 17}) {
                out.add(Arguments.of(method[0], opset, List.of(method).subList(1, method.length)));
            }
        }
        return out.stream();
    }

    /**
     * Every other deterministic method of the table on the residual fixture (torchvision's BasicBlock): the CAMs against
     * pytorch-grad-cam's final maps (1e-2 after min-max normalization, the tolerance), the rest against Captum
     * (1e-3 of max|ref|); references from xai-cli/src/test/python/make_onnx_cli_method_references.py.
     */
    @ParameterizedTest(name = "{0} opset {1}")
    @MethodSource("methods")
    void everyDeterministicMethodAgreesWithItsReferenceImplementation(String method, int opset, List<String> options)
            throws IOException {
        JsonNode json = explain("resnet", opset, method, options.toArray(String[]::new));
        INDArray actual = Npy.read(Path.of(json.path("npy").asText()));
        INDArray expected = Npy.read(resource("/onnx-cli/resnet/methods/" + method + ".npy"));
        boolean map = expected.rank() == 2;
        double difference = map ? relativeToMax(minMax(actual), minMax(expected)) : relativeToMax(actual, expected);
        System.out.println("onnx explain " + method + " opset " + opset + ": max difference " + difference);
        assertThat(difference).as(method + " opset " + opset).isLessThan(map ? 1e-2 : 1e-3);
    }

    @Test
    void aCorruptOnnxFileIsAOneLineUsageError() throws IOException {
        Path broken = java.nio.file.Files.write(tmp.resolve("broken.onnx"), new byte[] {8, 7, 18, 3, 'x'});
        CliRunner.Result r = run("explain", "--model", broken.toString(), "--image",
                resource("/onnx-cli/resnet/image.png").toString(), "--out", tmp.resolve("broken").toString());
        r.assertUsageError("explain");
        assertThat(r.err()).contains("broken.onnx").doesNotContain("\tat ");
        assertThat(tmp.resolve("broken")).doesNotExist();
    }
}
