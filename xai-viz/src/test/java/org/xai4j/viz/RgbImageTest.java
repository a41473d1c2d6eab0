package org.xai4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class RgbImageTest {

    @Test
    void validatesRangeAndShape() {
        float[] data = new float[12];
        data[7] = 1.5f;
        assertThatThrownBy(() -> new RgbImage(data, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data[7] (channel 1, y 1, x 1) is 1.5")
                .hasMessageContaining("[0, 1]");
        data[7] = Float.NaN;
        assertThatThrownBy(() -> new RgbImage(data, 2, 2)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new RgbImage(new float[11], 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3*2*2 = 12");
    }

    @Test
    void roundsToBytesWhenRendering() {
        RgbImage image = new RgbImage(new float[] {0.5f, 1f, 0f, 0.2f, 0f, 1f}, 1, 2);
        assertThat(image.rgbAt(0, 0)).isEqualTo(0x80_00_00); // 127.5 rounds up
        assertThat(image.rgbAt(0, 1)).isEqualTo(0xFF_33_FF);
        BufferedImage rendered = image.toBufferedImage();
        assertThat(rendered.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(rendered.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFF33FF);
    }

    @Test
    void roundTripsThroughBufferedImage() {
        BufferedImage source = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        source.setRGB(2, 1, 0x10_80_F0);
        RgbImage image = RgbImage.fromBufferedImage(source);
        assertThat(image.get(0, 1, 2)).isEqualTo(0x10 / 255f);
        assertThat(image.get(1, 1, 2)).isEqualTo(0x80 / 255f);
        assertThat(image.get(2, 1, 2)).isEqualTo(0xF0 / 255f);
        assertThat(image.toBufferedImage().getRGB(2, 1)).isEqualTo(source.getRGB(2, 1));
    }

    @Test
    void convertsBetweenLayouts() {
        float[] hwc = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        RgbImage image = RgbImage.fromHwc(hwc, 1, 2);
        assertThat(image.toChw()).containsExactly(0.1f, 0.4f, 0.2f, 0.5f, 0.3f, 0.6f);
        assertThat(image.toHwc()).containsExactly(hwc);
        assertThat(image.channels()).isEqualTo(3);
    }

    @Test
    void grayscaleUsesBt601Luma() {
        RgbImage red = RgbImage.filled(1, 1, 0xFF0000);
        RgbImage gray = red.grayscale();
        for (int c = 0; c < 3; c++) {
            assertThat(gray.get(c, 0, 0)).isCloseTo(0.299f, within(1e-6f));
        }
        assertThat(RgbImage.filled(1, 1, 0xFFFFFF).grayscale().get(0, 0, 0)).isEqualTo(1f);
    }

    @Test
    void describesItselfCompactly() {
        assertThat(RgbImage.filled(4, 5, 0xFF0000).toString())
                .isEqualTo("RgbImage[height=4, width=5, mean=(1.000, 0.000, 0.000)]");
        assertThat(RgbImage.filled(1, 1, 0x7F7F7F)).isEqualTo(RgbImage.filled(1, 1, 0x7F7F7F));
        assertThatThrownBy(() -> RgbImage.filled(1, 1, 0x1000000)).isInstanceOf(IllegalArgumentException.class);
    }
}
