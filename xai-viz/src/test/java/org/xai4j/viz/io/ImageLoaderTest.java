package org.xai4j.viz.io;

import static org.xai4j.viz.testing.TestImageFiles.writeHalfBlackHalfWhitePng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xai4j.viz.RgbImage;

class ImageLoaderTest {

    @TempDir
    Path dir;

    private final ImageLoader loader = ImageLoader.builder().build();

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(image, format, file.toFile())).as("writer for " + format).isTrue();
        return file;
    }

    private static void assertPixel(RgbImage image, int y, int x, float r, float g, float b) {
        assertThat(image.get(0, y, x)).as("red").isCloseTo(r, within(1e-6f));
        assertThat(image.get(1, y, x)).as("green").isCloseTo(g, within(1e-6f));
        assertThat(image.get(2, y, x)).as("blue").isCloseTo(b, within(1e-6f));
    }

    @Test
    void grayscaleIsReplicatedWithoutGammaConversion() throws IOException {
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 0, 0, 128);
        gray.getRaster().setSample(2, 1, 0, 255);
        RgbImage image = loader.read(write(gray, "png", "gray.png"));
        assertThat(image.height()).isEqualTo(2);
        assertThat(image.width()).isEqualTo(3);
        // BufferedImage.getRGB would report 188 here (linear-to-sRGB); the file holds 128.
        assertPixel(image, 0, 1, 128 / 255f, 128 / 255f, 128 / 255f);
        assertPixel(image, 1, 2, 1, 1, 1);
        assertPixel(image, 0, 0, 0, 0, 0);
    }

    @Test
    void sixteenBitGrayIsScaledBy65535() throws IOException {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(0, 0, 0, 32768);
        gray.getRaster().setSample(1, 0, 0, 257);
        gray.getRaster().setSample(2, 0, 0, 65535);
        RgbImage image = loader.read(write(gray, "png", "gray16.png"));
        assertPixel(image, 0, 0, 32768 / 65535f, 32768 / 65535f, 32768 / 65535f);
        assertPixel(image, 0, 1, 1 / 255f, 1 / 255f, 1 / 255f);
        assertPixel(image, 0, 2, 1, 1, 1);
    }

    @Test
    void sixteenBitRgbKeepsFullPrecision() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {65535, 32768, 0});
        raster.setPixel(1, 0, new int[] {1, 2, 3});
        RgbImage image = loader.read(write(new BufferedImage(model, raster, false, null), "png", "rgb16.png"));
        assertPixel(image, 0, 0, 1, 32768 / 65535f, 0);
        assertPixel(image, 0, 1, 1 / 65535f, 2 / 65535f, 3 / 65535f); // would be 0 if truncated to 8 bits
    }

    @Test
    void alphaIsDroppedByDefaultOrCompositedOverWhite() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00_10_20_30); // fully transparent, color still stored
        argb.setRGB(1, 0, 0x80_FF_00_00); // half-transparent red
        Path file = write(argb, "png", "alpha.png");

        RgbImage dropped = loader.read(file);
        assertPixel(dropped, 0, 0, 0x10 / 255f, 0x20 / 255f, 0x30 / 255f);
        assertPixel(dropped, 0, 1, 1, 0, 0);

        RgbImage composited = ImageLoader.builder().optAlphaHandling(AlphaHandling.COMPOSITE_OVER_WHITE).build().read(file);
        assertPixel(composited, 0, 0, 1, 1, 1);
        float alpha = 0x80 / 255f;
        assertPixel(composited, 0, 1, 1, 1 - alpha, 1 - alpha);
    }

    @Test
    void grayWithAlphaIsHandled() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                new int[] {8, 8}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {100, 0});
        Path file = write(new BufferedImage(model, raster, false, null), "png", "gray-alpha.png");
        assertPixel(loader.read(file), 0, 0, 100 / 255f, 100 / 255f, 100 / 255f);
        assertPixel(ImageLoader.builder().optAlphaHandling(AlphaHandling.COMPOSITE_OVER_WHITE).build().read(file), 0, 0, 1, 1, 1);
    }

    @Test
    void paletteImagesAreExpandedThroughThePalette() throws IOException {
        byte[] red = {(byte) 0xFF, 0x00, 0x12, 0x00};
        byte[] green = {0x00, (byte) 0xFF, 0x34, 0x00};
        byte[] blue = {0x00, 0x00, 0x56, (byte) 0xFF};
        byte[] alpha = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00};
        IndexColorModel palette = new IndexColorModel(8, 4, red, green, blue, alpha);
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int x = 0; x < 4; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        Path file = write(indexed, "png", "palette.png");
        RgbImage image = loader.read(file);
        assertPixel(image, 0, 0, 1, 0, 0);
        assertPixel(image, 0, 2, 0x12 / 255f, 0x34 / 255f, 0x56 / 255f);
        assertPixel(image, 0, 3, 0, 0, 1); // transparent entry keeps its color when alpha is dropped
        assertPixel(ImageLoader.builder().optAlphaHandling(AlphaHandling.COMPOSITE_OVER_WHITE).build().read(file), 0, 3, 1, 1, 1);
    }

    @Test
    void readsJpegAndBmp() throws IOException {
        BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                rgb.setRGB(x, y, 0x4080C0);
            }
        }
        RgbImage bmp = loader.read(write(rgb, "bmp", "image.bmp"));
        assertPixel(bmp, 5, 5, 0x40 / 255f, 0x80 / 255f, 0xC0 / 255f);
        RgbImage jpeg = loader.read(write(rgb, "jpg", "image.jpg"));
        assertThat(jpeg.height()).isEqualTo(16);
        // Lossy, but a flat color survives within a few levels.
        assertThat(jpeg.get(0, 8, 8)).isCloseTo(0x40 / 255f, within(4 / 255f));
        assertThat(jpeg.get(2, 8, 8)).isCloseTo(0xC0 / 255f, within(4 / 255f));
    }

    @Test
    void readsFromStreams() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 3, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 2, 0xABCDEF);
        RgbImage image = loader.read(new ByteArrayInputStream(png(rgb)), "classpath:/cat.png");
        assertThat(image.rgbAt(2, 1)).isEqualTo(0xABCDEF);
        assertThatThrownBy(() -> loader.read(new ByteArrayInputStream(new byte[0]), "classpath:/empty.png"))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining("classpath:/empty.png")
                .hasMessageContaining("no data");
    }

    @Test
    void resizesAndCropsForModelInput() throws IOException {
        Path file = write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", "photo.png");
        RgbImage input = loader.readResizedAndCropped(file, 25, 20, 24);
        assertThat(input.height()).isEqualTo(20);
        assertThat(input.width()).isEqualTo(24);
        assertThatThrownBy(() -> loader.readResizedAndCropped(file, 25, 26, 24))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("25x33 image");
    }

    @Test
    void readsFilesAndBytesForAShorterSideAlike() throws IOException {
        BufferedImage photo = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 30; y++) {
                photo.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | (x * y) % 256);
            }
        }
        Path file = write(photo, "png", "gradient.png");
        // within the pixel limit: the full image, whatever the target
        assertThat(loader.readForShorterSide(file, 4)).isEqualTo(loader.read(file));
        assertThat(loader.readForShorterSide(new ByteArrayInputStream(Files.readAllBytes(file)), "gradient.png", 4))
                .isEqualTo(loader.read(file));
        // over it: 1200 pixels against 300 take every second pixel, for the file and its bytes alike
        ImageLoader small = ImageLoader.builder().optMaxPixels(300).build();
        RgbImage subsampled = small.readForShorterSide(file, 4);
        assertThat(subsampled.height()).isEqualTo(15);
        assertThat(subsampled.width()).isEqualTo(20);
        assertThat(subsampled.rgbAt(7, 9)).isEqualTo(photo.getRGB(18, 14) & 0xFFFFFF);
        assertThat(small.readForShorterSide(new ByteArrayInputStream(Files.readAllBytes(file)), "gradient.png", 4))
                .isEqualTo(subsampled);
        assertThatThrownBy(() -> loader.readForShorterSide(new ByteArrayInputStream(new byte[] {1, 2, 3}),
                "s3://b/x.png", 16)).isInstanceOf(UnreadableImageException.class).hasMessageContaining("s3://b/x.png");
        assertThatThrownBy(() -> loader.readForShorterSide(file, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorterSide");
        assertThatThrownBy(() -> loader.readForShorterSide(new ByteArrayInputStream(new byte[0]), "x", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorterSide");
    }

    @Test
    void emptyFileIsReportedByName() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThatThrownBy(() -> loader.read(empty))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessage("cannot read image " + empty + ": file is empty (0 bytes); expected a PNG, JPEG, BMP or GIF image")
                .satisfies(e -> assertThat(((UnreadableImageException) e).source()).isEqualTo(empty.toString()));
    }

    @Test
    void truncatedPngIsReported() throws IOException {
        byte[] full = png(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB));
        Path file = Files.write(dir.resolve("cut.png"), Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> loader.read(file))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("cannot decode PNG data")
                .hasMessageContaining("expected a complete");
    }

    @Test
    void truncatedJpegIsReportedInsteadOfPaddedGray() throws IOException {
        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noisy.setRGB(x, y, x * 4 << 16 | y * 4 << 8 | (x * y) & 0xFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(noisy, "jpg", out);
        byte[] full = out.toByteArray();
        Path file = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(full, full.length * 2 / 3));
        assertThatThrownBy(() -> loader.read(file))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("JPEG data is truncated");
    }

    @Test
    void nonImageFilesNameTheirFirstBytes() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "<html>not an image</html>", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> loader.read(text))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("not a recognized image format (starts with bytes 3c 68 74 6d")
                .hasMessageContaining("expected a PNG, JPEG, BMP or GIF image");
    }

    @Test
    void missingFilesAndDirectoriesAreReported() {
        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> loader.read(missing))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing.png");
        assertThatThrownBy(() -> loader.read(dir))
                .isInstanceOf(UnreadableImageException.class).hasMessageContaining("is a directory");
    }

    /**
     * A 10000x10000 grayscale PNG (left half black, right half white), written by hand so that the test never
     * holds the full image: about 100 KB on disk, 100 MB of pixels if decoded at full size.
     */
    @Test
    void hugeImagesAreSubsampledWhileDecoding() throws IOException {
        int size = 10_000;
        Path file = dir.resolve("huge.png");
        try (OutputStream out = Files.newOutputStream(file)) {
            writeHalfBlackHalfWhitePng(out, size, size);
        }
        RgbImage image = ImageLoader.builder().optMaxPixels(1_000_000).build().read(file);
        assertThat(image.height()).isEqualTo(1000);
        assertThat(image.width()).isEqualTo(1000);
        assertPixel(image, 500, 10, 0, 0, 0);
        assertPixel(image, 500, 990, 1, 1, 1);
    }

    @Test
    void subsamplingStepIsTheSmallestThatFits() {
        assertThat(ImageLoader.subsamplingStep(10_000, 10_000, 1_000_000)).isEqualTo(10);
        assertThat(ImageLoader.subsamplingStep(4096, 4096, ImageLoader.DEFAULT_MAX_PIXELS)).isEqualTo(1);
        assertThat(ImageLoader.subsamplingStep(4097, 4096, ImageLoader.DEFAULT_MAX_PIXELS)).isEqualTo(2);
        // ceil(1001 / 10)^2 = 101^2 > 10^4, so 11.
        assertThat(ImageLoader.subsamplingStep(1001, 1001, 10_000)).isEqualTo(11);
    }

    @Test
    void validatesConfiguration() {
        assertThatThrownBy(() -> ImageLoader.builder().optMaxPixels(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxPixels must be positive, got 0");
        assertThatThrownBy(() -> ImageLoader.builder().optAlphaHandling(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> loader.readResizedAndCropped(dir.resolve("x.png"), 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorterSide=0");
        assertThat(loader).hasToString("ImageLoader[maxPixels=16777216, alphaHandling=DROP]");
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
