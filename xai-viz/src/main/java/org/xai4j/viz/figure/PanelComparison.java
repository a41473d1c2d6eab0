package org.xai4j.viz.figure;

import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Two or more images side by side, each under a header, with an optional title: e.g. the same input explained
 * by "FaceVGG" and by "EmotionVGG".
 *
 * <pre>{@code
 * BufferedImage figure = PanelComparison.builder()
 *         .optTitle("Integrated gradients, same input")
 *         .add("FaceVGG", faceOverlay)
 *         .add("EmotionVGG", emotionOverlay)
 *         .build()
 *         .render();
 * }</pre>
 *
 * <p>Images are drawn at their own size, top-aligned below the headers and centered in columns wide enough for
 * both image and header (so headers are never cut off). Panels can themselves be rendered {@link TileGrid}s.
 * Immutable.
 */
public final class PanelComparison {

    private final List<Panel> panels;
    private final String title;
    private final FigureStyle style;
    // Layout, fixed at build time.
    private final int[] columnLeft;
    private final int[] columnWidth;
    private final int titleBand;
    private final int headerBand;
    private final int canvasWidth;
    private final int canvasHeight;

    private PanelComparison(List<Panel> panels, String title, FigureStyle style) {
        this.panels = List.copyOf(panels);
        this.title = title;
        this.style = style;
        int padding = style.padding();
        Font headerFont = style.headerFont();
        int headerLines = 0;
        int imageHeight = 0;
        columnWidth = new int[this.panels.size()];
        columnLeft = new int[this.panels.size()];
        int contentWidth = padding;
        for (int i = 0; i < columnWidth.length; i++) {
            Panel panel = this.panels.get(i);
            columnWidth[i] = Math.max(panel.image().getWidth(), FigureText.width(panel.header(), headerFont));
            columnLeft[i] = contentWidth;
            contentWidth += columnWidth[i] + padding;
            headerLines = Math.max(headerLines, FigureText.lineCount(panel.header()));
            imageHeight = Math.max(imageHeight, panel.image().getHeight());
        }
        this.titleBand = title.isEmpty() ? 0
                : FigureText.lineCount(title) * FigureText.lineHeight(style.titleFont()) + padding;
        this.headerBand = headerLines == 0 ? 0 : headerLines * FigureText.lineHeight(headerFont) + padding / 2;
        int titleWidth = title.isEmpty() ? 0 : FigureText.width(title, style.titleFont()) + 2 * padding;
        this.canvasWidth = Math.max(contentWidth, titleWidth);
        int shift = (canvasWidth - contentWidth) / 2; // center the panels under a wide title
        for (int i = 0; i < columnLeft.length; i++) {
            columnLeft[i] += shift;
        }
        this.canvasHeight = padding + titleBand + headerBand + imageHeight + padding;
    }

    /**
     * Starts a comparison.
     *
     * @return a builder with the default style and no title
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the panels in order.
     *
     * @return an unmodifiable list
     */
    public List<Panel> panels() {
        return panels;
    }

    /**
     * Returns the size of the rendered image.
     *
     * @return the canvas size
     */
    public Dimension size() {
        return new Dimension(canvasWidth, canvasHeight);
    }

    /**
     * Returns where a panel's image is drawn.
     *
     * @param index the panel index
     * @return a new rectangle in canvas pixels, the image's own size
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Rectangle panelBounds(int index) {
        Objects.checkIndex(index, panels.size());
        BufferedImage image = panels.get(index).image();
        int left = columnLeft[index] + (columnWidth[index] - image.getWidth()) / 2;
        int top = style.padding() + titleBand + headerBand;
        return new Rectangle(left, top, image.getWidth(), image.getHeight());
    }

    /**
     * Returns the header band above a panel; zero height if no panel has a header.
     *
     * @param index the panel index
     * @return a new rectangle in canvas pixels, as wide as the panel's column
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Rectangle headerBounds(int index) {
        Objects.checkIndex(index, panels.size());
        return new Rectangle(columnLeft[index], style.padding() + titleBand, columnWidth[index], headerBand);
    }

    /**
     * Renders the comparison.
     *
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image of {@link #size()}
     */
    public BufferedImage render() {
        BufferedImage canvas = new BufferedImage(canvasWidth, canvasHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = FigureText.begin(canvas, style);
        try {
            g.setColor(style.foreground());
            int padding = style.padding();
            if (!title.isEmpty()) {
                FigureText.drawCentered(g, title, style.titleFont(), canvasWidth / 2, padding,
                        canvasWidth - 2 * padding);
            }
            for (int i = 0; i < panels.size(); i++) {
                Panel panel = panels.get(i);
                Rectangle header = headerBounds(i);
                g.setColor(style.foreground());
                FigureText.drawCentered(g, panel.header(), style.headerFont(), header.x + header.width / 2, header.y,
                        header.width);
                Rectangle bounds = panelBounds(i);
                g.drawImage(panel.image(), bounds.x, bounds.y, null);
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /**
     * Describes the comparison.
     *
     * @return e.g. {@code PanelComparison[title="", panels=[Panel["FaceVGG", 224x224], ...]]}
     */
    @Override
    public String toString() {
        return "PanelComparison[title=\"" + title + "\", panels=" + panels + "]";
    }

    /** Collects panels for a {@link PanelComparison}. Not thread-safe. */
    public static final class Builder {

        private final List<Panel> panels = new ArrayList<>();
        private String title = "";
        private FigureStyle style = FigureStyle.builder().build();

        private Builder() {
        }

        /**
         * Sets the title drawn above all panels.
         *
         * @param text the title; empty or null for none
         * @return this builder
         */
        public Builder optTitle(String text) {
            this.title = text == null ? "" : text;
            return this;
        }

        /**
         * Sets colors, fonts and padding.
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
         * Adds a panel to the right of the previous ones.
         *
         * @param header the text above the image, e.g. the model's name
         * @param image the panel image
         * @return this builder
         * @throws NullPointerException if {@code image} is null
         */
        public Builder add(String header, BufferedImage image) {
            panels.add(new Panel(header, image));
            return this;
        }

        /**
         * Adds a panel to the right of the previous ones.
         *
         * @param panel the panel
         * @return this builder
         * @throws NullPointerException if {@code panel} is null
         */
        public Builder add(Panel panel) {
            panels.add(Objects.requireNonNull(panel, "panel must not be null"));
            return this;
        }

        /**
         * Builds the comparison.
         *
         * @return the immutable comparison
         * @throws IllegalArgumentException if no panel was added
         */
        public PanelComparison build() {
            if (panels.isEmpty()) {
                throw new IllegalArgumentException("a comparison needs at least one panel; add panels first");
            }
            return new PanelComparison(panels, title, style);
        }
    }
}
