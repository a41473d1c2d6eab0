package org.xai4j.features;

/** How the optimized image is represented. */
public enum Parameterization {
    /**
     * The pixels themselves (tf-keras-vis / Yosinski et al. 2015 style), kept in the pixel range by clipping after
     * every step.
     */
    PIXELS,
    /**
     * Lucid's parameterization (Olah, Mordvintsev and Schubert, "Feature Visualization", Distill 2017): a real 2-D
     * Fourier spectrum scaled by 1/frequency (so all frequencies start with equal energy), transformed to color
     * channels decorrelated with Lucid's ImageNet color-correlation square root, and squashed with a sigmoid into the
     * pixel range.
     */
    FOURIER
}
