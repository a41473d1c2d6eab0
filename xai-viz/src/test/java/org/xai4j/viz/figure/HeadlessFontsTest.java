package org.xai4j.viz.figure;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Fails early, with a pointer to FONTS.md, on machines where Java2D finds no fonts. */
class HeadlessFontsTest {

    @Test
    void runsHeadless() {
        assertThat(GraphicsEnvironment.isHeadless())
                .as("surefire's argLine sets -Djava.awt.headless=true; figures must render without a display")
                .isTrue();
    }

    @Test
    void sansSerifResolvesToAnInstalledFont() {
        String[] families = GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
        assertThat(families).as("no fonts found; install the packages listed in xai-viz/FONTS.md").isNotEmpty();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        assertThat(font.canDisplayUpTo("neuron 42: 0.93 \u2026")).as("glyphs missing, see FONTS.md").isEqualTo(-1);
    }

    @Test
    void drawnTextProducesPixels() {
        FigureStyle style = FigureStyle.builder().build();
        BufferedImage canvas = new BufferedImage(120, 30, BufferedImage.TYPE_INT_RGB);
        var g = FigureText.begin(canvas, style);
        g.setColor(style.foreground());
        FigureText.drawCentered(g, "EmotionVGG", style.captionFont(), 60, 5, 120);
        g.dispose();
        assertThat(Pixels.countDifferent(canvas, new Rectangle(0, 0, 120, 30), style.background()))
                .as("text rendered no pixels; see FONTS.md").isGreaterThan(30);
    }

    @Test
    void longTextIsShortenedWithAnEllipsis() {
        var metrics = FigureText.metrics(FigureStyle.builder().build().captionFont());
        String fitted = FigureText.fit("a rather long caption for a small tile", metrics, 60);
        assertThat(fitted).endsWith("\u2026").startsWith("a rather");
        assertThat(metrics.stringWidth(fitted)).isLessThanOrEqualTo(60);
        assertThat(FigureText.fit("cat", metrics, 60)).isEqualTo("cat");
    }

    @Test
    void formatsNumbersCompactly() {
        assertThat(FigureText.formatNumber(42)).isEqualTo("42");
        assertThat(FigureText.formatNumber(81.0412)).isEqualTo("81.04");
        assertThat(FigureText.formatNumber(0.5)).isEqualTo("0.5");
        assertThat(FigureText.formatNumber(1.5e-5)).isEqualTo("1.500e-05");
    }
}
