package org.xai4j.viz.io;

/**
 * What happens to transparency when an image with an alpha channel becomes an {@link org.xai4j.viz.RgbImage}.
 */
public enum AlphaHandling {

    /**
     * Ignore alpha and keep the stored color of every pixel, even fully transparent ones. This is what PIL's
     * {@code Image.convert("RGB")} does, and so what torchvision's and Keras's loaders feed a model; it is the
     * default so that Java sees the same pixels as the Python pipeline that trained the model.
     */
    DROP,

    /**
     * Composite over an opaque white background: {@code c * a + (1 - a)} per channel, with non-premultiplied
     * alpha {@code a} in {@code [0, 1]}. Transparent areas become white, as a viewer shows them on a white page.
     */
    COMPOSITE_OVER_WHITE
}
