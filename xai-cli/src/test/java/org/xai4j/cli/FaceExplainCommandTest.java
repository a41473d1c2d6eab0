package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.cli.CliRunner.run;
import static org.xai4j.testing.NdAssertions.assertAllClose;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import com.fasterxml.jackson.databind.JsonNode;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.faceapi.DescriptorSimilarity;
import org.xai4j.faceapi.DetectedFace;
import org.xai4j.faceapi.FaceAnalyzer;
import org.xai4j.faceapi.FaceApiModel;
import org.xai4j.faceapi.FaceApiModels;
import org.xai4j.faceapi.FaceApiPhotos;
import org.xai4j.io.Npy;
import org.xai4j.viz.RgbImage;

/**
 * {@code xai4j explain} on face-api networks and a shipped group photo: one explanation per detected face, each equal
 * to the library's run on that face's network input, and the identity objective of {@code --reference-image}.
 */
class FaceExplainCommandTest {

    @TempDir
    static Path tmp;

    /** sample1: three faces at the detector's default settings. */
    static Path group;
    static RgbImage groupPhoto;
    static List<DetectedFace> faces;
    static FaceAnalyzer analyzer;

    @BeforeAll
    static void fixtures() throws IOException {
        group = shippedFacePhoto("sample1.png");
        groupPhoto = FaceApiPhotos.read("sample1.png");
        analyzer = new FaceAnalyzer();
        faces = analyzer.analyze(groupPhoto);
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    /** A shipped face-api photo copied to a file (once). */
    static Path shippedFacePhoto(String name) throws IOException {
        Path file = tmp.resolve(name);
        if (Files.exists(file)) {
            return file;
        }
        try (InputStream in = FaceApiPhotos.class.getResourceAsStream("/org/xai4j/faceapi/photos/" + name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }

    /** The library's explanation of one face, in the .npy layout (H x W x C). */
    private static INDArray library(FaceApiModel model, DetectedFace face, Explainer explainer) {
        INDArray x = FaceAnalyzer.input(groupPhoto, face, model);
        INDArray v = explainer.run(model.model(), x).values().get(NDArrayIndex.point(0));
        return (v.rank() == 3 ? v.permute(1, 2, 0) : v).castTo(DataType.FLOAT).dup('c');
    }

    @Test
    void everyDetectedFaceIsExplainedOnItsOwnInput() throws Exception {
        assertThat(faces).as("the shipped sample1 shows three faces").hasSize(3);
        Path out = tmp.resolve("all");
        CliRunner.Result r = run("explain", "--model", "faceapi:expression", "--image", group.toString(), "--method",
                "ig", "--steps", "4", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("model").asText()).isEqualTo("faceapi:expression");
        assertThat(json.path("detected").asInt()).isEqualTo(faces.size());
        assertThat(json.path("faces").size()).isEqualTo(faces.size());
        assertThat(json.path("shape").toString()).isEqualTo("[112,112,3]");
        try (FaceApiModel expression = FaceApiModels.load("expression")) {
            Explainer ig = Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(4).build();
            for (int i = 0; i < faces.size(); i++) {
                JsonNode f = json.path("faces").get(i);
                DetectedFace face = faces.get(i);
                assertThat(f.path("index").asInt()).isEqualTo(i);
                assertThat(f.path("score").asDouble()).isEqualTo(face.detection().score());
                assertThat(f.path("box").path("x").asDouble()).isEqualTo(face.detection().box().x());
                assertThat(f.path("box").path("width").asDouble()).isEqualTo(face.detection().box().width());
                // the predicted expression is the arg-max of the network on the face's own input
                INDArray x = FaceAnalyzer.input(groupPhoto, face, expression);
                int predicted = org.xai4j.Predictions.predictedClasses(expression.model(), x)[0];
                assertThat(f.path("prediction").path("index").asInt()).isEqualTo(predicted);
                assertThat(f.path("prediction").path("label").asText())
                        .isEqualTo(FaceApiModels.EXPRESSION_LABELS.get(predicted));
                assertThat(f.path("target").path("index").asInt()).isEqualTo(predicted);
                Path npy = Path.of(f.path("npy").asText());
                assertThat(npy.getParent()).isEqualTo(out.toAbsolutePath().normalize());
                assertThat(npy.getFileName().toString()).isEqualTo("face" + i + "_ig_"
                        + FaceApiModels.EXPRESSION_LABELS.get(predicted) + ".npy");
                INDArray values = Npy.read(npy);
                // the same code path on the same input: only summation order may differ
                assertAllClose(values, library(expression, face, ig), 1e-5, 1e-7);
                BufferedImage crop = ImageIO.read(Path.of(f.path("input").asText()).toFile());
                assertThat(crop.getWidth()).isEqualTo(112);
                // the crop PNG is the network input (8-bit quantized: half a grey level)
                RgbImage cropImage = RgbImage.fromBufferedImage(crop);
                assertAllClose(org.xai4j.viz.nd4j.ImageArrays.toBatch(cropImage), x, 0, 0.5 / 255 + 1e-6);
                assertThat(ImageIO.read(Path.of(f.path("overlay").asText()).toFile()).getWidth()).isEqualTo(112);
                assertThat(f.path("relativeError").isNumber()).isTrue();
            }
        }
        try (var files = Files.list(out)) {
            assertThat(files.count()).as("three files per face").isEqualTo(3L * faces.size());
        }
    }

    @Test
    void oneFaceIsExplainedWithFaceN() throws Exception {
        Path out = tmp.resolve("one");
        CliRunner.Result r = run("explain", "--model", "faceapi:expression", "--image", group.toString(), "--method",
                "gradcam", "--face", "1", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("faces").size()).isEqualTo(1);
        JsonNode f = json.path("faces").get(0);
        assertThat(f.path("index").asInt()).isEqualTo(1);
        assertThat(json.path("layer").asText()).isEqualTo("dense3");
        try (FaceApiModel expression = FaceApiModels.load("expression")) {
            assertAllClose(Npy.read(Path.of(f.path("npy").asText())), library(expression, faces.get(1),
                    Explainer.builder().setMethod(ExplanationMethod.GRAD_CAM).build()), 1e-5, 1e-7);
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).allMatch(n -> n.startsWith("face1_"))
                    .hasSize(3);
        }
    }

    @Test
    void referenceImageExplainsTheSimilarityOfEachFaceToTheReference() throws Exception {
        Path single = shippedFacePhoto("sample2.png");
        CliRunner.Result r = run("explain", "--model", "faceapi:recognition", "--image", single.toString(),
                "--reference-image", single.toString(), "--method", "ig", "--tolerance", "0.02", "--max-steps", "128", "--out",
                tmp.resolve("identity").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode f = r.json().path("faces").get(0);
        assertThat(r.json().path("faces").size()).isEqualTo(1);
        assertThat(f.has("prediction")).as("no class prediction for a descriptor network").isFalse();
        double sum = Npy.read(Path.of(f.path("npy").asText())).sumNumber().doubleValue();
        RgbImage photo = FaceApiPhotos.read("sample2.png");
        try (FaceApiModel recognition = FaceApiModels.load("recognition")) {
            DetectedFace face = analyzer.analyze(photo).get(0);
            INDArray x = FaceAnalyzer.input(photo, face, recognition);
            double[] d = recognition.outputs(x).toDoubleVector();
            double[] black = recognition.outputs(x.mul(0)).toDoubleVector();
            // the reference is the same face, so similarity(x) = 1; completeness: sum = s(x) - s(black)
            double fx = cosine(d, d);
            double f0 = cosine(black, d);
            assertThat(f.path("target").path("similarity").asDouble()).isCloseTo(fx, org.assertj.core.api.Assertions
                    .within(1e-5));
            // the reported delta is sum - (s(x) - s(black)), measured here independently (float32 descriptors)
            assertThat(f.path("delta").asDouble()).isCloseTo(sum - (fx - f0), org.assertj.core.api.Assertions
                    .within(1e-4));
            // adaptive IG stops once the relative completeness error is within the tolerance, or at --max-steps
            double relative = Math.abs(sum - (fx - f0)) / Math.abs(fx - f0);
            int steps = f.path("steps").asInt();
            assertThat(relative <= 0.02 + 1e-4 || steps * 2 > 128).as(relative + " at " + steps + " points").isTrue();
            assertThat(relative).as("completeness within IG's quadrature error").isLessThan(0.1);
        }
    }

    @Test
    void referenceImageWorksForClassActivationMapsToo() throws Exception {
        Path single = shippedFacePhoto("sample2.png");
        CliRunner.Result r = run("explain", "--model", "faceapi:recognition", "--image", single.toString(),
                "--reference-image", group.toString(), "--method", "gradcam", "--out", tmp.resolve("identity-cam")
                        .toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("layer").asText()).isEqualTo("conv256_down_out");
        JsonNode f = json.path("faces").get(0);
        INDArray values = Npy.read(Path.of(f.path("npy").asText()));
        assertThat(values.shape()).containsExactly(150, 150);
        try (FaceApiModel recognition = FaceApiModels.load("recognition")) {
            // the reference: the first face of the group photo
            float[] reference = recognition.outputs(FaceAnalyzer.input(groupPhoto, faces.get(0), recognition))
                    .toFloatVector();
            RgbImage photo = FaceApiPhotos.read("sample2.png");
            INDArray x = FaceAnalyzer.input(photo, analyzer.analyze(photo).get(0), recognition);
            DescriptorSimilarity objective = DescriptorSimilarity.to(reference);
            INDArray expected = Explainer.builder().setMethod(ExplanationMethod.GRAD_CAM).build()
                    .activationMapper(recognition.model(), "conv256_down_out").map(x, objective).maps()
                    .get(NDArrayIndex.point(0)).castTo(DataType.FLOAT);
            assertAllClose(values, expected, 1e-5, 1e-7);
            assertThat(f.path("target").path("similarity").asDouble())
                    .isCloseTo(objective.values(recognition.outputs(x)).getDouble(0),
                            org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void misuseGivesOneLineUsageErrors() throws Exception {
        String img = group.toString();
        assertThat(run("explain", "--model", "faceapi:recognition", "--image", img, "--reference-image", img,
                "--target", "3", "--out", tmp.resolve("e1").toString()).assertUsageError("explain").err())
                .contains("--reference-image").contains("--target");
        assertThat(run("explain", "--model", "faceapi:expression", "--image", img, "--reference-image", img,
                "--out", tmp.resolve("e2").toString()).assertUsageError("explain").err())
                .contains("descriptor network").contains("faceapi:expression");
        assertThat(run("explain", "--model", "toy:emotion", "--image", img, "--face", "0", "--out",
                tmp.resolve("e3").toString()).assertUsageError("explain").err()).contains("--face").contains("face-api");
        assertThat(run("explain", "--model", "toy:emotion", "--image", img, "--reference-image", img, "--out",
                tmp.resolve("e6").toString()).assertUsageError("explain").err()).contains("descriptor network")
                .contains("toy:emotion");
        assertThat(run("explain", "--model", "faceapi:recognition", "--image", img, "--reference-image", img,
                "--method", "activations", "--out", tmp.resolve("e7").toString()).assertUsageError("explain").err())
                .contains("--reference-image").contains("activations");
        assertThat(run("explain", "--model", "faceapi:expression", "--image", img, "--face", "7", "--out",
                tmp.resolve("e4").toString()).assertUsageError("explain").err()).contains("--face 7")
                .contains("3 faces");
        Path blank = tmp.resolve("blank.png");
        ImageIO.write(new BufferedImage(200, 160, BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
        assertThat(run("explain", "--model", "faceapi:expression", "--image", blank.toString(), "--out",
                tmp.resolve("e5").toString()).assertUsageError("explain").err()).contains("no face found");
        assertThat(tmp.resolve("e4")).doesNotExist();
        assertThat(tmp.resolve("e5")).doesNotExist();
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
