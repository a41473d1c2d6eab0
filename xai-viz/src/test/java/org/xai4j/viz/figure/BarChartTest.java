package org.xai4j.viz.figure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.io.PngWriter;

class BarChartTest {

    private static final double[] VALUES = {3, 9, 4, 1, 0, 7};

    @Test
    void rendersAtTheRequestedSize() {
        BarChart chart = BarChart.builder().setValues(VALUES).optSize(640, 320).build();
        BufferedImage image = chart.render();
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(320);
        assertThat(BarChart.builder().setValues(VALUES).build().size()).isEqualTo(new Dimension(800, 400));
    }

    @Test
    void highlightsTheTopBarInItsOwnColor() {
        BarChart chart = BarChart.builder().setValues(VALUES).build();
        assertThat(chart.highlightIndex()).isEqualTo(1);
        BufferedImage image = chart.render();
        int highlighted = colorAtCenter(image, chart.barBounds(1));
        int ordinary = colorAtCenter(image, chart.barBounds(5));
        assertThat(highlighted).isEqualTo(BarChart.DEFAULT_HIGHLIGHT_COLOR.getRGB() & 0xFFFFFF);
        assertThat(ordinary).isEqualTo(BarChart.DEFAULT_BAR_COLOR.getRGB() & 0xFFFFFF);
        assertThat(highlighted).isNotEqualTo(ordinary);
    }

    @Test
    void labelsTheHighlightedBarAboveIt() {
        BarChart chart = BarChart.builder().setValues(VALUES).optXAxisLabel("neuron").build();
        assertThat(chart.highlightLabel()).isEqualTo("neuron 1: 9");
        BufferedImage image = chart.render();
        Rectangle bar = chart.barBounds(1);
        Rectangle above = new Rectangle(0, bar.y - 30, image.getWidth(), 28);
        assertThat(Pixels.countDifferent(image, above, Color.WHITE)).isGreaterThan(20);
    }

    @Test
    void tallerValuesDrawTallerBars() {
        BarChart chart = BarChart.builder().setValues(VALUES).build();
        assertThat(chart.barBounds(1).height).isGreaterThan(chart.barBounds(5).height);
        assertThat(chart.barBounds(5).height).isGreaterThan(chart.barBounds(0).height);
        assertThat(chart.barBounds(4).height).isZero();
        // All bars stand on the same baseline.
        assertThat(chart.barBounds(0).y + chart.barBounds(0).height)
                .isEqualTo(chart.barBounds(1).y + chart.barBounds(1).height);
    }

    @Test
    void negativeValuesHangBelowZero() {
        BarChart chart = BarChart.builder().setValues(new double[] {2, -2}).build();
        Rectangle up = chart.barBounds(0);
        Rectangle down = chart.barBounds(1);
        assertThat(down.y).isEqualTo(up.y + up.height);
        assertThat(down.height).isCloseTo(up.height, org.assertj.core.api.Assertions.within(1));
    }

    @Test
    void spikeTotalsSumEachNeuronsMap() {
        // 3 neurons with 2x2 maps: totals 4, 12, 2 -> neuron 1 on top.
        AttributionMap activations = new AttributionMap(new float[] {1, 1, 1, 1, 3, 3, 3, 3, 0, 2, 0, 0}, 3, 2, 2);
        BarChart chart = BarChart.builder().setValues(activations.channelSums()).optXAxisLabel("neuron")
                .optYAxisLabel("spike total").build();
        assertThat(chart.values()).containsExactly(4, 12, 2);
        assertThat(chart.highlightIndex()).isEqualTo(1);
        assertThat(chart.highlightLabel()).isEqualTo("neuron 1: 12");
        BufferedImage image = chart.render();
        Rectangle plot = chart.plotBounds();
        // Axis labels and tick labels draw pixels left of and below the plot.
        assertThat(Pixels.countDifferent(image, new Rectangle(0, plot.y, plot.x - 6, plot.height), Color.WHITE))
                .isGreaterThan(50);
        Rectangle below = new Rectangle(plot.x, plot.y + plot.height + 6, plot.width, image.getHeight() - plot.y - plot.height - 6);
        assertThat(Pixels.countDifferent(image, below, Color.WHITE)).isGreaterThan(50);
    }

    @Test
    void highlightCanBeChosenOrTurnedOff() {
        BarChart chosen = BarChart.builder().setValues(VALUES).optHighlight(3).optHighlightLabel("dead neuron").build();
        assertThat(chosen.highlightIndex()).isEqualTo(3);
        assertThat(chosen.highlightLabel()).isEqualTo("dead neuron");
        BarChart none = BarChart.builder().setValues(VALUES).optNoHighlight().optColors(Color.BLACK, Color.RED).build();
        assertThat(none.highlightIndex()).isEqualTo(-1);
        BufferedImage image = none.render();
        assertThat(Pixels.countExactly(image, new Rectangle(0, 0, 800, 400), Color.RED)).isZero();
        assertThat(colorAtCenter(image, none.barBounds(1))).isZero();
    }

    @Test
    void ticksUseNiceSteps() {
        assertThat(BarChart.niceStep(0.3)).isEqualTo(0.5);
        assertThat(BarChart.niceStep(17)).isEqualTo(20);
        assertThat(BarChart.niceStep(1)).isEqualTo(1);
        assertThat(BarChart.niceStep(0.07)).isEqualTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void manyBarsStillRender() {
        double[] values = new double[512];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(i / 20.0) * 1e7;
        }
        BarChart chart = BarChart.builder().setValues(values).build();
        assertThat(chart.render().getWidth()).isEqualTo(800);
        assertThat(chart.barBounds(511).x).isLessThan(800);
    }

    @Test
    void validatesArguments() {
        assertThatThrownBy(() -> BarChart.builder().setValues(new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values must not be empty");
        assertThatThrownBy(() -> BarChart.builder().setValues(new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("values[1] is NaN; expected a finite value");
        assertThatThrownBy(() -> BarChart.builder().setValues(VALUES).optHighlight(6).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("highlight index 6 is out of range; expected [0, 6)");
        assertThatThrownBy(() -> BarChart.builder().setValues(VALUES).optSize(60, 40).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chart size 60x40");
        assertThatThrownBy(() -> BarChart.builder().setValues(VALUES).optSize(0, 40))
                .hasMessage("size must be positive, got width=0, height=40");
        assertThatThrownBy(() -> BarChart.builder().setValues(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BarChart.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("setValues");
    }

    @Test
    void pngRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spikes.png");
        PngWriter.write(BarChart.builder().setValues(VALUES).optTitle("Spikes").build().render(), file);
        BufferedImage decoded = ImageIO.read(file.toFile());
        assertThat(decoded.getWidth()).isEqualTo(800);
        assertThat(decoded.getHeight()).isEqualTo(400);
    }

    private static int colorAtCenter(BufferedImage image, Rectangle bar) {
        return image.getRGB(bar.x + bar.width / 2, bar.y + bar.height / 2) & 0xFFFFFF;
    }
}
