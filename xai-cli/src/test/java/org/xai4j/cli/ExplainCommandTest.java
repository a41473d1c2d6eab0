package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.xai4j.cli.CliRunner.run;
import static org.xai4j.testing.NdAssertions.assertAllClose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import com.fasterxml.jackson.databind.JsonNode;
import org.xai4j.LayerSelectors;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.explainers.MethodOption;
import org.xai4j.io.Npy;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelLoadException;

/**
 * {@code xai4j explain} on the shipped toy model (as a DL4J zip and by name), a shipped photo, a toy-world face and the
 * ResNet-style Keras fixture.
 */
class ExplainCommandTest {

    @TempDir
    static Path tmp;

    static Path model;
    static Path photo;
    static Path face;

    @BeforeAll
    static void fixtures() throws IOException {
        model = CliRunner.toyModelZip(tmp);
        photo = CliRunner.shippedPhoto(tmp, "chelsea.png");
        face = CliRunner.toyFace(tmp);
    }

    /** What the library computes for the same file, image and options: values[0] in the .npy layout. */
    private static INDArray library(Path modelFile, Path image, Explainer explainer, int... target)
            throws IOException, ModelLoadException {
        try (ImageClassifier c = ImageClassifierLoader.builder().setSource(modelFile).build().load()) {
            INDArray x = c.toInput(c.readImage(image));
            INDArray v = explainer.run(c.model(), x, target).values().get(NDArrayIndex.point(0));
            return (v.rank() == 3 ? v.permute(1, 2, 0) : v).castTo(DataType.FLOAT).dup('c');
        }
    }

    @Test
    void integratedGradientsWriteRawValuesEqualToTheLibrarys() throws Exception {
        Path out = tmp.resolve("ig");
        CliRunner.Result r = run("explain", "--model", model.toString(), "--image", photo.toString(), "--method", "ig",
                "--steps", "8", "--rule", "riemann_trapezoid", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("method").asText()).isEqualTo("ig");
        int predicted = json.path("prediction").path("index").asInt();
        assertThat(predicted).isBetween(0, 5);
        assertThat(json.path("prediction").path("label").asText()).isNotEmpty();
        assertThat(json.path("prediction").path("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.path("target").path("index").asInt()).isEqualTo(predicted);
        assertThat(json.path("steps").asInt()).isEqualTo(8);
        assertThat(json.path("seconds").asDouble()).isPositive();
        assertThat(json.path("shape").toString()).isEqualTo("[64,64,3]");
        Path npy = Path.of(json.path("npy").asText());
        assertThat(npy.getParent()).isEqualTo(out.toAbsolutePath().normalize());
        INDArray values = Npy.read(npy);
        assertThat(values.dataType()).isEqualTo(DataType.FLOAT);
        assertAllClose(values, library(model, photo, Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(8)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).build()), 1e-5, 1e-7);
        // the delta is sum(attribution) - (F(x) - F(0)); its relative error is |delta| / |F(x) - F(0)|
        double difference = values.sumNumber().doubleValue() - json.path("delta").asDouble();
        assertThat(json.path("relativeError").asDouble()).isCloseTo(Math.abs(json.path("delta").asDouble())
                / Math.abs(difference), within(1e-6));
        assertThat(ImageIO.read(Path.of(json.path("overlay").asText()).toFile()).getWidth()).isEqualTo(64);
        assertThat(ImageIO.read(Path.of(json.path("input").asText()).toFile()).getWidth()).isEqualTo(64);
        assertThat(r.err()).as("plain progress lines on stderr").contains("xai4j explain: IntegratedGradients");
    }

    @Test
    void adaptiveIntegratedGradientsMeetTheToleranceAgainstTheLogits() throws Exception {
        CliRunner.Result r = run("explain", "--model", model.toString(), "--image", face.toString(), "--method", "ig",
                "--tolerance", "0.01", "--max-steps", "256", "--out", tmp.resolve("adaptive").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        int target = json.path("target").path("index").asInt();
        double relative;
        try (ImageClassifier c = ImageClassifierLoader.builder().setSource(model).build().load()) {
            INDArray x = c.toInput(c.readImage(face));
            double fx = c.model().logits(x).getDouble(0, target);
            double f0 = c.model().logits(Nd4j.zeros(x.dataType(), x.shape())).getDouble(0, target);
            double sum = Npy.read(Path.of(json.path("npy").asText())).sumNumber().doubleValue();
            relative = Math.abs(sum - (fx - f0)) / Math.abs(fx - f0);
        }
        assertThat(json.path("relativeError").asDouble()).isCloseTo(relative, within(1e-4));
        int steps = json.path("steps").asInt();
        assertThat(steps).isBetween(8, 256);
        assertThat(relative <= 0.01 + 1e-4 || steps + 8 > 256).as(relative + " at " + steps + " points").isTrue();
    }

    @Test
    void severalBaselinesAreAveraged() throws Exception {
        CliRunner.Result r = run("explain", "--model", model.toString(), "--image", face.toString(), "--steps", "4",
                "--baseline", "zero", "--baseline", "blur", "--out", tmp.resolve("baselines").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertAllClose(Npy.read(Path.of(r.json().path("npy").asText())), library(model, face, Explainer.builder()
                .setMethod(ExplanationMethod.IG).optSteps(4).optBaselines(Baseline.zero(), Baseline.gaussianBlur(4))
                .build()), 1e-5, 1e-7);
    }

    @Test
    void classActivationAndNeuronMapsAreRawHeightByWidth() throws Exception {
        CliRunner.Result cam = run("explain", "--model", model.toString(), "--image", face.toString(), "--method",
                "gradcam", "--target", "2", "--out", tmp.resolve("cam").toString());
        assertThat(cam.status()).as(cam.err()).isZero();
        JsonNode json = cam.json();
        assertThat(json.path("layer").asText()).isEqualTo("block5_conv3");
        assertThat(json.path("target").path("index").asInt()).isEqualTo(2);
        assertThat(json.path("delta").isNull()).isTrue();
        INDArray camValues = Npy.read(Path.of(json.path("npy").asText()));
        assertThat(camValues.shape()).containsExactly(64, 64);
        assertAllClose(camValues, library(model, face, Explainer.builder().setMethod(ExplanationMethod.GRAD_CAM)
                .build(), 2), 1e-5, 1e-7);
        assertThat(camValues.maxNumber().doubleValue()).as("raw, not normalized to 1").isNotEqualTo(1.0);

        CliRunner.Result acts = run("explain", "--model", model.toString(), "--image", face.toString(), "--method",
                "activations", "--layer", "block4_conv3", "--out", tmp.resolve("acts").toString());
        assertThat(acts.status()).as(acts.err()).isZero();
        int neuron = acts.json().path("target").path("neuron").asInt();
        assertAllClose(Npy.read(Path.of(acts.json().path("npy").asText())), library(model, face, Explainer.builder()
                .setMethod(ExplanationMethod.ACTIVATIONS).optLayer("block4_conv3").build(), neuron), 1e-5, 1e-7);
    }

    @Test
    void everyMethodOfTheLibraryIsReachable() throws IOException {
        for (String method : ExplanationMethod.ids()) {
            List<String> args = new ArrayList<>(List.of("explain", "--model", "toy:object", "--image",
                    face.toString(), "--method", method, "--out", tmp.resolve("all-" + method).toString()));
            ExplanationMethod m = ExplanationMethod.fromId(method);
            // the cheapest settings the table allows, so that every method runs in a few seconds
            if (m.takes(MethodOption.STEPS)) {
                args.addAll(List.of("--steps", "3"));
            }
            if (m.takes(MethodOption.SAMPLES)) {
                args.addAll(List.of("--samples", "3"));
            }
            CliRunner.Result r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(method + ": " + r.err()).isZero();
            JsonNode json = r.json();
            assertThat(json.path("model").asText()).isEqualTo("ObjectVGG");
            assertThat(json.path("method").asText()).isEqualTo(method);
            assertThat(json.path("shape").toString()).isEqualTo(m.producesMap() ? "[64,64]" : "[64,64,3]");
            assertThat(Path.of(json.path("npy").asText())).isRegularFile();
        }
    }

    @Test
    void aResNetStyleKerasFileIsExplainedAtItsOwnInputSize() throws Exception {
        Path resnet = CliRunner.miniResNet();
        CliRunner.Result ig = run("explain", "--model", resnet.toString(), "--image", photo.toString(), "--method",
                "ig", "--steps", "16", "--out", tmp.resolve("resnet-ig").toString());
        assertThat(ig.status()).as(ig.err()).isZero();
        JsonNode json = ig.json();
        assertThat(json.path("model").asText()).isEqualTo("mini_resnet_functional.h5");
        // the file records its input size (36x32); the 224x224 photo is resized and center-cropped to it
        assertThat(json.path("shape").toString()).isEqualTo("[36,32,3]");
        assertAllClose(Npy.read(Path.of(json.path("npy").asText())), library(resnet, photo, Explainer.builder()
                .setMethod(ExplanationMethod.IG).optSteps(16).build()), 1e-4, 1e-6);

        CliRunner.Result cam = run("explain", "--model", resnet.toString(), "--image", photo.toString(), "--method",
                "gradcampp", "--out", tmp.resolve("resnet-cam").toString());
        assertThat(cam.status()).as(cam.err()).isZero();
        try (ImageClassifier c = ImageClassifierLoader.builder().setSource(resnet).build().load()) {
            assertThat(cam.json().path("layer").asText())
                    .isEqualTo(LayerSelectors.lastSpatialLayerBeforeGlobalPooling(c.model()));
        }
        assertThat(cam.json().path("shape").toString()).isEqualTo("[36,32]");
    }

    @Test
    void optionsThatTheMethodDoesNotUseAreRefusedByTheirName() {
        CliRunner.Result r = run("explain", "--model", model.toString(), "--image", face.toString(), "--method",
                "saliency", "--steps", "3", "--out", tmp.resolve("x0").toString());
        r.assertUsageError("explain");
        assertThat(r.err()).contains("steps does not apply to saliency; it applies to ig");
        CliRunner.Result bad = run("explain", "--model", model.toString(), "--image", face.toString(), "--steps", "0",
                "--out", tmp.resolve("x00").toString());
        bad.assertUsageError("explain");
        assertThat(bad.err()).contains("steps must be at least 1").contains("got 0");
        assertThat(tmp.resolve("x0")).doesNotExist();
    }

    @Test
    void unknownMethodOptionLayerAndTargetAreOneLineUsageErrors() {
        assertThat(run("explain", "--model", model.toString(), "--image", face.toString(), "--method", "magic")
                .assertUsageError("explain").err()).contains("unknown explanation method 'magic'")
                .contains("gradcampp");
        assertThat(run("explain", "--model", model.toString(), "--image", face.toString(), "--color", "red")
                .assertUsageError("explain").err()).contains("Unknown option").contains("'--color'");
        assertThat(run("explain", "--model", model.toString(), "--image", face.toString(), "--method", "gradcam",
                "--layer", "nope", "--out", tmp.resolve("x3").toString()).assertUsageError("explain").err())
                .contains("unknown layer 'nope'").contains("block5_conv3");
        assertThat(run("explain", "--model", model.toString(), "--image", face.toString(), "--target", "99",
                "--out", tmp.resolve("x4").toString()).assertUsageError("explain").err()).contains("out of range");
        assertThat(run("explain", "--model", model.toString(), "--image", face.toString(), "--rule", "simpson")
                .assertUsageError("explain").err()).contains("unknown integration rule 'simpson'");
        assertThat(run("explain", "--image", face.toString()).assertUsageError("explain").err())
                .contains("Missing required option").contains("--model");
        assertThat(tmp.resolve("x3")).doesNotExist();
    }

    @Test
    void aFailureWhileExplainingIsExitStatus1AndOneLine() {
        // 100,000 interpolation points in one model pass: refused before allocating, as more memory than any machine's
        CliRunner.Result r = run("explain", "--model", model.toString(), "--image", face.toString(), "--rule",
                "riemann_middle", "--steps", "100000", "--internal-batch", "100000", "--out",
                tmp.resolve("x6").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("xai4j explain: failed: ").contains("batch of 100000 inputs").hasLineCount(1)
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("x6")).doesNotExist();
    }

    @Test
    void missingFilesAreRefusedBeforeAnyOutput() throws IOException {
        run("explain", "--model", model.toString(), "--image", tmp.resolve("nope.png").toString(), "--out",
                tmp.resolve("x1").toString()).assertUsageError("explain");
        assertThat(run("explain", "--model", tmp.resolve("nope.zip").toString(), "--image", face.toString(), "--out",
                tmp.resolve("x2").toString()).assertUsageError("explain").err()).contains("cannot read model file");
        Path bad = Files.writeString(tmp.resolve("bad.png"), "this is not a png");
        assertThat(run("explain", "--model", model.toString(), "--image", bad.toString(), "--out",
                tmp.resolve("x5").toString()).assertUsageError("explain").err()).startsWith(
                "xai4j explain: cannot read image " + bad + ": ");
        assertThat(tmp.resolve("x1")).doesNotExist();
        assertThat(tmp.resolve("x5")).doesNotExist();
    }

    @Test
    void aNonEmptyOutputFolderNeedsForce() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("old.txt"), "old");
        CliRunner.Result refused = run("explain", "--model", model.toString(), "--image", face.toString(), "--method",
                "saliency", "--out", out.toString());
        refused.assertUsageError("explain");
        assertThat(refused.err()).contains("not empty").contains("--force");
        assertThat(out.resolve("old.txt")).exists();
        CliRunner.Result forced = run("explain", "--model", model.toString(), "--image", face.toString(), "--method",
                "saliency", "--out", out.toString(), "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(out.resolve("old.txt")).doesNotExist();
        assertThat(Path.of(forced.json().path("npy").asText())).exists();
        assertThat(out.resolve("input.png")).exists();
    }

    @Test
    void helpListsTheOptionsOnStdout() {
        CliRunner.Result r = run("explain", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: xai4j explain", "--model", "--image", "--method", "--tolerance",
                "--baseline", "--internal-batch", "--layer", "--target", "--out", "--force");
        CliRunner.Result top = run("--help");
        assertThat(top.status()).isZero();
        assertThat(top.out()).contains("explain", "study", "features", "activations", "compare");
        CliRunner.Result none = run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("give a command");
    }
}
