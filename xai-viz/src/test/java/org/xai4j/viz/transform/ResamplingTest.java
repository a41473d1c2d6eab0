package org.xai4j.viz.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.RgbImage;

class ResamplingTest {

    private static final AttributionMap TWO_BY_TWO = AttributionMap.fromRows(new float[][] {{0, 1}, {2, 3}});

    /**
     * Half-pixel centers: output pixel i samples source coordinate (i + 0.5) / 2 - 0.5, i.e. -0.25, 0.25, 0.75,
     * 1.25, clamped to [0, 1], so each axis interpolates with fractions 0, 0.25, 0.75, 1; the value is
     * 2 * fy + fx. Same as PyTorch {@code F.interpolate(..., align_corners=False)} and PIL.
     */
    @Test
    void upsamplesTwoByTwoWithHalfPixelCenters() {
        AttributionMap result = Resampling.resize(TWO_BY_TWO, 4, 4, PixelAlignment.HALF_PIXEL);
        assertThat(result.data()).containsExactly(
                0.0f, 0.25f, 0.75f, 1.0f,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2.0f, 2.25f, 2.75f, 3.0f);
        assertThat(Resampling.resize(TWO_BY_TWO, 4, 4)).isEqualTo(result);
    }

    /** Aligned corners: output pixel i samples i / 3, so fractions 0, 1/3, 2/3, 1 and corners are exact. */
    @Test
    void upsamplesTwoByTwoWithAlignedCorners() {
        AttributionMap result = Resampling.resize(TWO_BY_TWO, 4, 4, PixelAlignment.ALIGN_CORNERS);
        float third = 1 / 3f;
        assertThat(result.data()).containsExactly(new float[] {
                0, third, 2 * third, 1,
                2 * third, 1, 4 * third, 5 * third,
                4 * third, 5 * third, 2, 7 * third,
                2, 7 * third, 8 * third, 3}, within(1e-6f));
    }

    /**
     * Shrinking [0, 4, 8, 12] to 2 pixels widens the triangle filter to 2 source pixels: output 0 is centered at
     * source 1.0 with weights 0.75, 0.75, 0.25 on [0, 4, 8] (normalized by 1.75), i.e. 5 / 1.75; output 1
     * symmetrically 16 / 1.75. PIL's BILINEAR gives 2.857143 and 9.142858.
     */
    @Test
    void antialiasesWhenShrinking() {
        AttributionMap row = AttributionMap.fromRows(new float[][] {{0, 4, 8, 12}});
        assertThat(Resampling.resize(row, 1, 2).data())
                .containsExactly(new float[] {5 / 1.75f, 16 / 1.75f}, within(1e-6f));
        // Aligned corners does plain two-tap interpolation: samples at 0 and 3 are the end values.
        assertThat(Resampling.resize(row, 1, 2, PixelAlignment.ALIGN_CORNERS).data()).containsExactly(0f, 12f);
    }

    @Test
    void preservesConstantsAndIdentity() {
        Random random = new Random(7);
        float[] data = new float[2 * 5 * 6];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        AttributionMap map = new AttributionMap(data, 2, 5, 6);
        assertThat(Resampling.resize(map, 5, 6).data()).containsExactly(data);
        assertThat(Resampling.resize(map, 5, 6, PixelAlignment.ALIGN_CORNERS).data()).containsExactly(data);

        float[] constant = new float[3 * 7];
        java.util.Arrays.fill(constant, 0.3f);
        for (int[] size : new int[][] {{1, 1}, {2, 9}, {13, 4}, {30, 30}}) {
            float[] resized = Resampling.resizePlanes(constant, 1, 3, 7, size[0], size[1], PixelAlignment.HALF_PIXEL);
            assertThat(resized).hasSize(size[0] * size[1]).containsOnly(0.3f);
        }
    }

    @Test
    void resamplesChannelsIndependently() {
        AttributionMap map = new AttributionMap(new float[] {0, 1, 5, 5}, 2, 1, 2);
        AttributionMap result = Resampling.resize(map, 1, 4);
        assertThat(result.channel(0).data()).containsExactly(0f, 0.25f, 0.75f, 1f);
        assertThat(result.channel(1).data()).containsOnly(5f);
    }

    @Test
    void keepsImagesInRange() {
        RgbImage white = RgbImage.filled(3, 3, 0xFFFFFF);
        RgbImage resized = Resampling.resize(white, 7, 5);
        assertThat(resized.height()).isEqualTo(7);
        assertThat(resized.width()).isEqualTo(5);
        assertThat(resized.data()).containsOnly(1f);
    }

    @Test
    void validatesArguments() {
        assertThatThrownBy(() -> Resampling.resize(TWO_BY_TWO, 0, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target size must be positive, got height=0, width=4");
        assertThatThrownBy(() -> Resampling.resizePlanes(new float[3], 1, 2, 2, 4, 4, PixelAlignment.HALF_PIXEL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 values")
                .hasMessageContaining("1*2*2 = 4");
        assertThatThrownBy(() -> Resampling.resize(TWO_BY_TWO, 4, 4, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("alignment");
    }
}
