package org.xai4j.activation;

/**
 * How a map is scaled for display and comparison, per image.
 */
public enum Normalization {
    /**
     * {@code (m - min) / (max - min)} to [0, 1]; a constant map (e.g. all zero) becomes all zero, never NaN.
     */
    MIN_MAX,
    /** {@code m / max|m|} to [-1, 1], keeping zero at zero; an all-zero map stays zero. */
    MAX_ABS,
    /** The raw values. */
    NONE
}
