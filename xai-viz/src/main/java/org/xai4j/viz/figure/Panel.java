package org.xai4j.viz.figure;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One panel of a {@link PanelComparison}: an image under a header, e.g. {@code "FaceVGG"} above its
 * attribution map.
 *
 * <p>The image is referenced, not copied; do not draw on it after building the comparison.
 *
 * @param header the text above the image; empty for none; {@code \n} starts a new line
 * @param image the panel image, drawn at its own size
 */
public record Panel(String header, BufferedImage image) {

    /**
     * Validates the panel; a null header becomes empty.
     *
     * @param header the text above the image; empty for none; {@code \n} starts a new line
     * @param image the panel image, drawn at its own size
     * @throws NullPointerException if {@code image} is null
     */
    public Panel {
        Objects.requireNonNull(image, "image must not be null");
        header = header == null ? "" : header;
    }

    /**
     * Describes the panel.
     *
     * @return e.g. {@code Panel["FaceVGG", 224x224]}
     */
    @Override
    public String toString() {
        return "Panel[\"" + header + "\", " + image.getWidth() + "x" + image.getHeight() + "]";
    }
}
