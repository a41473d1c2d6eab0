package org.xai4j.activation;

/**
 * How a map is scaled for display and comparison, per image.
 *
 * <ul>
 *   <li>{@link #MIN_MAX}: {@code (m - min) / (max - min)} to [0, 1]; a constant map (e.g. all zero) becomes all
 *       zero, never NaN.</li>
 *   <li>{@link #MAX_ABS}: {@code m / max|m|} to [-1, 1], keeping zero at zero; an all-zero map stays zero.</li>
 *   <li>{@link #NONE}: the raw values.</li>
 * </ul>
 */
public enum Normalization { MIN_MAX, MAX_ABS, NONE }
