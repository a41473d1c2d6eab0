package org.xai4j.viz.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.attribution.NormalizedAttribution;
import org.xai4j.viz.attribution.SignMode;
import org.xai4j.viz.colormap.StandardColormap;

class OverlaysTest {

    /** A 1x3 image; channel values are exact multiples of 1/255 so products round predictably. */
    private static final RgbImage IMAGE = new RgbImage(new float[] {
        100 / 255f, 20 / 255f, 0.2f,
        50 / 255f, 40 / 255f, 0.4f,
        200 / 255f, 60 / 255f, 0.8f}, 1, 3);

    private static NormalizedAttribution unsigned(float... values) {
        return new NormalizedAttribution(values, 1, values.length, SignMode.ABSOLUTE, 1);
    }

    @Test
    void heatMapLooksUpEveryPixel() {
        BufferedImage heat = Overlays.heatMap(unsigned(0f, 0.5f, 1f), StandardColormap.VIRIDIS);
        assertThat(heat.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(heat.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x440154);
        assertThat(heat.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x21918c);
        assertThat(heat.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0xfde725);
    }

    @Test
    void signedHeatMapCentersZeroOnTheDivergingMap() {
        NormalizedAttribution signed = new NormalizedAttribution(new float[] {-1f, 0f, 1f}, 1, 3, SignMode.ALL, 1);
        BufferedImage heat = Overlays.heatMap(signed, StandardColormap.COOLWARM);
        assertThat(heat.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x3b4cc0);
        assertThat(heat.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xdddcdc);
        assertThat(heat.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0xb40426);
    }

    @Test
    void blendsHeatOverImage() {
        // The gray colormap at value 1 is white, so each channel becomes (1 - 0.25) * c + 0.25.
        RgbImage image = RgbImage.fromHwc(new float[] {0.2f, 0.4f, 0.8f}, 1, 1);
        BufferedImage blended = Overlays.blendedHeatMap(image, unsigned(1f), StandardColormap.GRAY, 0.25);
        // 0.4 -> 102, 0.55 -> 140.25 -> 140, 0.85 -> 216.75 -> 217
        assertThat(blended.getRGB(0, 0) & 0xFFFFFF).isEqualTo(102 << 16 | 140 << 8 | 217);
        assertThat(Overlays.blendedHeatMap(image, unsigned(1f), StandardColormap.GRAY, 0).getRGB(0, 0))
                .isEqualTo(image.toBufferedImage().getRGB(0, 0));
        assertThat(Overlays.blendedHeatMap(image, unsigned(1f), StandardColormap.GRAY, 1).getRGB(0, 0) & 0xFFFFFF)
                .isEqualTo(0xFFFFFF);
    }

    @Test
    void masksImageByMap() {
        BufferedImage masked = Overlays.maskedImage(IMAGE, unsigned(0.5f, 1f, 0f));
        assertThat(masked.getRGB(0, 0) & 0xFFFFFF).isEqualTo(50 << 16 | 25 << 8 | 100);
        assertThat(masked.getRGB(1, 0) & 0xFFFFFF).isEqualTo(IMAGE.rgbAt(0, 1));
        assertThat(masked.getRGB(2, 0) & 0xFFFFFF).isZero();
        // Negative attributions of a signed map hide the pixel, as in Captum.
        NormalizedAttribution signed = new NormalizedAttribution(new float[] {-1f, 0.5f, 1f}, 1, 3, SignMode.ALL, 1);
        assertThat(Overlays.maskedImage(IMAGE, signed).getRGB(0, 0) & 0xFFFFFF).isZero();
    }

    @Test
    void alphaScalingUsesMapAsOpacity() {
        BufferedImage scaled = Overlays.alphaScaling(IMAGE, unsigned(0.2f, 1f, 0f));
        assertThat(scaled.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
        assertThat(scaled.getRGB(0, 0)).isEqualTo(51 << 24 | IMAGE.rgbAt(0, 0));
        assertThat(scaled.getRGB(1, 0) >>> 24).isEqualTo(255);
        assertThat(scaled.getRGB(2, 0) >>> 24).isZero();
    }

    @Test
    void rejectsMismatchedSizesAndBadAlpha() {
        NormalizedAttribution small = unsigned(0f, 1f);
        assertThatThrownBy(() -> Overlays.maskedImage(IMAGE, small))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribution is 1x2 (height x width) but the image is 1x3");
        assertThatThrownBy(() -> Overlays.blendedHeatMap(IMAGE, unsigned(0, 0, 0), StandardColormap.GRAY, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("alpha must be in [0, 1], got NaN");
        assertThatThrownBy(() -> Overlays.blendedHeatMap(IMAGE, unsigned(0, 0, 0), StandardColormap.GRAY, 2))
                .hasMessage("alpha must be in [0, 1], got 2.0");
        assertThatThrownBy(() -> Overlays.heatMap(null, StandardColormap.GRAY))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("attribution");
    }

    @Test
    void rendersOneTilePerChannel() {
        // Channel 0 spans 0..2, channel 1 is constant 1, channel 2 spans 0..4.
        AttributionMap activations = new AttributionMap(new float[] {0, 2, 1, 1, 0, 4}, 3, 1, 2);
        List<BufferedImage> perChannel =
                Overlays.channelHeatMaps(activations, StandardColormap.GRAY, ChannelScaling.PER_CHANNEL);
        assertThat(perChannel).hasSize(3);
        assertThat(perChannel.get(0).getRGB(1, 0) & 0xFF).isEqualTo(255);
        assertThat(perChannel.get(1).getRGB(0, 0) & 0xFF).isZero(); // constant -> first color, no NaN
        assertThat(perChannel.get(2).getRGB(1, 0) & 0xFF).isEqualTo(255);

        List<BufferedImage> shared = Overlays.channelHeatMaps(activations, StandardColormap.GRAY, ChannelScaling.SHARED);
        assertThat(shared.get(0).getRGB(1, 0) & 0xFF).isEqualTo(StandardColormap.GRAY.rgb(0.5) & 0xFF);
        assertThat(shared.get(1).getRGB(0, 0) & 0xFF).isEqualTo(StandardColormap.GRAY.rgb(0.25) & 0xFF);
        assertThat(shared.get(2).getRGB(1, 0) & 0xFF).isEqualTo(255);
    }

    @Test
    void rendersFiltersWithJointMinMax() {
        // 3-channel 1x2 filter: pixel 0 = (-1, 0, 1), pixel 1 = (1, 1, -1).
        AttributionMap filter = new AttributionMap(new float[] {-1, 1, 0, 1, 1, -1}, 3, 1, 2);
        BufferedImage image = Overlays.filterImage(filter);
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x0080FF);
        assertThat(image.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFFFF00);
        assertThat(Overlays.filterImage(AttributionMap.fromRows(new float[][] {{2, 4}})).getRGB(1, 0) & 0xFFFFFF)
                .isEqualTo(0xFFFFFF);
        assertThatThrownBy(() -> Overlays.filterImage(new AttributionMap(new float[2], 2, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2");
    }
}
