package org.xai4j.models.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.models.ModelInputs;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * Fine-tuning ({@link ImageFolder}, which {@link FineTuner} reads its images with) and explaining
 * ({@link ModelInputs#read(Path)}, what the explain command and {@code ImageClassifier} use) see the same pixels
 * for the same file: the shorter side resized to the input size and the center cropped, never stretched.
 */
class SamePixelsTest {

    private static final int SIZE = 32;

    @TempDir
    Path dir;

    /** 40x100: green stripes on the outer 20 columns of each side, red in between. */
    private static BufferedImage widePicture() {
        BufferedImage image = new BufferedImage(100, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 100; x++) {
                image.setRGB(x, y, x < 20 || x >= 80 ? 0x00ff00 : 0xff0000);
            }
        }
        return image;
    }

    @Test
    void fineTuningAndExplainingReadTheSamePixels() throws IOException {
        Path root = dir.resolve("faces");
        Path file = Files.createDirectories(root.resolve("happy")).resolve("wide.png");
        PngWriter.write(widePicture(), file);

        INDArray explained = ImageArrays.toBatch(ModelInputs.of(SIZE, SIZE).read(file));
        INDArray fineTuned = ImageFolder.read(root, List.of("happy"), SIZE, SIZE).pixels();
        assertAllClose(fineTuned, explained, 0, 0);
        assertAllClose(ImageFolder.load(file, SIZE, SIZE), explained.get(NDArrayIndex.point(0)), 0, 0);

        // Independent of both: 40 rows become 32, so the 100 columns become 80 and the center crop keeps source
        // columns 30..70, all red; stretching 100 columns to 32 would have put the green stripes on both edges.
        for (int x : new int[] {0, SIZE / 2, SIZE - 1}) {
            assertThat(fineTuned.getDouble(0, 0, SIZE / 2, x)).as("red at column " + x).isCloseTo(1.0, within(1e-6));
            assertThat(fineTuned.getDouble(0, 1, SIZE / 2, x)).as("green at column " + x).isCloseTo(0.0, within(1e-6));
        }
    }
}
