/**
 * Visualization for image-classifier explanations: the core value types ({@link org.xai4j.viz.AttributionMap},
 * {@link org.xai4j.viz.RgbImage}, {@link org.xai4j.viz.Colormap}) and the Captum-style
 * {@link org.xai4j.viz.AttributionVisualizer}; building blocks live in one subpackage per concern.
 */
package org.xai4j.viz;
