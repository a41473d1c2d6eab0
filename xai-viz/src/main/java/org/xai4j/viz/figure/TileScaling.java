package org.xai4j.viz.figure;

/**
 * How tiles are scaled to the grid's cell size.
 */
public enum TileScaling {

    /** Bilinear filtering, with stepwise halving when shrinking: right for photos and smooth heat maps. */
    SMOOTH,

    /** Nearest neighbour: every source pixel becomes a crisp block, right for 3x3 filters and 7x7 maps. */
    PIXELATED
}
