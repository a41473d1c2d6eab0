/**
 * Gradients with ReLU overrides: guided backpropagation, deconvolution and Guided Grad-CAM, as Captum 0.8.0 computes
 * them, each a backward mode of the one engine ({@link org.xai4j.engine.BackwardMode}).
 */
package org.xai4j.guided;
