/**
 * Feature visualization by activation maximization, with plain-pixel and Fourier/decorrelated-colour
 * parameterizations, behind {@link org.xai4j.FeatureVisualizer}.
 */
package org.xai4j.features;
