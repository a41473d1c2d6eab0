package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.cli.CliRunner.run;
import static org.xai4j.viz.testing.TestImageFiles.encode;
import static org.xai4j.viz.testing.TestImageFiles.noise;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code xai4j study}: the quick study on a shipped photo, and its refusals. */
class StudyCommandTest {

    @TempDir
    Path tmp;

    @Test
    void runsTheToyModelsOnAFolderOfImagesAndSkipsWhatNeedsMasks() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images"));
        CliRunner.shippedPhoto(images, "chelsea.png");
        Files.writeString(images.resolve("notes.txt"), "ignored");
        Path out = tmp.resolve("report");
        CliRunner.Result r = run("study", "--quick", "--images", images.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("folder").asText()).isEqualTo(out.toAbsolutePath().normalize().toString());
        assertThat(json.path("index").asText()).endsWith("index.html");
        assertThat(json.path("mode").asText()).isEqualTo("toy models, user images");
        assertThat(json.path("models").toString()).isEqualTo("[\"ObjectVGG\",\"FaceVGG\",\"EmotionVGG\"]");
        assertThat(json.path("figures").asInt()).isPositive();
        assertThat(json.path("maxIgRelativeError").isNumber()).isTrue();
        // progress: one plain line per study step on stderr
        assertThat(r.err()).contains("xai4j study: features ObjectVGG", "integrated gradients", "localization");
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(s.path("mode").asText()).isEqualTo("toy models, user images");
        assertThat(s.path("integratedGradients").path("object").get(0).path("input").asText()).isEqualTo("chelsea");
        assertThat(s.path("beyond").path("localization").path("skipped").asText()).contains("masks");
        assertThat(Files.readString(out.resolve("index.html"))).contains("Skipped");
        // the real-network section is on by default: face-api's networks on its shipped photos, whatever the images
        assertThat(r.err()).contains("xai4j study: face-api: detecting the faces");
        JsonNode real = s.path("realNetworks");
        assertThat(real.path("faces").size()).isPositive();
        assertThat(real.path("regionTable").size()).isEqualTo(real.path("predictedOnAllFaces").size());
        assertThat(real.path("claim").path("text").asText()).contains("mouth and nose");
        assertThat(Files.readString(out.resolve("index.html"))).contains("5. Real networks: face-api",
                "faceapi/expression_ig_gradcam.png", "faceapi/identity_ig.png");
        assertThat(out.resolve("faceapi/identity_ig.png")).isRegularFile();
        BufferedImage top = ImageIO.read(out.resolve("activations/object_0_top.png").toFile());
        assertThat(top.getWidth()).isEqualTo(192);
        assertThat(CliRunner.leftovers(tmp)).isEmpty();
    }

    @Test
    void refusesANonEmptyFolderWithoutForceBeforeLoadingAnything() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliRunner.Result r = run("study", "--quick", "--out", out.toString()).assertUsageError("study");
        assertThat(r.err()).contains("not empty").contains("--force");
        assertThat(out.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void badInputsAreOneLineUsageErrors() throws IOException {
        assertThat(run("study", "--fast").assertUsageError("study").err()).contains("'--fast'");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(run("study", "--images", empty.toString(), "--out", tmp.resolve("r1").toString())
                .assertUsageError("study").err()).contains("holds no png/jpg images");
        assertThat(run("study", "--tolerance", "2", "--out", tmp.resolve("r2").toString())
                .assertUsageError("study").err()).contains("tolerance").contains("2.0");
        Path zip = CliRunner.toyModelZip(tmp);
        assertThat(run("study", "--model", "objects=" + zip, "--out", tmp.resolve("r3").toString())
                .assertUsageError("study").err()).startsWith("xai4j study: cannot load --model objects=");
        assertThat(run("study", "--model", "emotions=zoo:vgg16", "--out", tmp.resolve("r4").toString())
                .assertUsageError("study").err()).contains("the zoo has no VGGEmotion");
        assertThat(run("study", "--model", "faces=toy:face", "--out", tmp.resolve("r5").toString())
                .assertUsageError("study").err()).contains("--model faces=toy:face").contains("not a xai4j toy");
        assertThat(run("study", "--model", "people=zoo:vggface", "--out", tmp.resolve("r6").toString())
                .assertUsageError("study").err()).contains("people").contains("OBJECTS");
        for (String r : new String[] {"r1", "r2", "r3", "r4", "r5", "r6"}) {
            assertThat(tmp.resolve(r)).doesNotExist();
        }
    }

    @Test
    void aCorruptImageInTheFolderIsNamedOnceAndLeavesNothing() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Files.write(images.resolve("a-good.png"), encode(noise(64, 64), "png"));
        byte[] jpeg = encode(noise(64, 64), "jpg");
        Path bad = Files.write(images.resolve("b-cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Path out = tmp.resolve("report");
        CliRunner.Result r = run("study", "--quick", "--images", images.toString(), "--out", out.toString())
                .assertUsageError("study");
        assertThat(r.err()).contains("cannot read image " + bad + ": ").contains("JPEG data is truncated")
                .contains("expected a complete image file");
        assertThat(r.err().split(java.util.regex.Pattern.quote(bad.toString()), -1)).hasSize(2);
        assertThat(out).doesNotExist();
        assertThat(CliRunner.leftovers(tmp)).isEmpty();
    }

    @Test
    void help() {
        CliRunner.Result r = run("study", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: xai4j study", "--quick", "--images", "--model", "ROLE=MODEL",
                "--tolerance", "--[no-]face-api", "--out", "--force");
    }
}
