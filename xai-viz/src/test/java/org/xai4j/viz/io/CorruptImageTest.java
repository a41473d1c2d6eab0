package org.xai4j.viz.io;

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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xai4j.viz.RgbImage;

/**
 * The corrupt-input matrix of issue #7 for {@link ImageLoader}: every broken file raises an
 * {@link UnreadableImageException} whose message starts with the file (or stream name) and says what was expected;
 * tiny and huge but valid images load.
 *
 * <p>Decided behavior for the valid edge cases: a 1x1 image is a valid image and loads as 1x1;
 * {@link ImageLoader#readResizedAndCropped} upsamples it to the requested size, as torchvision's {@code Resize} does
 * (rejecting too-small images is left to callers that need a minimum). A 10000x10000 image is decoded with source
 * subsampling: {@link ImageLoader#read(Path)} caps it at {@link ImageLoader#maxPixels()}, and
 * {@link ImageLoader#readResizedAndCropped} decodes only a few times the requested size, never the full raster.
 */
class CorruptImageTest {

    @TempDir
    static Path dir;

    /** A 10000x10000 RGB PNG, left half red, right half blue: about 300 KB on disk, 400 MB as an ARGB raster. */
    static Path huge;

    private static final int HUGE = 10_000;

    private final ImageLoader loader = ImageLoader.builder().build();

    @BeforeAll
    static void writeHugePng() throws IOException {
        huge = dir.resolve("huge-10000x10000.png");
        try (OutputStream out = Files.newOutputStream(huge)) {
            writeHalfRedHalfBluePng(out, HUGE, HUGE);
        }
    }

    /** One corrupt input: a file name (the extension is what a user would see) and its bytes. */
    record Case(String name, String fileName, Supplier<byte[]> bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corruptFiles() {
        return Stream.of(
                new Case("zero-byte .png", "empty.png", () -> new byte[0]),
                new Case("zero-byte .jpg", "empty.jpg", () -> new byte[0]),
                new Case("PNG signature only", "signature.png", () -> Arrays.copyOf(png(), 8)),
                new Case("PNG cut inside IHDR", "cut-header.png", () -> Arrays.copyOf(png(), 20)),
                new Case("PNG cut after IHDR", "no-idat.png", () -> Arrays.copyOf(png(), 33)),
                new Case("PNG cut in half", "half.png", () -> half(png())),
                new Case("PNG with garbage in IDAT", "garbage-idat.png", CorruptImageTest::pngWithGarbageIdat),
                new Case("PNG header claiming 50000x50000, no pixels", "bomb.png",
                        () -> pngHeaderOnly(50_000, 50_000)),
                new Case("JPEG SOI marker only", "soi.jpg", () -> Arrays.copyOf(jpeg(), 2)),
                new Case("JPEG cut inside the headers", "cut-header.jpg", () -> Arrays.copyOf(jpeg(), 120)),
                new Case("JPEG cut in half", "half.jpg", () -> half(jpeg())),
                new Case("JPEG cut before EOI", "no-eoi.jpg", () -> {
                    byte[] full = jpeg();
                    return Arrays.copyOf(full, full.length - 40);
                }),
                new Case("GIF cut in half", "half.gif", () -> half(encode(noise(32, 32), "gif"))),
                new Case("BMP cut in half", "half.bmp", () -> half(encode(noise(32, 32), "bmp"))),
                new Case("text with .png extension", "notes.png",
                        () -> "these are my notes, not a picture\n".getBytes(StandardCharsets.UTF_8)),
                new Case("HTML saved as .jpg", "page.jpg",
                        () -> "<!DOCTYPE html><html><body>404</body></html>".getBytes(StandardCharsets.UTF_8)),
                new Case("random bytes .jpeg", "random.jpeg", () -> {
                    byte[] random = new byte[4096];
                    new Random(7).nextBytes(random);
                    return random;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void corruptFileNamesTheFileAndWhatWasExpected(Case c) throws IOException {
        Path file = Files.write(dir.resolve(c.fileName()), c.bytes().get());
        assertThatThrownBy(() -> loader.read(file))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageStartingWith("cannot read image " + file + ": ")
                .hasMessageContaining("expected a")
                .satisfies(e -> assertThat(((UnreadableImageException) e).source()).isEqualTo(file.toString()));
        // the model-input entry point fails the same way, before any size arithmetic
        assertThatThrownBy(() -> loader.readResizedAndCropped(file, 256, 224, 224))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageStartingWith("cannot read image " + file + ": ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void corruptStreamNamesTheSource(Case c) {
        String name = "upload:" + c.fileName();
        assertThatThrownBy(() -> loader.read(new ByteArrayInputStream(c.bytes().get()), name))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageStartingWith("cannot read image " + name + ": ")
                .satisfies(e -> assertThat(((UnreadableImageException) e).source()).isEqualTo(name));
    }

    @Test
    void specificReasonsAreGiven() throws IOException {
        Path empty = Files.write(dir.resolve("reason-empty.jpg"), new byte[0]);
        assertThatThrownBy(() -> loader.read(empty)).hasMessageContaining("file is empty (0 bytes)");
        Path text = Files.writeString(dir.resolve("reason-text.png"), "hello");
        assertThatThrownBy(() -> loader.read(text))
                .hasMessageContaining("not a recognized image format (starts with bytes 68 65 6c 6c 6f)");
        Path png = Files.write(dir.resolve("reason-half.png"), half(png()));
        assertThatThrownBy(() -> loader.read(png)).hasMessageContaining("cannot decode PNG data");
        Path jpeg = Files.write(dir.resolve("reason-half.jpg"), half(jpeg()));
        assertThatThrownBy(() -> loader.read(jpeg)).hasMessageContaining("JPEG data is truncated");
    }

    @ParameterizedTest(name = "1x1 {0}")
    @ValueSource(strings = {"png", "bmp", "gif", "jpg"})
    void oneByOneImagesLoadAndUpsampleToTheModelSize(String format) throws IOException {
        BufferedImage dot = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        dot.setRGB(0, 0, 0x336699);
        Path file = Files.write(dir.resolve("dot." + format), encode(dot, format));
        float tolerance = format.equals("jpg") ? 4 / 255f : 1e-6f;

        RgbImage image = loader.read(file);
        assertThat(image.height()).isEqualTo(1);
        assertThat(image.width()).isEqualTo(1);
        assertThat(image.get(0, 0, 0)).isCloseTo(0x33 / 255f, within(tolerance));
        assertThat(image.get(2, 0, 0)).isCloseTo(0x99 / 255f, within(tolerance));

        RgbImage input = loader.readResizedAndCropped(file, 256, 224, 224);
        assertThat(input.height()).isEqualTo(224);
        assertThat(input.width()).isEqualTo(224);
        assertThat(input.get(1, 111, 37)).isCloseTo(0x66 / 255f, within(tolerance));
    }

    @Test
    void contentDecidesTheFormatNotTheExtension() throws IOException {
        BufferedImage dot = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        dot.setRGB(1, 1, 0xFF0000);
        Path pngNamedJpg = Files.write(dir.resolve("really-a-png.jpg"), encode(dot, "png"));
        assertThat(loader.read(pngNamedJpg).rgbAt(1, 1)).isEqualTo(0xFF0000);
    }

    @Test
    void hugeImageIsDecodedNearTheRequestedSizeForModelInput() throws IOException {
        long before = allocatedBytes();
        RgbImage input = loader.readResizedAndCropped(huge, 256, 224, 224);
        long allocated = allocatedBytes() - before;
        assertThat(input.height()).isEqualTo(224);
        assertThat(input.width()).isEqualTo(224);
        assertThat(input.rgbAt(100, 5)).isEqualTo(0xFF0000);
        assertThat(input.rgbAt(100, 218)).isEqualTo(0x0000FF);
        if (before >= 0) {
            // the full raster alone would be 400 MB as ARGB (300 MB as 3-byte RGB), its floats 1.2 GB; decoding at
            // the default limit's step 3 allocates about 300 MB, at the target's step 9 about 60 MB
            assertThat(allocated).as("bytes allocated while loading").isLessThan(100L << 20);
        }
    }

    @Test
    void hugeImageFromAStreamIsSubsampledToo() throws IOException {
        RgbImage image = ImageLoader.builder().optMaxPixels(1_000_000).build().read(Files.newInputStream(huge), "upload:huge.png");
        assertThat(image.height()).isEqualTo(1000);
        assertThat(image.width()).isEqualTo(1000);
        assertThat(image.rgbAt(500, 990)).isEqualTo(0x0000FF);
    }

    @Test
    void targetSubsamplingKeepsFourTimesTheRequestedSide() {
        // read(Path) with the default limit and no target: step 3, i.e. 3334x3334
        assertThat(ImageLoader.subsamplingStep(10_000, 10_000, ImageLoader.DEFAULT_MAX_PIXELS, 0)).isEqualTo(3);
        // within the pixel limit: decoded at full size, whatever the target, so small images match torchvision
        assertThat(ImageLoader.subsamplingStep(4000, 3000, ImageLoader.DEFAULT_MAX_PIXELS, 256)).isEqualTo(1);
        // above it: at least the limit's step, and as coarse as keeps the shorter side >= 4 * 256
        assertThat(ImageLoader.subsamplingStep(10_000, 10_000, ImageLoader.DEFAULT_MAX_PIXELS, 256)).isEqualTo(9);
        assertThat(ImageLoader.subsamplingStep(10_000, 10_000, ImageLoader.DEFAULT_MAX_PIXELS, 3000)).isEqualTo(3);
        assertThat(ImageLoader.subsamplingStep(20_000, 5000, ImageLoader.DEFAULT_MAX_PIXELS, 256)).isEqualTo(4);
    }

    private static byte[] png() {
        return encode(noise(64, 64), "png");
    }

    private static byte[] jpeg() {
        return encode(noise(64, 64), "jpg");
    }

    /** A valid PNG whose IDAT payload is replaced by bytes that are not a zlib stream (same length, CRC fixed). */
    private static byte[] pngWithGarbageIdat() {
        byte[] data = png();
        int offset = 8;
        while (offset < data.length) {
            int length = (data[offset] & 0xff) << 24 | (data[offset + 1] & 0xff) << 16
                    | (data[offset + 2] & 0xff) << 8 | data[offset + 3] & 0xff;
            String type = new String(data, offset + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("IDAT")) {
                Arrays.fill(data, offset + 8, offset + 8 + length, (byte) 0xFF);
                CRC32 crc = new CRC32();
                crc.update(data, offset + 4, 4 + length);
                int end = offset + 8 + length;
                long value = crc.getValue();
                for (int i = 0; i < 4; i++) {
                    data[end + i] = (byte) (value >>> (24 - 8 * i));
                }
                return data;
            }
            offset += 12 + length;
        }
        throw new AssertionError("no IDAT chunk");
    }
}
