package org.xai4j.viz.figure;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Scales tile images for the figures. */
final class ImageScaling {

    private ImageScaling() {
    }

    /**
     * Scales an image to exactly {@code width x height}. Smooth shrinking halves the image repeatedly before the
     * final bilinear step, because a single bilinear step samples only 2x2 source pixels and aliases badly.
     */
    static BufferedImage scale(BufferedImage source, int width, int height, TileScaling scaling) {
        if (source.getWidth() == width && source.getHeight() == height) {
            return source;
        }
        Object interpolation = scaling == TileScaling.PIXELATED
                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                : RenderingHints.VALUE_INTERPOLATION_BILINEAR;
        BufferedImage current = source;
        if (scaling == TileScaling.SMOOTH) {
            while (current.getWidth() / 2 >= width && current.getHeight() / 2 >= height) {
                current = draw(current, current.getWidth() / 2, current.getHeight() / 2, interpolation);
            }
        }
        return draw(current, width, height, interpolation);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, Object interpolation) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
