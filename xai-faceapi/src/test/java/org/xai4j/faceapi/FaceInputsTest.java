package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.viz.RgbImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class FaceInputsTest {

    private static RgbImage ramp(int height, int width) {
        float[] chw = new float[3 * height * width];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    chw[(c * height + y) * width + x] = (1 + x + 10 * y + 100 * c) / 400f;
                }
            }
        }
        return new RgbImage(chw, height, width);
    }

    @Test
    void padsToACenteredSquareWithBlack() {
        RgbImage image = ramp(3, 6);
        // 3 rows, 6 columns: diff 3, round(1.5) = 2 rows appended at the bottom, 1 prepended at the top
        INDArray in = FaceInputs.crop(image, new FaceBox(0, 0, 6, 3), 6, true);
        assertThat(in.shape()).containsExactly(1, 3, 6, 6);
        for (int x = 0; x < 6; x++) {
            assertThat(in.getDouble(0, 0, 0, x)).isZero();
            assertThat(in.getDouble(0, 1, 1, x)).isEqualTo((double) image.get(1, 0, x));
            assertThat(in.getDouble(0, 2, 3, x)).isEqualTo((double) image.get(2, 2, x));
            assertThat(in.getDouble(0, 0, 4, x)).isZero();
            assertThat(in.getDouble(0, 0, 5, x)).isZero();
        }
        // the detector pads at the end only
        INDArray det = FaceInputs.crop(image, new FaceBox(0, 0, 6, 3), 6, false);
        assertThat(det.getDouble(0, 0, 0, 2)).isEqualTo((double) image.get(0, 0, 2));
        assertThat(det.getDouble(0, 0, 3, 2)).isZero();
    }

    @Test
    void resizesAsTensorFlowsLegacyBilinear() {
        RgbImage image = ramp(4, 4);
        INDArray in = FaceInputs.crop(image, new FaceBox(0, 0, 4, 4), 3, true);
        // source coordinate = output index * 4/3, no half-pixel offset; the ramp is linear in x and y, so the value
        // is the ramp at the fractional source position (clamped at the last row/column)
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                double sy = y * 4.0 / 3;
                double sx = x * 4.0 / 3;
                assertThat(in.getDouble(0, 1, y, x)).isCloseTo((1 + sx + 10 * sy + 100) / 400, offset(1e-6));
            }
        }
    }

    @Test
    void cropsTheRegion() {
        RgbImage image = ramp(10, 10);
        INDArray in = FaceInputs.crop(image, new FaceBox(2, 3, 4, 4), 4, true);
        assertThat(in.getDouble(0, 0, 0, 0)).isEqualTo((double) image.get(0, 3, 2));
        assertThat(in.getDouble(0, 2, 3, 3)).isEqualTo((double) image.get(2, 6, 5));
    }

    @Test
    void refusesRegionsOutsideTheImageOrNotWholePixels() {
        RgbImage image = ramp(10, 10);
        assertThatThrownBy(() -> FaceInputs.crop(image, new FaceBox(8, 0, 4, 4), 4, true))
                .hasMessageContaining("inside the 10x10 image");
        assertThatThrownBy(() -> FaceInputs.crop(image, new FaceBox(0.5, 0, 4, 4), 4, true))
                .hasMessageContaining("whole-pixel");
        assertThatThrownBy(() -> FaceInputs.crop(image, new FaceBox(0, 0, 4, 4), 0, true))
                .hasMessageContaining("size must be positive");
    }

    @Test
    void clipsBoxesAsFaceApi() {
        assertThat(new FaceBox(-3.5, 2.7, 20, 10).clipAtImageBorders(12, 10)).isEqualTo(new FaceBox(0, 2, 12, 7));
        assertThat(new FaceBox(0, 0, 10, 10).iou(new FaceBox(5, 0, 10, 10))).isCloseTo(1.0 / 3, offset(1e-15));
    }
}
