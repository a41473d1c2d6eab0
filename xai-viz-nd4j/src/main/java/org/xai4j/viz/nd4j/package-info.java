/**
 * Conversions between ND4J arrays (model inputs, attributions, activation maps) and the {@code RgbImage} and
 * {@code AttributionMap} of xai-viz, which itself stays free of ND4J.
 */
package org.xai4j.viz.nd4j;
