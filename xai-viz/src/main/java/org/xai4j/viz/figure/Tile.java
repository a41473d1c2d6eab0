package org.xai4j.viz.figure;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One cell of a {@link TileGrid}: an image and its caption.
 *
 * <p>The image is referenced, not copied (images can be large); do not draw on it after building the grid.
 *
 * @param image the tile image, any size (scaled to the grid's tile size)
 * @param caption the caption drawn below the tile; empty for none; {@code \n} starts a new line
 */
public record Tile(BufferedImage image, String caption) {

    /**
     * Validates the tile; a null caption becomes empty.
     *
     * @param image the tile image, any size (scaled to the grid's tile size)
     * @param caption the caption drawn below the tile; empty for none; {@code \n} starts a new line
     * @throws NullPointerException if {@code image} is null
     */
    public Tile {
        Objects.requireNonNull(image, "image must not be null");
        caption = caption == null ? "" : caption;
    }

    /**
     * Returns whether this tile has a caption.
     *
     * @return true if the caption is not empty
     */
    public boolean hasCaption() {
        return !caption.isEmpty();
    }

    /**
     * Describes the tile.
     *
     * @return e.g. {@code Tile[64x64, caption="cat (0.93)"]}
     */
    @Override
    public String toString() {
        return "Tile[" + image.getWidth() + "x" + image.getHeight() + ", caption=\"" + caption + "\"]";
    }
}
