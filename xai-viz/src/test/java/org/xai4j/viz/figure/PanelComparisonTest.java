package org.xai4j.viz.figure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PanelComparisonTest {

    @Test
    void placesPanelsSideBySideUnderTheirHeaders() {
        PanelComparison comparison = PanelComparison.builder()
                .optTitle("Same input, two models")
                .add("FaceVGG", Pixels.solid(100, 80, 0xAA0000))
                .add("EmotionVGG", Pixels.solid(100, 80, 0x00AA00))
                .build();
        BufferedImage image = comparison.render();
        assertThat(image.getWidth()).isEqualTo(comparison.size().width).isGreaterThanOrEqualTo(8 + 100 + 8 + 100 + 8);
        Rectangle left = comparison.panelBounds(0);
        Rectangle right = comparison.panelBounds(1);
        assertThat(right.x).isGreaterThanOrEqualTo(left.x + left.width);
        assertThat(left.y).isEqualTo(right.y);
        assertThat(image.getHeight()).isEqualTo(left.y + 80 + 8);
        assertThat(Pixels.rgbAt(image, left.x + 50, left.y + 40)).isEqualTo(0xAA0000);
        assertThat(Pixels.rgbAt(image, right.x + 50, right.y + 40)).isEqualTo(0x00AA00);
        for (int i = 0; i < 2; i++) {
            Rectangle header = comparison.headerBounds(i);
            assertThat(header.y + header.height).isLessThanOrEqualTo(left.y);
            assertThat(Pixels.countDifferent(image, header, Color.WHITE)).as("header %d", i).isGreaterThan(20);
        }
        assertThat(Pixels.countDifferent(image, new Rectangle(0, 0, image.getWidth(), comparison.headerBounds(0).y),
                Color.WHITE)).as("title").isGreaterThan(20);
    }

    @Test
    void longHeadersWidenTheirColumnInsteadOfBeingCut() {
        PanelComparison comparison = PanelComparison.builder()
                .add(new Panel("A considerably long model name", Pixels.solid(10, 10, 0)))
                .add(new Panel("B", Pixels.solid(10, 10, 0))).build();
        assertThat(comparison.headerBounds(0).width).isGreaterThan(100);
        assertThat(comparison.headerBounds(1).width).isEqualTo(10);
        Rectangle panel = comparison.panelBounds(0);
        Rectangle header = comparison.headerBounds(0);
        assertThat(panel.x + panel.width / 2).isCloseTo(header.x + header.width / 2,
                org.assertj.core.api.Assertions.within(1));
    }

    @Test
    void darkStyleDrawsOnItsBackground() {
        FigureStyle dark = FigureStyle.dark();
        BufferedImage image = PanelComparison.builder().optStyle(dark).add("x", Pixels.solid(4, 4, 0)).build().render();
        assertThat(Pixels.rgbAt(image, 0, 0)).isEqualTo(dark.background().getRGB() & 0xFFFFFF);
    }

    @Test
    void validatesArguments() {
        assertThatThrownBy(() -> PanelComparison.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one panel");
        assertThatThrownBy(() -> new Panel("x", null)).isInstanceOf(NullPointerException.class);
        assertThat(new Panel(null, Pixels.solid(3, 2, 0))).hasToString("Panel[\"\", 3x2]");
        assertThatThrownBy(() -> new FigureStyle(Color.WHITE, Color.BLACK, "SansSerif", 0, 12, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("titleFontSize=0");
        assertThatThrownBy(() -> FigureStyle.builder().optPadding(-1).build()).hasMessage("padding must be >= 0, got -1");
    }
}
