package org.xai4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xai4j.viz.attribution.OutlierClipping;
import org.xai4j.viz.attribution.SignMode;
import org.xai4j.viz.colormap.StandardColormap;
import org.xai4j.viz.overlay.Overlays;
import org.xai4j.viz.transform.PixelAlignment;

class AttributionVisualizerTest {

    private static final RgbImage IMAGE = RgbImage.filled(8, 8, 0x406080);

    @Test
    void defaultsFollowCaptum() {
        AttributionVisualizer visualizer = AttributionVisualizer.builder().build();
        assertThat(visualizer.normalizer().sign()).isEqualTo(SignMode.ABSOLUTE);
        assertThat(visualizer.normalizer().clipping()).isEqualTo(OutlierClipping.cumulativeSum(2));
        assertThat(visualizer.overlayAlpha()).isEqualTo(0.5);
        assertThat(visualizer.alignment()).isEqualTo(PixelAlignment.HALF_PIXEL);
        assertThat(visualizer.colormap()).isEqualTo(StandardColormap.VIRIDIS);
        assertThat(AttributionVisualizer.builder().optSign(SignMode.ALL).build().colormap()).isEqualTo(StandardColormap.COOLWARM);
    }

    @ParameterizedTest
    @EnumSource(SignMode.class)
    void allZeroMapRendersBlankWithoutNaN(SignMode sign) {
        AttributionVisualizer visualizer = AttributionVisualizer.builder().optSign(sign).build();
        AttributionMap zeros = new AttributionMap(new float[3 * 4 * 4], 3, 4, 4);
        BufferedImage heat = visualizer.heatMap(zeros);
        int expected = visualizer.colormap().rgb(sign == SignMode.ALL ? 0.5 : 0.0);
        assertThat(distinctRgb(heat)).containsExactly(expected);
        // Masking by a zero map blacks everything out; alpha scaling makes everything transparent.
        assertThat(distinctRgb(visualizer.maskedImage(zeros, IMAGE))).containsExactly(0x000000);
        assertThat(visualizer.alphaScaling(zeros, IMAGE).getRGB(3, 3) >>> 24).isZero();
    }

    @Test
    void upsamplesLowResolutionMapsToTheImage() {
        AttributionMap cam = AttributionMap.fromRows(new float[][] {{0, 1}, {2, 4}});
        AttributionVisualizer visualizer = AttributionVisualizer.builder()
                .optClipping(OutlierClipping.none()).optSequentialColormap(StandardColormap.GRAY).build();
        for (VisualizationMethod method : VisualizationMethod.values()) {
            BufferedImage rendered = visualizer.render(cam, IMAGE, method);
            assertThat(rendered.getWidth()).as(method.name()).isEqualTo(8);
            assertThat(rendered.getHeight()).as(method.name()).isEqualTo(8);
        }
        BufferedImage heat = visualizer.render(cam, IMAGE, VisualizationMethod.HEAT_MAP);
        // Corners reproduce the cells (half-pixel alignment clamps at the edges): 0, 0.25, 0.5, 1 of full scale.
        assertThat(heat.getRGB(0, 0) & 0xFF).isEqualTo(0);
        assertThat(heat.getRGB(7, 0) & 0xFF).isEqualTo(StandardColormap.GRAY.rgb(0.25) & 0xFF);
        assertThat(heat.getRGB(0, 7) & 0xFF).isEqualTo(StandardColormap.GRAY.rgb(0.5) & 0xFF);
        assertThat(heat.getRGB(7, 7) & 0xFF).isEqualTo(255);
        assertThat(visualizer.heatMap(cam, 5, 3).getWidth()).isEqualTo(3);
    }

    @Test
    void blendsWithTheConfiguredAlpha() {
        AttributionMap map = new AttributionMap(new float[64], 1, 8, 8);
        AttributionVisualizer visualizer = AttributionVisualizer.builder().optOverlayAlpha(0.25).build();
        BufferedImage blended = visualizer.blendedHeatMap(map, IMAGE);
        BufferedImage expected = Overlays.blendedHeatMap(IMAGE, visualizer.normalize(map), StandardColormap.VIRIDIS, 0.25);
        assertThat(blended.getRGB(2, 2)).isEqualTo(expected.getRGB(2, 2));
        assertThat(visualizer.render(map, IMAGE, VisualizationMethod.ORIGINAL_IMAGE).getRGB(1, 1) & 0xFFFFFF)
                .isEqualTo(0x406080);
    }

    @Test
    void validatesConfiguration() {
        assertThatThrownBy(() -> AttributionVisualizer.builder().optOverlayAlpha(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overlayAlpha must be in [0, 1], got NaN");
        assertThatThrownBy(() -> AttributionVisualizer.builder().optOverlayAlpha(1.01).build())
                .hasMessageContaining("got 1.01");
        assertThatThrownBy(() -> AttributionVisualizer.builder().optSequentialColormap(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sequentialColormap");
        assertThatThrownBy(() -> AttributionVisualizer.builder().build().render(null, IMAGE, VisualizationMethod.HEAT_MAP))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("attributions");
        assertThat(AttributionVisualizer.builder().build().toString()).contains("ABSOLUTE", "viridis", "coolwarm", "0.5");
    }

    private static int[] distinctRgb(BufferedImage image) {
        return Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
                .map(argb -> argb & 0xFFFFFF).distinct().toArray();
    }
}
