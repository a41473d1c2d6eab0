package org.xai4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.io.ImageLoader;
import org.xai4j.viz.io.UnreadableImageException;
import org.xai4j.viz.transform.ImageTransforms;

/** Images at a model's input size: shorter side resized, center cropped, an exact fit kept; files and bytes alike. */
class ModelInputsTest {

    @TempDir
    Path dir;

    private final ImageLoader loader = ImageLoader.builder().build();

    /** An image whose red channel rises down the rows and green along the columns. */
    private static RgbImage ramp(int height, int width) {
        float[] chw = new float[3 * height * width];
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            chw[i] = (i / width) / (float) height;
            chw[plane + i] = (i % width) / (float) width;
        }
        return new RgbImage(chw, height, width);
    }

    /** A 40x30 PNG with a color gradient (and a blue pattern), so that any shift or stretch changes pixels. */
    private Path gradientPng() throws IOException {
        BufferedImage photo = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 30; y++) {
                photo.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | (x * y) % 256);
            }
        }
        Path file = dir.resolve("gradient.png");
        assertThat(ImageIO.write(photo, "png", file.toFile())).isTrue();
        return file;
    }

    @Test
    void fitCropsTheCenterOfTheResizedImageAndKeepsAnExactFit() {
        RgbImage exact = ramp(8, 6);
        assertThat(ModelInputs.of(8, 6).fit(exact)).isSameAs(exact);
        // 10x30 to 5x5: the shorter side 10 becomes 5 (a 5x15 image), and the center 5 columns are kept
        RgbImage wide = ramp(10, 30);
        assertThat(ModelInputs.of(5, 5).fit(wide))
                .isEqualTo(ImageTransforms.centerCrop(ImageTransforms.resize(wide, 5, 15), 5, 5));
        // a non-square input resizes the shorter side to the larger input dimension
        assertThat(ModelInputs.of(4, 8).fit(wide))
                .isEqualTo(ImageTransforms.centerCrop(ImageTransforms.resize(wide, 8, 24), 4, 8));
        assertThatThrownBy(() -> ModelInputs.of(4, 8).fit(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void readsAFileAtTheInputSizeAsFitOfTheDecodedImage() throws IOException {
        Path file = gradientPng();
        ModelInputs inputs = ModelInputs.of(16, 12);
        RgbImage input = inputs.read(file);
        assertThat(input).isEqualTo(inputs.fit(loader.read(file)));
        // shorter side 30 -> 16 makes the image 16x21; the center crop keeps columns 4..15 of 21
        assertThat(input).isEqualTo(ImageTransforms.crop(ImageTransforms.resize(loader.read(file), 16, 21), 0, 4, 16,
                12));
        assertThatThrownBy(() -> inputs.read(dir.resolve("missing.png")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("missing.png");
        assertThatThrownBy(() -> inputs.read((Path) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void readsBytesAtTheInputSizeAsItReadsTheFile() throws IOException {
        Path file = gradientPng();
        ModelInputs inputs = ModelInputs.of(16, 12);
        RgbImage fromBytes = inputs.read(new ByteArrayInputStream(Files.readAllBytes(file)), "gradient.png");
        assertThat(fromBytes).isEqualTo(inputs.read(file));
        // over the pixel limit, bytes are subsampled towards the target size exactly as the file is
        ModelInputs small = ModelInputs.of(ImageLoader.builder().optMaxPixels(300).build(), 4, 4);
        RgbImage subsampled = small.read(file);
        assertThat(small.read(new ByteArrayInputStream(Files.readAllBytes(file)), "gradient.png")).isEqualTo(subsampled);
        assertThat(subsampled).isNotEqualTo(ModelInputs.of(4, 4).read(file));
        assertThatThrownBy(() -> inputs.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), "s3://b/x.png"))
                .isInstanceOf(UnreadableImageException.class).hasMessageContaining("s3://b/x.png");
    }

    @Test
    void sizesAndLoaderAreChecked() {
        assertThatThrownBy(() -> ModelInputs.of(0, 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("height=0");
        assertThatThrownBy(() -> ModelInputs.of(12, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width=-1");
        assertThatThrownBy(() -> ModelInputs.of(null, 4, 4)).isInstanceOf(NullPointerException.class);
        ModelInputs inputs = ModelInputs.of(loader, 7, 9);
        assertThat(inputs.height()).isEqualTo(7);
        assertThat(inputs.width()).isEqualTo(9);
        assertThat(inputs.loader()).isSameAs(loader);
    }
}
