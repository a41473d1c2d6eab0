package org.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.toy.ToySample;

/** The explain command end to end on a small DL4J zip saved by the test (and the shipped toy model when present). */
class ExplainTest {

    @TempDir
    static Path tmp;

    static Path model;
    static Path image;

    @BeforeAll
    static void fixtures() throws IOException {
        model = tmp.resolve("object_fixture.zip");
        ModelSerializer.writeModel(Fixtures.network("object"), model.toFile(), false);
        ToySample face = ToyModels.faceWorld(FaceTask.EMOTION).sample(ToyModels.TEST_START + 3);
        image = tmp.resolve("face.png");
        ImageIO.write(face.toBufferedImage(), "png", image.toFile());
    }

    record Result(int status, String out, String err) {
        JsonNode json() throws IOException {
            List<String> lines = out.strip().lines().toList();
            assertThat(lines).hasSize(1);
            return new ObjectMapper().readTree(lines.get(0));
        }
    }

    static Result explain(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Explain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Parses a .npy file written by {@code org.xai4j.io.Npy}: checks the v1.0 header and returns the shape and the values. */
    static float[] readNpy(Path file, long... expectedShape) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[0] & 0xff).isEqualTo(0x93);
        assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        assertThat(bytes[6]).isEqualTo((byte) 1);
        assertThat(bytes[7]).isEqualTo((byte) 0);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertThat((10 + headerLength) % 64).isZero();
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).endsWith("\n").contains("'descr': '<f4'").contains("'fortran_order': False");
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < expectedShape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(expectedShape[i]);
        }
        assertThat(header).contains("'shape': (" + dims + ")");
        long n = 1;
        for (long d : expectedShape) {
            n *= d;
        }
        assertThat(bytes.length - 10 - headerLength).isEqualTo(4 * n);
        float[] values = new float[(int) n];
        ByteBuffer.wrap(bytes, 10 + headerLength, (int) (4 * n)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(values);
        return values;
    }

    @Test
    void integratedGradientsOnADl4jZip() throws IOException {
        Path out = tmp.resolve("ig");
        Result r = explain("--model", model.toString(), "--image", image.toString(), "--method", "ig",
                "--steps", "8", "--rule", "riemann_trapezoid", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("method").asText()).isEqualTo("ig");
        int predicted = json.path("prediction").path("index").asInt();
        assertThat(predicted).isBetween(0, 5);
        assertThat(json.path("prediction").path("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.path("target").path("index").asInt()).isEqualTo(predicted);
        assertThat(json.path("delta").isNumber()).isTrue();
        assertThat(json.path("steps").asInt()).isEqualTo(8);
        assertThat(json.path("seconds").asDouble()).isPositive();
        assertThat(json.path("shape").toString()).isEqualTo("[64,64,3]");
        Path npy = Path.of(json.path("npy").asText());
        Path overlay = Path.of(json.path("overlay").asText());
        assertThat(npy.getParent()).isEqualTo(out.toAbsolutePath().normalize());
        float[] values = readNpy(npy, 64, 64, 3);
        double sum = 0;
        for (float v : values) {
            assertThat(Float.isFinite(v)).isTrue();
            sum += v;
        }
        assertThat(sum).isNotZero();
        assertThat(ImageIO.read(overlay.toFile())).satisfies(img -> {
            assertThat(img.getWidth()).isEqualTo(64);
            assertThat(img.getHeight()).isEqualTo(64);
        });
    }

    @Test
    void gradCamAndActivationMapsAreHeightByWidth() throws IOException {
        Result cam = explain("--model", model.toString(), "--image", image.toString(), "--method", "gradcam",
                "--target", "2", "--out", tmp.resolve("cam").toString());
        assertThat(cam.status()).as(cam.err()).isZero();
        JsonNode json = cam.json();
        assertThat(json.path("layer").asText()).isNotEmpty();
        assertThat(json.path("target").path("index").asInt()).isEqualTo(2);
        assertThat(json.path("delta").isNull()).isTrue();
        readNpy(Path.of(json.path("npy").asText()), 64, 64);

        Result acts = explain("--model", model.toString(), "--image", image.toString(), "--method", "activations",
                "--out", tmp.resolve("acts").toString());
        assertThat(acts.status()).as(acts.err()).isZero();
        assertThat(acts.json().path("target").path("neuron").isInt()).isTrue();
        readNpy(Path.of(acts.json().path("npy").asText()), 64, 64);

        Result layerCam = explain("--model", model.toString(), "--image", image.toString(), "--method", "layercam",
                "--out", tmp.resolve("layercam").toString());
        assertThat(layerCam.status()).as(layerCam.err()).isZero();
        assertThat(layerCam.json().path("layer").asText()).isEqualTo(json.path("layer").asText());
        float[] raw = readNpy(Path.of(layerCam.json().path("npy").asText()), 64, 64);
        double max = 0;
        for (float v : raw) {
            assertThat(v).isGreaterThanOrEqualTo(0f);
            max = Math.max(max, v);
        }
        assertThat(max).as("raw, not normalized to 1").isNotEqualTo(1.0);
    }

    @Test
    void otherAttributionMethods() throws IOException {
        for (String method : List.of("saliency", "inputxgrad", "smoothgrad", "vargrad")) {
            Result r = explain("--model", model.toString(), "--image", image.toString(), "--method", method,
                    "--steps", "3", "--baseline", "blur", "--out", tmp.resolve(method).toString());
            assertThat(r.status()).as(method + ": " + r.err()).isZero();
            readNpy(Path.of(r.json().path("npy").asText()), 64, 64, 3);
        }
    }

    @Test
    void theEmbeddedToyModel() throws IOException {
        assumeTrue(Fixtures.shippedModelsPresent(), "the shipped toy models are not on the classpath yet");
        Result r = explain("--model", "toy:emotion", "--image", image.toString(), "--method", "ig", "--steps", "16",
                "--out", tmp.resolve("toy").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("model").asText()).isEqualTo("EmotionVGG");
        assertThat(json.path("prediction").path("label").asText()).isNotEmpty();
        readNpy(Path.of(json.path("npy").asText()), 64, 64, 3);
    }

    @Test
    void unreadableImageIsOneLineAndExitStatus2() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.png"), "this is not a png");
        Result r = explain("--model", model.toString(), "--image", bad.toString(), "--out",
                tmp.resolve("bad").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("explain: cannot read image").hasLineCount(1).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("bad")).doesNotExist();
    }

    @Test
    void missingImageAndModelAreRefused() {
        Result noImage = explain("--model", model.toString(), "--image", tmp.resolve("nope.png").toString(),
                "--out", tmp.resolve("x1").toString());
        assertThat(noImage.status()).isEqualTo(2);
        assertThat(noImage.err()).startsWith("explain: cannot read image").hasLineCount(1);
        Result noModel = explain("--model", tmp.resolve("nope.zip").toString(), "--image", image.toString(),
                "--out", tmp.resolve("x2").toString());
        assertThat(noModel.status()).isEqualTo(2);
        assertThat(noModel.err()).startsWith("explain: cannot read model file").hasLineCount(1);
    }

    @Test
    void unknownMethodOptionAndLayerAreRefused() {
        List<Result> results = new ArrayList<>();
        results.add(explain("--model", model.toString(), "--image", image.toString(), "--method", "lime"));
        results.add(explain("--model", model.toString(), "--image", image.toString(), "--colour", "red"));
        results.add(explain("--model", model.toString(), "--image", image.toString(), "--method", "gradcam",
                "--layer", "nope", "--out", tmp.resolve("x3").toString()));
        results.add(explain("--model", model.toString(), "--image", image.toString(), "--target", "99",
                "--out", tmp.resolve("x4").toString()));
        assertThat(results.get(0).err()).contains("unknown method 'lime'");
        assertThat(results.get(1).err()).contains("unknown option --colour");
        assertThat(results.get(2).err()).contains("unknown layer 'nope'");
        assertThat(results.get(3).err()).contains("out of range");
        for (Result r : results) {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).startsWith("explain: ").hasLineCount(1).doesNotContain("Exception");
        }
    }

    @Test
    void nonEmptyOutputFolderNeedsForce() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("old.txt"), "old");
        Result refused = explain("--model", model.toString(), "--image", image.toString(), "--method", "saliency",
                "--out", out.toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("not empty").contains("--force").hasLineCount(1);
        assertThat(out.resolve("old.txt")).exists();

        Result forced = explain("--model", model.toString(), "--image", image.toString(), "--method", "saliency",
                "--out", out.toString(), "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(out.resolve("old.txt")).doesNotExist();
        assertThat(Path.of(forced.json().path("npy").asText())).exists();
        assertThat(out.resolve("input.png")).exists();
    }
}
