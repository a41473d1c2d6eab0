package org.xai4j.cli;

import static org.xai4j.viz.testing.TestImageFiles.encode;
import static org.xai4j.viz.testing.TestImageFiles.noise;
import static org.xai4j.viz.testing.TestImageFiles.pngHeaderOnly;
import static org.xai4j.viz.testing.TestImageFiles.writeHalfBlackHalfWhitePng;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The corrupt-input matrix of issue #7 for the {@code explain} command: a corrupt image, model or baseline file gives
 * exit status 2 and one line on stderr naming the file and what was expected, prints nothing on stdout and leaves no
 * output files (neither the output folder nor its staging sibling).
 *
 * <p>Decided behavior for valid but extreme images: {@code explain} takes any image size. A 1x1 image is upsampled
 * to the model's input size (as torchvision's {@code Resize} would); a 10000x10000 image is decoded subsampled
 * (never at full size) and then resized.
 */
class ExplainCorruptInputTest {

    @TempDir
    static Path tmp;

    static Path model;
    static Path image;

    @BeforeAll
    static void fixtures() throws IOException {
        model = CliRunner.toyModelZip(tmp);
        image = tmp.resolve("good.png");
        Files.write(image, encode(noise(64, 64), "png"));
    }

    /** One corrupt file: a name for the report, the file name a user would have, its bytes. */
    record Bad(String name, String fileName, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> corruptImages() {
        byte[] png = encode(noise(64, 64), "png");
        byte[] jpeg = encode(noise(64, 64), "jpg");
        byte[] random = new byte[2048];
        new Random(3).nextBytes(random);
        return Stream.of(
                new Bad("zero-byte .png", "empty.png", new byte[0]),
                new Bad("truncated PNG", "half.png", Arrays.copyOf(png, png.length / 2)),
                new Bad("PNG signature only", "signature.png", Arrays.copyOf(png, 8)),
                new Bad("truncated JPEG", "half.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)),
                new Bad("text with .png extension", "notes.png",
                        "my holiday notes".getBytes(StandardCharsets.UTF_8)),
                new Bad("random bytes .jpg", "random.jpg", random),
                new Bad("PNG header claiming 50000x50000", "bomb.png", pngHeaderOnly(50_000, 50_000)));
    }

    static Stream<Bad> corruptModels() throws IOException {
        byte[] zip = Files.readAllBytes(model);
        byte[] hdf5Signature = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        return Stream.of(
                new Bad("zero-byte .zip", "empty.zip", new byte[0]),
                new Bad("truncated DL4J zip", "half.zip", Arrays.copyOf(zip, zip.length / 2)),
                new Bad("text renamed .zip", "notes.zip", "not a model".getBytes(StandardCharsets.UTF_8)),
                new Bad("zero-byte .h5", "empty.h5", new byte[0]),
                new Bad("text renamed .h5", "notes.h5", "not a model".getBytes(StandardCharsets.UTF_8)),
                new Bad("DL4J zip renamed .h5", "model.h5", zip),
                new Bad("truncated .h5 (signature only)", "cut.h5", hdf5Signature));
    }

    @ParameterizedTest(name = "--image {0}")
    @MethodSource("corruptImages")
    void corruptImageIsExitStatus2AndLeavesNothing(Bad bad) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "image-");
        Path file = Files.write(dir.resolve(bad.fileName()), bad.bytes());
        Path out = dir.resolve("out");
        CliRunner.Result r = explain("--model", model.toString(), "--image", file.toString(), "--out",
                out.toString());
        assertFailedCleanly(r, dir, out);
        assertThat(r.err()).startsWith("xai4j explain: cannot read image " + file + ": ").contains("expected a");
        assertThat(r.err().split(java.util.regex.Pattern.quote(file.toString()), -1)).as("path named once").hasSize(2);
    }

    @ParameterizedTest(name = "--model {0}")
    @MethodSource("corruptModels")
    void corruptModelIsExitStatus2AndLeavesNothing(Bad bad) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "model-");
        Path file = Files.write(dir.resolve(bad.fileName()), bad.bytes());
        Path out = dir.resolve("out");
        CliRunner.Result r = explain("--model", file.toString(), "--image", image.toString(), "--out",
                out.toString());
        assertFailedCleanly(r, dir, out);
        assertThat(r.err()).startsWith("xai4j explain: cannot load model " + file + ": ")
                .contains(file.toAbsolutePath().toString()).contains("expected");
    }

    /** A few of {@link #corruptImages()}: each baseline case loads the model first, and the reader is the same. */
    static Stream<Bad> corruptBaselines() {
        return corruptImages().filter(b -> b.fileName().equals("empty.png") || b.fileName().equals("half.jpg")
                || b.fileName().equals("notes.png"));
    }

    @ParameterizedTest(name = "--baseline {0}")
    @MethodSource("corruptBaselines")
    void corruptBaselineImageIsExitStatus2AndLeavesNothing(Bad bad) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "baseline-");
        Path file = Files.write(dir.resolve(bad.fileName()), bad.bytes());
        Path out = dir.resolve("out");
        CliRunner.Result r = explain("--model", model.toString(), "--image", image.toString(), "--baseline",
                file.toString(), "--steps", "2", "--out", out.toString());
        assertFailedCleanly(r, dir, out);
        assertThat(r.err()).startsWith("xai4j explain: cannot read baseline image " + file + ": ")
                .contains("expected a");
        assertThat(r.err().split(java.util.regex.Pattern.quote(file.toString()), -1)).as("path named once").hasSize(2);
    }

    @Test
    void oneByOneImageIsUpsampledToTheModelInput() throws IOException {
        BufferedImage dot = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        dot.setRGB(0, 0, 0x336699);
        Path dir = Files.createTempDirectory(tmp, "dot-");
        Path file = Files.write(dir.resolve("dot.png"), encode(dot, "png"));
        CliRunner.Result r = explain("--model", model.toString(), "--image", file.toString(), "--method", "saliency",
                "--out", dir.resolve("out").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("shape").toString()).isEqualTo("[64,64,3]");
        BufferedImage input = ImageIO.read(dir.resolve("out").resolve("input.png").toFile());
        assertThat(input.getWidth()).isEqualTo(64);
        assertThat(input.getRGB(40, 20) & 0xFFFFFF).isEqualTo(0x336699);
    }

    @Test
    void hugeImageIsDecodedSubsampledAndExplained() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "huge-");
        Path file = dir.resolve("huge.png");
        try (OutputStream out = Files.newOutputStream(file)) {
            writeHalfBlackHalfWhitePng(out, 10_000, 10_000);
        }
        CliRunner.Result r = explain("--model", model.toString(), "--image", file.toString(), "--method", "saliency",
                "--out", dir.resolve("out").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.json().path("shape").toString()).isEqualTo("[64,64,3]");
        BufferedImage input = ImageIO.read(dir.resolve("out").resolve("input.png").toFile());
        assertThat(input.getWidth()).isEqualTo(64);
        assertThat(input.getRGB(5, 32) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(input.getRGB(58, 32) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    static CliRunner.Result explain(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "explain";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRunner.run(all);
    }

    /** Exit status 2, one stderr line without a stack trace, nothing on stdout, no output folder, no staging. */
    private static void assertFailedCleanly(CliRunner.Result r, Path dir, Path out) throws IOException {
        r.assertUsageError("explain");
        assertThat(out).doesNotExist();
        assertThat(CliRunner.leftovers(dir)).isEmpty();
    }
}
