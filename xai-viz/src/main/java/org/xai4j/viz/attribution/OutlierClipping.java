package org.xai4j.viz.attribution;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How the scale of an attribution map is chosen so that a few extreme values do not wash out the rest: values
 * above the returned {@link #threshold(float[]) threshold} saturate the colormap.
 *
 * <p>Three methods:
 * <ul>
 *   <li>{@link Method#CUMULATIVE_SUM} (Captum's {@code _cumulative_sum_threshold}, the default with 2%): sort the
 *       magnitudes ascending, accumulate them, and take the first value at which the running sum reaches
 *       {@code (100 - percent) / 100} of the total. It discards the largest values that together carry
 *       {@code percent}% of the total attribution <em>mass</em>.</li>
 *   <li>{@link Method#PERCENTILE}: the {@code (100 - percent)}-th percentile of the magnitudes, linearly
 *       interpolated between order statistics as NumPy's default {@code np.percentile} does. It discards the
 *       largest {@code percent}% of the <em>pixels</em>.</li>
 *   <li>{@link Method#NONE}: the maximum magnitude.</li>
 * </ul>
 *
 * <p>The threshold is never 0 unless every magnitude is 0, so normalization never divides by zero: when a
 * percentile lands on 0 (more than {@code 100 - percent}% of a sparse map is zero) the maximum is used instead.
 *
 * @param method the thresholding method
 * @param percent the outlier percentage in {@code [0, 100)}; 0 for {@link Method#NONE}
 */
public record OutlierClipping(Method method, double percent) {

    /** The available thresholding methods. */
    public enum Method {
        /** No clipping: the threshold is the maximum magnitude. */
        NONE,
        /** Captum's cumulative-sum threshold: clip the top {@code percent}% of attribution mass. */
        CUMULATIVE_SUM,
        /** Plain percentile: clip the top {@code percent}% of pixels. */
        PERCENTILE
    }

    /** Captum's default outlier percentage for {@code visualize_image_attr}. */
    public static final double CAPTUM_DEFAULT_PERCENT = 2.0;

    /**
     * Validates the arguments.
     *
     * @param method the thresholding method
     * @param percent the outlier percentage in {@code [0, 100)}; 0 for {@link Method#NONE}
     * @throws NullPointerException if {@code method} is null
     * @throws IllegalArgumentException if {@code percent} is NaN or outside {@code [0, 100)}, or is non-zero for
     *     {@link Method#NONE}
     */
    public OutlierClipping {
        Objects.requireNonNull(method, "method must not be null");
        if (!(percent >= 0 && percent < 100)) {
            throw new IllegalArgumentException("percent must be in [0, 100), got " + percent);
        }
        if (method == Method.NONE && percent != 0) {
            throw new IllegalArgumentException("percent must be 0 for method NONE, got " + percent);
        }
    }

    /**
     * Returns no clipping: values are scaled by the maximum magnitude.
     *
     * @return the clipping
     */
    public static OutlierClipping none() {
        return new OutlierClipping(Method.NONE, 0);
    }

    /**
     * Returns Captum's default: cumulative-sum clipping of 2%.
     *
     * @return the clipping
     */
    public static OutlierClipping captumDefault() {
        return cumulativeSum(CAPTUM_DEFAULT_PERCENT);
    }

    /**
     * Returns Captum's cumulative-sum clipping.
     *
     * @param percent the share of total attribution mass to saturate, in {@code [0, 100)}
     * @return the clipping
     * @throws IllegalArgumentException if {@code percent} is out of range
     */
    public static OutlierClipping cumulativeSum(double percent) {
        return new OutlierClipping(Method.CUMULATIVE_SUM, percent);
    }

    /**
     * Returns plain percentile clipping.
     *
     * @param percent the share of pixels to saturate, in {@code [0, 100)}
     * @return the clipping
     * @throws IllegalArgumentException if {@code percent} is out of range
     */
    public static OutlierClipping percentile(double percent) {
        return new OutlierClipping(Method.PERCENTILE, percent);
    }

    /**
     * Computes the scale for a set of magnitudes: values at or above it map to the end of the colormap.
     *
     * @param magnitudes the non-negative values (not modified)
     * @return the threshold; positive unless every magnitude is 0, then 0
     * @throws NullPointerException if {@code magnitudes} is null
     * @throws IllegalArgumentException if {@code magnitudes} is empty or holds a negative or non-finite value
     */
    public double threshold(float[] magnitudes) {
        Objects.requireNonNull(magnitudes, "magnitudes must not be null");
        if (magnitudes.length == 0) {
            throw new IllegalArgumentException("magnitudes must not be empty");
        }
        float max = 0f;
        for (int i = 0; i < magnitudes.length; i++) {
            float value = magnitudes[i];
            if (!(value >= 0f) || value == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "magnitudes[" + i + "] is " + value + "; expected a finite value >= 0");
            }
            max = Math.max(max, value);
        }
        if (max == 0f || method == Method.NONE) {
            return max;
        }
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        double threshold = method == Method.CUMULATIVE_SUM
                ? cumulativeSumThreshold(sorted, 100 - percent)
                : percentileOfSorted(sorted, 100 - percent);
        return threshold > 0 ? threshold : max;
    }

    /** Captum's {@code _cumulative_sum_threshold}, summing in double precision (Captum sums in the input dtype). */
    private static double cumulativeSumThreshold(float[] sorted, double keepPercent) {
        double total = 0;
        for (float value : sorted) {
            total += value;
        }
        double target = total * (keepPercent / 100.0);
        double running = 0;
        for (float value : sorted) {
            running += value;
            if (running >= target) {
                return value;
            }
        }
        return sorted[sorted.length - 1]; // unreachable for keepPercent <= 100: the final sum equals the total
    }

    /** NumPy's default ("linear") percentile: interpolate at rank {@code q/100 * (n - 1)}. */
    private static double percentileOfSorted(float[] sorted, double q) {
        double rank = q / 100.0 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = rank - below;
        return sorted[below] + (sorted[above] - (double) sorted[below]) * fraction;
    }

    /**
     * Describes the clipping.
     *
     * @return e.g. {@code OutlierClipping[CUMULATIVE_SUM 2%]}
     */
    @Override
    public String toString() {
        return method == Method.NONE ? "OutlierClipping[NONE]"
                : String.format(Locale.ROOT, "OutlierClipping[%s %s%%]", method, trim(percent));
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
