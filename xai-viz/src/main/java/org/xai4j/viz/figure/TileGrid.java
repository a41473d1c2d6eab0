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
 * A grid of image tiles with optional captions and a title, e.g. an 8x8 grid of first-layer filters, the 90
 * neurons of a layer in 10 columns, or input images captioned with their predicted labels.
 *
 * <pre>{@code
 * BufferedImage figure = TileGrid.builder()
 *         .optTitle("Last layer: 90 neurons")
 *         .optColumns(10)
 *         .optTileSize(48, 48)
 *         .optScaling(TileScaling.PIXELATED)
 *         .addAll(Overlays.channelHeatMaps(activations, StandardColormap.VIRIDIS, ChannelScaling.PER_CHANNEL))
 *         .build()
 *         .render();
 * }</pre>
 *
 * <p>Layout: tiles fill rows left to right; every tile is scaled to fit the tile size keeping its aspect ratio,
 * centered; captions sit in a band below each tile, shortened with an ellipsis if wider than the tile; the title
 * is centered on top, and the canvas widens if the title is wider than the grid. Immutable.
 */
public final class TileGrid {

    /** Tiles smaller than this (on their longer side) are enlarged by default, so captions fit below them. */
    static final int MIN_DEFAULT_TILE = 64;

    private final List<Tile> tiles;
    private final int columns;
    private final int tileWidth;
    private final int tileHeight;
    private final String title;
    private final TileScaling scaling;
    private final FigureStyle style;
    // Layout, fixed at build time because it depends on font metrics only.
    private final int titleBand;
    private final int captionBand;
    private final int canvasWidth;
    private final int canvasHeight;
    private final int gridLeft;

    private TileGrid(Builder builder) {
        this.tiles = List.copyOf(builder.tiles);
        this.columns = Math.min(builder.columns > 0 ? builder.columns
                : (int) Math.ceil(Math.sqrt(tiles.size())), tiles.size());
        int[] size = builder.tileWidth > 0 ? new int[] {builder.tileWidth, builder.tileHeight} : defaultTileSize(tiles);
        this.tileWidth = size[0];
        this.tileHeight = size[1];
        this.title = builder.title;
        this.scaling = builder.scaling;
        this.style = builder.style;
        int padding = style.padding();
        this.titleBand = title.isEmpty() ? 0
                : FigureText.lineCount(title) * FigureText.lineHeight(style.titleFont()) + padding;
        int captionLines = 0;
        for (Tile tile : tiles) {
            captionLines = Math.max(captionLines, FigureText.lineCount(tile.caption()));
        }
        this.captionBand = captionLines == 0 ? 0
                : captionLines * FigureText.lineHeight(style.captionFont()) + padding / 2;
        int gridWidth = padding + columns * (tileWidth + padding);
        int titleWidth = title.isEmpty() ? 0 : FigureText.width(title, style.titleFont());
        this.canvasWidth = Math.max(gridWidth, titleWidth + 2 * padding);
        this.canvasHeight = padding + titleBand + rows() * (tileHeight + captionBand + padding);
        this.gridLeft = (canvasWidth - gridWidth) / 2;
    }

    /** The largest tile's size, enlarged by an integer factor to at least {@link #MIN_DEFAULT_TILE} pixels. */
    private static int[] defaultTileSize(List<Tile> tiles) {
        int width = 1;
        int height = 1;
        for (Tile tile : tiles) {
            width = Math.max(width, tile.image().getWidth());
            height = Math.max(height, tile.image().getHeight());
        }
        int factor = Math.max(1, (int) Math.ceil((double) MIN_DEFAULT_TILE / Math.max(width, height)));
        return new int[] {width * factor, height * factor};
    }

    /**
     * Starts a grid.
     *
     * @return a builder with default settings (square-ish grid, default style, smooth scaling)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the tiles in order.
     *
     * @return an unmodifiable list
     */
    public List<Tile> tiles() {
        return tiles;
    }

    /**
     * Returns the number of columns actually used: the requested count, at most the number of tiles.
     *
     * @return the column count
     */
    public int columns() {
        return columns;
    }

    /**
     * Returns the number of rows.
     *
     * @return {@code ceil(tiles / columns)}
     */
    public int rows() {
        return (tiles.size() + columns - 1) / columns;
    }

    /**
     * Returns the size every tile is scaled to fit.
     *
     * @return the tile size in pixels
     */
    public Dimension tileSize() {
        return new Dimension(tileWidth, tileHeight);
    }

    /**
     * Returns the title.
     *
     * @return the title; empty for none
     */
    public String title() {
        return title;
    }

    /**
     * Returns the size of the rendered image.
     *
     * @return the canvas size in pixels
     */
    public Dimension size() {
        return new Dimension(canvasWidth, canvasHeight);
    }

    /**
     * Returns where a tile's image area lies on the canvas (the image is fitted and centered inside it).
     *
     * @param index the tile index, in {@code [0, tiles().size())}
     * @return a new rectangle in canvas pixels
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Rectangle tileBounds(int index) {
        Objects.checkIndex(index, tiles.size());
        int padding = style.padding();
        int left = gridLeft + padding + (index % columns) * (tileWidth + padding);
        int top = padding + titleBand + (index / columns) * (tileHeight + captionBand + padding);
        return new Rectangle(left, top, tileWidth, tileHeight);
    }

    /**
     * Returns the caption band below a tile; empty (zero height) if no tile has a caption.
     *
     * @param index the tile index, in {@code [0, tiles().size())}
     * @return a new rectangle in canvas pixels
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Rectangle captionBounds(int index) {
        Rectangle tile = tileBounds(index);
        return new Rectangle(tile.x, tile.y + tile.height, tile.width, captionBand);
    }

    /**
     * Returns the title band; empty (zero height) if there is no title.
     *
     * @return a new rectangle in canvas pixels
     */
    public Rectangle titleBounds() {
        int padding = style.padding();
        return new Rectangle(padding, padding, canvasWidth - 2 * padding, title.isEmpty() ? 0 : titleBand - padding);
    }

    /**
     * Renders the grid.
     *
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image of {@link #size()}
     */
    public BufferedImage render() {
        Dimension size = size();
        BufferedImage canvas = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = FigureText.begin(canvas, style);
        try {
            g.setColor(style.foreground());
            if (!title.isEmpty()) {
                Rectangle band = titleBounds();
                FigureText.drawCentered(g, title, style.titleFont(), band.x + band.width / 2, band.y, band.width);
            }
            Font captionFont = style.captionFont();
            for (int i = 0; i < tiles.size(); i++) {
                Tile tile = tiles.get(i);
                Rectangle bounds = tileBounds(i);
                drawFitted(g, tile.image(), bounds);
                if (tile.hasCaption()) {
                    Rectangle band = captionBounds(i);
                    g.setColor(style.foreground());
                    FigureText.drawCentered(g, tile.caption(), captionFont, band.x + band.width / 2,
                            band.y + style.padding() / 2, band.width);
                }
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private void drawFitted(Graphics2D g, BufferedImage image, Rectangle bounds) {
        double fit = Math.min((double) bounds.width / image.getWidth(), (double) bounds.height / image.getHeight());
        int width = Math.max(1, (int) Math.round(image.getWidth() * fit));
        int height = Math.max(1, (int) Math.round(image.getHeight() * fit));
        BufferedImage scaled = ImageScaling.scale(image, width, height, scaling);
        g.drawImage(scaled, bounds.x + (bounds.width - width) / 2, bounds.y + (bounds.height - height) / 2, null);
    }

    /**
     * Describes the grid.
     *
     * @return e.g. {@code TileGrid[90 tiles, 9x10, tile=48x48, title="Last layer"]}
     */
    @Override
    public String toString() {
        return String.format("TileGrid[%d tiles, %dx%d, tile=%dx%d, title=\"%s\"]",
                tiles.size(), rows(), columns, tileWidth, tileHeight, title);
    }

    /** Collects tiles and settings for a {@link TileGrid}. Not thread-safe. */
    public static final class Builder {

        private final List<Tile> tiles = new ArrayList<>();
        private int columns;
        private int tileWidth;
        private int tileHeight;
        private String title = "";
        private TileScaling scaling = TileScaling.SMOOTH;
        private FigureStyle style = FigureStyle.builder().build();

        private Builder() {
        }

        /**
         * Sets the number of columns; by default {@code ceil(sqrt(tiles))}, e.g. 8 for 64 filters.
         *
         * @param count the column count, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder optColumns(int count) {
            if (count <= 0) {
                throw new IllegalArgumentException("columns must be positive, got " + count);
            }
            this.columns = count;
            return this;
        }

        /**
         * Sets the size each tile is scaled to fit; by default the largest tile's size, enlarged by an integer
         * factor to at least 64 pixels on its longer side.
         *
         * @param width the tile width in pixels, positive
         * @param height the tile height in pixels, positive
         * @return this builder
         * @throws IllegalArgumentException if a size is not positive
         */
        public Builder optTileSize(int width, int height) {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException(
                        "tile size must be positive, got width=" + width + ", height=" + height);
            }
            this.tileWidth = width;
            this.tileHeight = height;
            return this;
        }

        /**
         * Sets the title drawn above the grid.
         *
         * @param text the title; empty or null for none; {@code \n} starts a new line
         * @return this builder
         */
        public Builder optTitle(String text) {
            this.title = text == null ? "" : text;
            return this;
        }

        /**
         * Sets how tiles are scaled.
         *
         * @param tileScaling smooth (default) or pixelated
         * @return this builder
         * @throws NullPointerException if {@code tileScaling} is null
         */
        public Builder optScaling(TileScaling tileScaling) {
            this.scaling = Objects.requireNonNull(tileScaling, "scaling must not be null");
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
         * Adds an uncaptioned tile.
         *
         * @param image the tile image
         * @return this builder
         * @throws NullPointerException if {@code image} is null
         */
        public Builder add(BufferedImage image) {
            tiles.add(new Tile(image, ""));
            return this;
        }

        /**
         * Adds a captioned tile.
         *
         * @param image the tile image
         * @param caption the caption; empty or null for none
         * @return this builder
         * @throws NullPointerException if {@code image} is null
         */
        public Builder add(BufferedImage image, String caption) {
            tiles.add(new Tile(image, caption));
            return this;
        }

        /**
         * Adds a tile.
         *
         * @param tile the tile
         * @return this builder
         * @throws NullPointerException if {@code tile} is null
         */
        public Builder add(Tile tile) {
            tiles.add(Objects.requireNonNull(tile, "tile must not be null"));
            return this;
        }

        /**
         * Adds uncaptioned tiles in order.
         *
         * @param images the tile images
         * @return this builder
         * @throws NullPointerException if {@code images} or an element is null
         */
        public Builder addAll(List<BufferedImage> images) {
            Objects.requireNonNull(images, "images must not be null");
            for (int i = 0; i < images.size(); i++) {
                tiles.add(new Tile(Objects.requireNonNull(images.get(i), "images[" + i + "] is null"), ""));
            }
            return this;
        }

        /**
         * Adds uncaptioned tiles labelled by a caption pattern, e.g. {@code "neuron %d"} for the channel index.
         *
         * @param images the tile images
         * @param captionFormat a {@link String#format} pattern taking the tile's index in {@code images} as an int
         * @return this builder
         * @throws NullPointerException if an argument or element is null
         * @throws java.util.IllegalFormatException if the pattern does not accept one int
         */
        public Builder addAll(List<BufferedImage> images, String captionFormat) {
            Objects.requireNonNull(images, "images must not be null");
            Objects.requireNonNull(captionFormat, "captionFormat must not be null");
            for (int i = 0; i < images.size(); i++) {
                tiles.add(new Tile(Objects.requireNonNull(images.get(i), "images[" + i + "] is null"),
                        String.format(captionFormat, i)));
            }
            return this;
        }

        /**
         * Builds the grid.
         *
         * @return the immutable grid
         * @throws IllegalArgumentException if no tile was added
         */
        public TileGrid build() {
            if (tiles.isEmpty()) {
                throw new IllegalArgumentException("a tile grid needs at least one tile; add images first");
            }
            return new TileGrid(this);
        }
    }
}
