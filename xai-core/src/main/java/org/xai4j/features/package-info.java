/**
 * Feature visualization by activation maximization, with plain-pixel and Fourier/decorrelated-color
 * parameterizations and Lucid's robustness transforms (jitter, pad, random scale, random rotation), behind
 * {@link org.xai4j.FeatureVisualizer}.
 */
package org.xai4j.features;
