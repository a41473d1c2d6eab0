package org.xai4j.viz.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.transform.PixelAlignment;

class AttributionNormalizerTest {

    private static final AttributionMap SIGNED = AttributionMap.fromRows(new float[][] {{-4, -2, 0}, {1, 2, 3}});

    private static AttributionNormalizer unclipped(SignMode sign) {
        return new AttributionNormalizer(sign, ChannelReduction.SUM, OutlierClipping.none());
    }

    @Test
    void allKeepsTheSignAndScalesByTheLargestMagnitude() {
        NormalizedAttribution result = unclipped(SignMode.ALL).normalize(SIGNED);
        assertThat(result.values()).containsExactly(-1f, -0.5f, 0f, 0.25f, 0.5f, 0.75f);
        assertThat(result.scale()).isEqualTo(4);
        assertThat(result.colormapPosition(0, 0)).isEqualTo(0.0);
        assertThat(result.colormapPosition(0, 2)).isEqualTo(0.5);
    }

    @Test
    void positiveKeepsOnlyPositiveValues() {
        assertThat(unclipped(SignMode.POSITIVE).normalize(SIGNED).values())
                .containsExactly(new float[] {0f, 0f, 0f, 1 / 3f, 2 / 3f, 1f}, within(1e-7f));
    }

    @Test
    void negativeShowsTheMagnitudeOfNegativeValues() {
        NormalizedAttribution result = unclipped(SignMode.NEGATIVE).normalize(SIGNED);
        assertThat(result.values()).containsExactly(1f, 0.5f, 0f, 0f, 0f, 0f);
        assertThat(result.colormapPosition(0, 1)).isEqualTo(0.5);
    }

    @Test
    void absoluteUsesMagnitudes() {
        assertThat(unclipped(SignMode.ABSOLUTE).normalize(SIGNED).values())
                .containsExactly(1f, 0.5f, 0f, 0.25f, 0.5f, 0.75f);
    }

    @Test
    void clippingSaturatesOutliers() {
        AttributionMap oneToTen = AttributionMap.ofSingleChannel(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5);
        // 20% of the mass clipped: threshold 9 (see OutlierClippingTest), so 10 saturates at 1.
        NormalizedAttribution result = new AttributionNormalizer(SignMode.ABSOLUTE, ChannelReduction.SUM,
                OutlierClipping.cumulativeSum(20)).normalize(oneToTen);
        assertThat(result.scale()).isEqualTo(9);
        assertThat(result.get(0, 0)).isCloseTo(1 / 9f, within(1e-7f));
        assertThat(result.get(1, 3)).isEqualTo(1f);
        assertThat(result.get(1, 4)).isEqualTo(1f);
        // Captum's default of 2% keeps the maximum here.
        assertThat(AttributionNormalizer.captumDefaults().normalize(oneToTen).scale()).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(SignMode.class)
    void allZeroMapNormalizesToZerosNotNaN(SignMode sign) {
        NormalizedAttribution result = new AttributionNormalizer(sign, ChannelReduction.SUM, OutlierClipping.captumDefault())
                .normalize(new AttributionMap(new float[12], 3, 2, 2));
        assertThat(result.values()).containsOnly(0f);
        assertThat(result.scale()).isZero();
        assertThat(result.isBlank()).isTrue();
    }

    @Test
    void signModeWithNothingToShowIsBlank() {
        AttributionMap positiveOnly = AttributionMap.fromRows(new float[][] {{1, 2}});
        assertThat(unclipped(SignMode.NEGATIVE).normalize(positiveOnly).isBlank()).isTrue();
    }

    @Test
    void reducesChannelsBeforeNormalizing() {
        // Two channels at two pixels: pixel 0 = (1, 2), pixel 1 = (-3, 1).
        AttributionMap map = new AttributionMap(new float[] {1, -3, 2, 1}, 2, 1, 2);
        assertThat(ChannelReduction.SUM.reduce(map).data()).containsExactly(3f, -2f);
        assertThat(ChannelReduction.MAX_ABS.reduce(map).data()).containsExactly(2f, -3f);
        assertThat(new AttributionNormalizer(SignMode.ALL, ChannelReduction.MAX_ABS, OutlierClipping.none()).normalize(map).values())
                .containsExactly(2 / 3f, -1f);
        NormalizedAttribution summed = unclipped(SignMode.ALL).normalize(map);
        assertThat(summed.height()).isEqualTo(1);
        assertThat(summed.width()).isEqualTo(2);
        assertThat(summed.values()).containsExactly(1f, -2 / 3f);
    }

    @Test
    void resizingKeepsRangeSignAndScale() {
        NormalizedAttribution small = unclipped(SignMode.ALL).normalize(AttributionMap.fromRows(new float[][] {{-1, 1}}));
        NormalizedAttribution large = small.resize(1, 4, PixelAlignment.HALF_PIXEL);
        assertThat(large.values()).containsExactly(-1f, -0.5f, 0.5f, 1f);
        assertThat(large.sign()).isEqualTo(SignMode.ALL);
        assertThat(large.scale()).isEqualTo(1);
        assertThat(small.resize(1, 2, PixelAlignment.HALF_PIXEL)).isSameAs(small);
    }

    @Test
    void normalizedAttributionValidatesItsRange() {
        assertThatThrownBy(() -> new NormalizedAttribution(new float[] {-0.5f}, 1, 1, SignMode.ABSOLUTE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values[0] (y 0, x 0) is -0.5")
                .hasMessageContaining("ABSOLUTE expects values in [0, 1]");
        assertThatThrownBy(() -> new NormalizedAttribution(new float[2], 1, 1, SignMode.ALL, 1))
                .hasMessageContaining("values has 2 entries but height*width = 1*1 = 1");
        assertThatThrownBy(() -> new NormalizedAttribution(new float[1], 1, 1, SignMode.ALL, Double.NaN))
                .hasMessageContaining("scale must be finite and >= 0, got NaN");
        assertThat(new NormalizedAttribution(new float[1], 1, 1, SignMode.ALL, 0.5).toString())
                .isEqualTo("NormalizedAttribution[height=1, width=1, sign=ALL, scale=0.5000]");
    }

    @Test
    void rejectsNullArguments() {
        assertThatThrownBy(() -> new AttributionNormalizer(null, ChannelReduction.SUM, OutlierClipping.none()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sign");
        assertThatThrownBy(() -> AttributionNormalizer.captumDefaults().normalize(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("map");
    }
}
