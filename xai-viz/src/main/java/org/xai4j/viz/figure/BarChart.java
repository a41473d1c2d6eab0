package org.xai4j.viz.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Objects;

/**
 * A vertical bar chart of one value per category, with one bar highlighted and labelled, e.g. the "spike
 * total" (summed activation map) of every neuron of a layer with the most active neuron marked.
 *
 * <pre>{@code
 * BufferedImage chart = BarChart.builder()
 *         .setValues(activations.channelSums())   // spike totals; highlights the top neuron
 *         .optTitle("conv5: spike totals")
 *         .optXAxisLabel("neuron")
 *         .optYAxisLabel("spike total")
 *         .build()
 *         .render();
 * }</pre>
 *
 * <p>The y axis spans 0 and every value, extended to "nice" tick steps (1, 2 or 5 times a power of ten), with
 * light grid lines at the ticks; bars grow from 0, so negative values point down. x ticks label bar indices
 * (starting at 0), thinned out so their labels never overlap. Immutable.
 */
public final class BarChart {

    /** The default bar color, matplotlib's {@code tab:blue}. */
    public static final Color DEFAULT_BAR_COLOR = new Color(0x1F77B4);
    /** The default highlight color, matplotlib's {@code tab:red}. */
    public static final Color DEFAULT_HIGHLIGHT_COLOR = new Color(0xD62728);

    private static final int TICK_LENGTH = 4;
    private static final int MIN_PLOT_SIZE = 20;

    private final double[] values;
    private final String title;
    private final String xAxisLabel;
    private final String yAxisLabel;
    private final int highlightIndex;
    private final String highlightLabel;
    private final int width;
    private final int height;
    private final Color barColor;
    private final Color highlightColor;
    private final FigureStyle style;
    // Layout, fixed at build time.
    private final double axisMin;
    private final double axisMax;
    private final double tickStep;
    private final int xTickStep;
    private final Rectangle plot;

    private BarChart(Builder builder) {
        this.values = builder.values;
        this.title = builder.title;
        this.xAxisLabel = builder.xAxisLabel;
        this.yAxisLabel = builder.yAxisLabel;
        this.width = builder.width;
        this.height = builder.height;
        this.barColor = builder.barColor;
        this.highlightColor = builder.highlightColor;
        this.style = builder.style;
        this.highlightIndex = builder.highlightIndex == Builder.TOP ? argmax(values) : builder.highlightIndex;
        this.highlightLabel = builder.highlightLabel != null ? builder.highlightLabel
                : highlightIndex < 0 ? ""
                : (xAxisLabel.isEmpty() ? "#" : xAxisLabel + " ") + highlightIndex + ": "
                        + FigureText.formatNumber(values[highlightIndex]);

        double low = 0;
        double high = 0;
        for (double value : values) {
            low = Math.min(low, value);
            high = Math.max(high, value);
        }
        if (low == high) {
            high = 1; // all zero: any positive axis works
        }
        this.tickStep = niceStep((high - low) / 5);
        this.axisMin = Math.floor(low / tickStep) * tickStep;
        this.axisMax = Math.ceil(high / tickStep) * tickStep;

        Font captionFont = style.captionFont();
        FontMetrics metrics = FigureText.metrics(captionFont);
        int lineHeight = metrics.getHeight();
        int padding = style.padding();
        int widestTick = 0;
        for (double tick = axisMin; tick <= axisMax + tickStep / 2; tick += tickStep) {
            widestTick = Math.max(widestTick, metrics.stringWidth(formatTick(tick)));
        }
        int top = padding + (title.isEmpty() ? 0
                : FigureText.lineCount(title) * FigureText.lineHeight(style.titleFont()) + padding)
                + (highlightLabel.isEmpty() ? 0 : FigureText.lineHeight(style.headerFont()) + 4);
        int left = padding + (yAxisLabel.isEmpty() ? 0 : lineHeight + padding / 2) + widestTick + 4 + TICK_LENGTH;
        int bottom = TICK_LENGTH + 2 + lineHeight + (xAxisLabel.isEmpty() ? 0 : padding / 2 + lineHeight) + padding;
        int lastLabel = metrics.stringWidth(Integer.toString(values.length - 1));
        int right = Math.max(padding, lastLabel / 2 + 2);
        this.plot = new Rectangle(left, top, width - left - right, height - top - bottom);
        if (plot.width < MIN_PLOT_SIZE || plot.height < MIN_PLOT_SIZE) {
            throw new IllegalArgumentException(String.format(
                    "chart size %dx%d leaves a %dx%d plot area after titles and axes; expected at least %dx%d,"
                            + " so enlarge the chart or shrink the fonts",
                    width, height, plot.width, plot.height, MIN_PLOT_SIZE, MIN_PLOT_SIZE));
        }
        double slot = (double) plot.width / values.length;
        int step = 1;
        while (step * slot < metrics.stringWidth(Integer.toString(values.length - 1)) + 8) {
            step = nextNiceInteger(step);
        }
        this.xTickStep = step;
    }

    /**
     * Starts a chart; {@link Builder#setValues} is required. The spike totals of a layer's activation map are
     * {@code setValues(activations.channelSums())}.
     *
     * @return a builder that highlights the largest value by default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the values, one per bar.
     *
     * @return a copy of the values
     */
    public double[] values() {
        return values.clone();
    }

    /**
     * Returns the highlighted bar.
     *
     * @return its index, or -1 if no bar is highlighted
     */
    public int highlightIndex() {
        return highlightIndex;
    }

    /**
     * Returns the text drawn above the highlighted bar.
     *
     * @return the label; empty if no bar is highlighted
     */
    public String highlightLabel() {
        return highlightLabel;
    }

    /**
     * Returns the size of the rendered image.
     *
     * @return the canvas size
     */
    public Dimension size() {
        return new Dimension(width, height);
    }

    /**
     * Returns the plot area, inside the axes.
     *
     * @return a new rectangle in canvas pixels
     */
    public Rectangle plotBounds() {
        return new Rectangle(plot);
    }

    /**
     * Returns where a bar is drawn; zero-height for a value of 0.
     *
     * @param index the bar index, in {@code [0, values().length)}
     * @return a new rectangle in canvas pixels
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Rectangle barBounds(int index) {
        Objects.checkIndex(index, values.length);
        double slot = (double) plot.width / values.length;
        double inset = slot >= 4 ? slot * 0.1 : 0; // gaps only when bars are wide enough to show them
        int x0 = (int) Math.round(plot.x + index * slot + inset);
        int x1 = (int) Math.round(plot.x + (index + 1) * slot - inset);
        int yTop = yPixel(Math.max(values[index], 0));
        int yBottom = yPixel(Math.min(values[index], 0));
        return new Rectangle(x0, yTop, Math.max(1, x1 - x0), yBottom - yTop);
    }

    private int yPixel(double value) {
        return (int) Math.round(plot.y + plot.height - (value - axisMin) / (axisMax - axisMin) * plot.height);
    }

    /**
     * Renders the chart.
     *
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image of {@link #size()}
     */
    public BufferedImage render() {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = FigureText.begin(canvas, style);
        try {
            Font captionFont = style.captionFont();
            int padding = style.padding();
            Color foreground = style.foreground();
            Color grid = mix(style.background(), foreground, 0.15);

            // Horizontal grid lines and y tick labels.
            for (double tick = axisMin; tick <= axisMax + tickStep / 2; tick += tickStep) {
                int y = yPixel(tick);
                g.setColor(grid);
                g.drawLine(plot.x, y, plot.x + plot.width, y);
                g.setColor(foreground);
                g.drawLine(plot.x - TICK_LENGTH, y, plot.x, y);
                FigureText.drawRightAligned(g, formatTick(tick), captionFont, plot.x - TICK_LENGTH - 4, y);
            }

            // Bars, the highlighted one last so that overlapping slivers never hide it.
            g.setColor(barColor);
            for (int i = 0; i < values.length; i++) {
                if (i != highlightIndex) {
                    fill(g, barBounds(i));
                }
            }
            if (highlightIndex >= 0) {
                g.setColor(highlightColor);
                fill(g, barBounds(highlightIndex));
            }

            // Axes: the y axis on the left, the x axis along value 0.
            g.setColor(foreground);
            g.setStroke(new BasicStroke(1f));
            g.drawLine(plot.x, plot.y, plot.x, plot.y + plot.height);
            int zero = yPixel(0);
            g.drawLine(plot.x, zero, plot.x + plot.width, zero);

            // x ticks under the plot, at bar centers.
            int tickTop = plot.y + plot.height;
            for (int i = 0; i < values.length; i += xTickStep) {
                Rectangle bar = barBounds(i);
                int center = bar.x + bar.width / 2;
                g.drawLine(center, tickTop, center, tickTop + TICK_LENGTH);
                FigureText.drawCentered(g, Integer.toString(i), captionFont, center, tickTop + TICK_LENGTH + 2,
                        Integer.MAX_VALUE);
            }

            int lineHeight = FigureText.lineHeight(captionFont);
            if (!xAxisLabel.isEmpty()) {
                int top = tickTop + TICK_LENGTH + 2 + lineHeight + padding / 2;
                FigureText.drawCentered(g, xAxisLabel, captionFont, plot.x + plot.width / 2, top, width - 2 * padding);
            }
            if (!yAxisLabel.isEmpty()) {
                FigureText.drawVertical(g, yAxisLabel, captionFont, padding + lineHeight / 2,
                        plot.y + plot.height / 2, plot.height);
            }
            if (!title.isEmpty()) {
                FigureText.drawCentered(g, title, style.titleFont(), width / 2, padding, width - 2 * padding);
            }
            if (!highlightLabel.isEmpty()) {
                drawHighlightLabel(g);
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private void drawHighlightLabel(Graphics2D g) {
        Font font = style.headerFont();
        FontMetrics metrics = FigureText.metrics(font);
        int padding = style.padding();
        String text = FigureText.fit(highlightLabel, metrics, width - 2 * padding);
        int textWidth = metrics.stringWidth(text);
        Rectangle bar = barBounds(highlightIndex);
        int left = bar.x + bar.width / 2 - textWidth / 2;
        left = Math.max(padding, Math.min(left, width - padding - textWidth)); // keep it on the canvas
        int top = bar.y - 3 - metrics.getHeight();
        g.setColor(highlightColor);
        FigureText.drawLeft(g, text, font, left, top);
    }

    private static void fill(Graphics2D g, Rectangle bar) {
        g.fillRect(bar.x, bar.y, bar.width, Math.max(bar.height, 0));
    }

    private String formatTick(double tick) {
        double magnitude = Math.max(Math.abs(axisMin), Math.abs(axisMax));
        if (Math.abs(tick) < tickStep * 1e-9) {
            tick = 0; // accumulated rounding, e.g. 5.551115123125783E-17
        }
        if (magnitude >= 1e6) {
            return String.format(Locale.ROOT, "%.2e", tick);
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(tickStep) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", tick);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    private static int nextNiceInteger(int step) {
        int power = 1;
        while (power * 10 <= step) {
            power *= 10;
        }
        int leading = step / power;
        return leading < 2 ? 2 * power : leading < 5 ? 5 * power : 10 * power;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Color mix(Color a, Color b, double fraction) {
        return new Color(
                (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * fraction),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * fraction),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * fraction));
    }

    /**
     * Describes the chart.
     *
     * @return e.g. {@code BarChart[90 bars, highlight=42, size=800x400, title="Spike totals per neuron"]}
     */
    @Override
    public String toString() {
        return String.format("BarChart[%d bars, highlight=%d, size=%dx%d, title=\"%s\"]",
                values.length, highlightIndex, width, height, title);
    }

    /** Collects values and settings for a {@link BarChart}. Not thread-safe. */
    public static final class Builder {

        private static final int TOP = -2;

        private double[] values;
        private String title = "";
        private String xAxisLabel = "";
        private String yAxisLabel = "";
        private int highlightIndex = TOP;
        private boolean highlightSet;
        private String highlightLabel;
        private int width = 800;
        private int height = 400;
        private Color barColor = DEFAULT_BAR_COLOR;
        private Color highlightColor = DEFAULT_HIGHLIGHT_COLOR;
        private FigureStyle style = FigureStyle.builder().build();

        private Builder() {
        }

        /**
         * Sets the values (required).
         *
         * @param barValues one value per bar, at least one, all finite (copied)
         * @return this builder
         * @throws NullPointerException if {@code barValues} is null
         * @throws IllegalArgumentException if {@code barValues} is empty or holds NaN or infinity
         */
        public Builder setValues(double[] barValues) {
            Objects.requireNonNull(barValues, "values must not be null");
            if (barValues.length == 0) {
                throw new IllegalArgumentException("values must not be empty; expected one value per bar");
            }
            for (int i = 0; i < barValues.length; i++) {
                if (!Double.isFinite(barValues[i])) {
                    throw new IllegalArgumentException("values[" + i + "] is " + barValues[i]
                            + "; expected a finite value");
                }
            }
            this.values = barValues.clone();
            return this;
        }

        /**
         * Sets the title.
         *
         * @param text the title; empty or null for none
         * @return this builder
         */
        public Builder optTitle(String text) {
            this.title = text == null ? "" : text;
            return this;
        }

        /**
         * Sets the label under the x axis; it also prefixes the default highlight label.
         *
         * @param text the label, e.g. "neuron"; empty or null for none
         * @return this builder
         */
        public Builder optXAxisLabel(String text) {
            this.xAxisLabel = text == null ? "" : text;
            return this;
        }

        /**
         * Sets the label along the y axis.
         *
         * @param text the label, e.g. "spike total"; empty or null for none
         * @return this builder
         */
        public Builder optYAxisLabel(String text) {
            this.yAxisLabel = text == null ? "" : text;
            return this;
        }

        /**
         * Highlights a specific bar instead of the largest one.
         *
         * @param index the bar index, in {@code [0, values.length)} (checked by {@link #build()})
         * @return this builder
         */
        public Builder optHighlight(int index) {
            this.highlightIndex = index;
            this.highlightSet = true;
            return this;
        }

        /**
         * Highlights no bar.
         *
         * @return this builder
         */
        public Builder optNoHighlight() {
            this.highlightIndex = -1;
            this.highlightSet = false;
            return this;
        }

        /**
         * Sets the text above the highlighted bar; by default {@code "<x label> <index>: <value>"}.
         *
         * @param text the label
         * @return this builder
         * @throws NullPointerException if {@code text} is null
         */
        public Builder optHighlightLabel(String text) {
            this.highlightLabel = Objects.requireNonNull(text, "highlightLabel must not be null");
            return this;
        }

        /**
         * Sets the image size; by default 800x400.
         *
         * @param chartWidth the width in pixels, positive
         * @param chartHeight the height in pixels, positive
         * @return this builder
         * @throws IllegalArgumentException if a size is not positive
         */
        public Builder optSize(int chartWidth, int chartHeight) {
            if (chartWidth <= 0 || chartHeight <= 0) {
                throw new IllegalArgumentException(
                        "size must be positive, got width=" + chartWidth + ", height=" + chartHeight);
            }
            this.width = chartWidth;
            this.height = chartHeight;
            return this;
        }

        /**
         * Sets the bar colors.
         *
         * @param bars the color of ordinary bars
         * @param highlight the color of the highlighted bar and its label
         * @return this builder
         * @throws NullPointerException if a color is null
         */
        public Builder optColors(Color bars, Color highlight) {
            this.barColor = Objects.requireNonNull(bars, "bar color must not be null");
            this.highlightColor = Objects.requireNonNull(highlight, "highlight color must not be null");
            return this;
        }

        /**
         * Sets background, text color, fonts and padding.
         *
         * @param figureStyle the style
         * @return this builder
         * @throws NullPointerException if {@code figureStyle} is null
         */
        public Builder optStyle(FigureStyle figureStyle) {
            this.style = Objects.requireNonNull(figureStyle, "style must not be null");
            return this;
        }

        /**
         * Builds the chart.
         *
         * @return the immutable chart
         * @throws NullPointerException if no values were set
         * @throws IllegalArgumentException if the highlighted index is out of range or the size leaves no room for
         *     the plot area
         */
        public BarChart build() {
            Objects.requireNonNull(values, "values are required: call setValues");
            if (highlightSet && (highlightIndex < 0 || highlightIndex >= values.length)) {
                throw new IllegalArgumentException(String.format(
                        "highlight index %d is out of range; expected [0, %d)", highlightIndex, values.length));
            }
            return new BarChart(this);
        }
    }
}
