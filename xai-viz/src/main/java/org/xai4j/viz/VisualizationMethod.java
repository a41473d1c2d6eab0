package org.xai4j.viz;

/**
 * The ways {@link AttributionVisualizer#render} can show an attribution, named after Captum's {@code method}
 * argument of {@code visualize_image_attr}.
 */
public enum VisualizationMethod {

    /** The input image alone, for side-by-side figures. */
    ORIGINAL_IMAGE,
    /** The attribution alone through a colormap. */
    HEAT_MAP,
    /** The heat map drawn with partial opacity over the input image. */
    BLENDED_HEAT_MAP,
    /** The input image multiplied by the normalized attribution. */
    MASKED_IMAGE,
    /** The input image with the normalized attribution as its alpha channel. */
    ALPHA_SCALING
}
