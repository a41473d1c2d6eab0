package org.xai4j.viz.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xai4j.viz.RgbImage;

class ImageTransformsTest {

    /** An image whose red channel encodes the row (y / 100) and green the column (x / 100). */
    private static RgbImage coordinates(int height, int width) {
        float[] chw = new float[3 * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                chw[y * width + x] = y / 100f;
                chw[height * width + y * width + x] = x / 100f;
            }
        }
        return new RgbImage(chw, height, width);
    }

    @Test
    void resizesShorterSideLikeTorchvision() {
        RgbImage landscape = ImageTransforms.resizeShorterSide(RgbImage.filled(30, 40, 0), 25);
        assertThat(landscape.height()).isEqualTo(25);
        assertThat(landscape.width()).isEqualTo(33); // floor(25 * 40 / 30) = floor(33.3)
        RgbImage portrait = ImageTransforms.resizeShorterSide(RgbImage.filled(50, 20, 0), 10);
        assertThat(portrait.height()).isEqualTo(25);
        assertThat(portrait.width()).isEqualTo(10);
        RgbImage same = RgbImage.filled(10, 12, 0);
        assertThat(ImageTransforms.resizeShorterSide(same, 10)).isSameAs(same);
    }

    @Test
    void centerCropRoundsHalfToEvenLikeTorchvision() {
        // Margin 3 -> offset round(1.5) = 2; margin 5 -> offset round(2.5) = 2.
        RgbImage cropped = ImageTransforms.centerCrop(coordinates(5, 9), 2, 4);
        assertThat(cropped.get(0, 0, 0)).isEqualTo(0.02f);
        assertThat(cropped.get(1, 0, 0)).isEqualTo(0.02f);
        assertThat(cropped.get(0, 1, 3)).isEqualTo(0.03f);
        assertThat(cropped.get(1, 1, 3)).isEqualTo(0.05f);
        // Margin 2 -> offset 1.
        assertThat(ImageTransforms.centerCrop(coordinates(6, 6), 4, 4).get(0, 0, 0)).isEqualTo(0.01f);
    }

    @Test
    void resizeThenCropGivesTheModelInputSize() {
        RgbImage input = ImageTransforms.resizeAndCenterCrop(RgbImage.filled(300, 400, 0x336699), 256, 224, 224);
        assertThat(input.height()).isEqualTo(224);
        assertThat(input.width()).isEqualTo(224);
        assertThat(input.rgbAt(100, 100)).isEqualTo(0x336699);
    }

    @Test
    void enlargeRepeatsEveryPixel() {
        RgbImage small = coordinates(2, 3);
        RgbImage big = ImageTransforms.enlarge(small, 3);
        assertThat(big.height()).isEqualTo(6);
        assertThat(big.width()).isEqualTo(9);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 9; x++) {
                    assertThat(big.get(c, y, x)).isEqualTo(small.get(c, y / 3, x / 3));
                }
            }
        }
        assertThat(ImageTransforms.enlarge(small, 1)).isSameAs(small);
        assertThatThrownBy(() -> ImageTransforms.enlarge(small, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cropsExplicitRectangles() {
        RgbImage cropped = ImageTransforms.crop(coordinates(4, 4), 1, 2, 3, 2);
        assertThat(cropped.height()).isEqualTo(3);
        assertThat(cropped.get(0, 2, 1)).isEqualTo(0.03f);
        assertThat(cropped.get(1, 2, 1)).isEqualTo(0.03f);
    }

    @Test
    void rejectsCropsThatDoNotFit() {
        RgbImage image = RgbImage.filled(10, 20, 0);
        assertThatThrownBy(() -> ImageTransforms.centerCrop(image, 11, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crop 11x5 (height x width) must be positive and fit in the 10x20 image");
        assertThatThrownBy(() -> ImageTransforms.crop(image, 5, 0, 6, 1))
                .hasMessageContaining("top=5, left=0, height=6, width=1 is not inside the 10x20 image");
        assertThatThrownBy(() -> ImageTransforms.resizeShorterSide(image, 0))
                .hasMessage("shorterSide must be positive, got 0");
        assertThatThrownBy(() -> ImageTransforms.resizeAndCenterCrop(image, 8, 0, 8))
                .hasMessageContaining("height=0");
        assertThatThrownBy(() -> ImageTransforms.resize(null, 1, 1)).isInstanceOf(NullPointerException.class);
    }
}
