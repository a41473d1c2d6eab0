package org.xai4j.models.transfer;

import static org.xai4j.viz.testing.TestImageFiles.allocatedBytes;
import static org.xai4j.viz.testing.TestImageFiles.encode;
import static org.xai4j.viz.testing.TestImageFiles.half;
import static org.xai4j.viz.testing.TestImageFiles.noise;
import static org.xai4j.viz.testing.TestImageFiles.pngHeaderOnly;
import static org.xai4j.viz.testing.TestImageFiles.writeHalfRedHalfBluePng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The corrupt-input matrix of issue #7 for {@link ImageFolder}, the fine-tuning image reader (decoding is xai-viz's
 * {@code ImageLoader}, tested in full there): broken files fail with an {@link IOException} naming the file and what
 * was expected; a 1x1 image is upsampled to the network's input size
 * like any other; a 10000x10000 image is subsampled while decoding instead of materialising 400 MB of pixels.
 */
class CorruptImageFolderTest {

    private static final int HEIGHT = 64;
    private static final int WIDTH = 34;

    @TempDir
    static Path dir;

    /** A 10000x10000 RGB PNG, left half red, right half blue (about 300 KB on disk). */
    static Path huge;

    @BeforeAll
    static void writeHugePng() throws IOException {
        huge = dir.resolve("huge.png");
        try (OutputStream out = Files.newOutputStream(huge)) {
            writeHalfRedHalfBluePng(out, 10_000, 10_000);
        }
    }

    /** One corrupt file: its name, its bytes and the phrase the message must contain besides the path. */
    record Case(String name, String fileName, Supplier<byte[]> bytes, String phrase) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corruptImages() {
        return Stream.of(
                new Case("zero-byte .png", "empty.png", () -> new byte[0],
                        "file is empty (0 bytes); expected a PNG, JPEG, BMP or GIF image"),
                new Case("zero-byte .jpg", "empty.jpg", () -> new byte[0], "file is empty (0 bytes)"),
                new Case("PNG cut in half", "half.png", () -> half(encode(noise(64, 64), "png")),
                        "cannot decode PNG data"),
                new Case("PNG signature only", "signature.png", () -> Arrays.copyOf(encode(noise(64, 64), "png"), 8),
                        "cannot decode PNG data"),
                new Case("PNG header claiming 50000x50000, no pixels", "bomb.png",
                        () -> pngHeaderOnly(50_000, 50_000), "cannot decode PNG data"),
                new Case("JPEG cut in half", "half.jpg", () -> half(encode(noise(64, 64), "jpg")),
                        "JPEG data is truncated"),
                new Case("JPEG SOI marker only", "soi.jpeg", () -> Arrays.copyOf(encode(noise(64, 64), "jpg"), 2),
                        "expected a"),
                new Case("text with .png extension", "notes.png",
                        () -> "not a picture".getBytes(StandardCharsets.UTF_8),
                        "not a recognized image format (starts with bytes 6e 6f 74 20 61 20 70 69); expected a PNG"),
                new Case("HTML saved as .jpg", "page.jpg",
                        () -> "<html>403 Forbidden</html>".getBytes(StandardCharsets.UTF_8),
                        "not a recognized image format"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptImages")
    void corruptImageNamesTheFileAndWhatWasExpected(Case c) throws IOException {
        Path file = Files.write(dir.resolve(c.fileName()), c.bytes().get());
        assertThatThrownBy(() -> ImageFolder.load(file, HEIGHT, WIDTH))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read image " + file.toAbsolutePath() + ": ")
                .hasMessageContaining(c.phrase())
                .hasMessageContaining("expected a");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptImages")
    void corruptImageInAClassFolderFailsTheWholeReadNamingIt(Case c) throws IOException {
        Path root = Files.createTempDirectory(dir, "folder-");
        Path happy = Files.createDirectories(root.resolve("happy"));
        Files.write(happy.resolve("a-good.png"), encode(noise(64, 64), "png"));
        Path bad = Files.write(happy.resolve("b-" + c.fileName()), c.bytes().get());
        Files.write(Files.createDirectories(root.resolve("sad")).resolve("good.png"), encode(noise(64, 64), "png"));
        assertThatThrownBy(() -> ImageFolder.read(root, List.of("happy", "sad"), HEIGHT, WIDTH))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(bad.toAbsolutePath().toString());
    }

    @Test
    void missingFilesDirectoriesAndBadSizesAreRefused() throws IOException {
        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> ImageFolder.load(missing, HEIGHT, WIDTH))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toAbsolutePath().toString());
        Path folder = Files.createDirectories(dir.resolve("folder.png"));
        assertThatThrownBy(() -> ImageFolder.load(folder, HEIGHT, WIDTH))
                .isInstanceOf(IOException.class).hasMessageContaining(folder.toAbsolutePath().toString())
                .hasMessageContaining("is a directory");
        assertThatThrownBy(() -> ImageFolder.load(null, HEIGHT, WIDTH))
                .isInstanceOf(NullPointerException.class).hasMessage("file must not be null");
        assertThatThrownBy(() -> ImageFolder.load(missing, 0, WIDTH))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input size must be positive, got height=0, width=34");
    }

    @ParameterizedTest(name = "1x1 {0}")
    @ValueSource(strings = {"png", "jpg"})
    void oneByOneImageIsUpsampledToTheInputSize(String format) throws IOException {
        BufferedImage dot = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        dot.setRGB(0, 0, 0x336699);
        Path file = Files.write(dir.resolve("dot." + format), encode(dot, format));
        INDArray pixels = ImageFolder.load(file, HEIGHT, WIDTH);
        assertThat(pixels.shape()).containsExactly(3, HEIGHT, WIDTH);
        double tolerance = format.equals("jpg") ? 4 / 255.0 : 1e-6;
        assertThat(pixels.getDouble(0, 0, 0)).isCloseTo(0x33 / 255.0, within(tolerance));
        assertThat(pixels.getDouble(1, HEIGHT - 1, WIDTH - 1)).isCloseTo(0x66 / 255.0, within(tolerance));
        assertThat(pixels.getDouble(2, 30, 17)).isCloseTo(0x99 / 255.0, within(tolerance));
    }

    @Test
    void hugeImageIsSubsampledWhileDecoding() throws IOException {
        long before = allocatedBytes();
        INDArray pixels = ImageFolder.load(huge, HEIGHT, WIDTH);
        long allocated = allocatedBytes() - before;
        assertThat(pixels.shape()).containsExactly(3, HEIGHT, WIDTH);
        assertThat(pixels.getDouble(0, 32, 3)).isEqualTo(1.0); // red on the left
        assertThat(pixels.getDouble(2, 32, 3)).isEqualTo(0.0);
        assertThat(pixels.getDouble(2, 32, 30)).isEqualTo(1.0); // blue on the right
        if (before >= 0) {
            // the full image would be 300 MB as 3-byte RGB (400 MB as ARGB)
            assertThat(allocated).as("bytes allocated while loading").isLessThan(100L << 20);
        }
    }
}
