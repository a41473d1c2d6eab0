package org.xai4j.features;

/** The ascent rule applied to the image parameters. */
public enum Optimizer {
    /** Adam (Kingma and Ba 2015), beta1 0.9, beta2 0.999, epsilon 1e-8, ascending. */
    ADAM,
    /** Gradient ascent with each image's gradient divided by its root-mean-square (Keras' classic filter visualization). */
    NORMALIZED_GRADIENT
}
