package org.xai4j.viz.attribution;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.xai4j.viz.transform.PixelAlignment;
import org.xai4j.viz.transform.Resampling;

/**
 * A single-channel attribution scaled for display: values in {@code [-1, 1]} for {@link SignMode#ALL}, in
 * {@code [0, 1]} for the other sign modes (for {@link SignMode#NEGATIVE}, the magnitude of the negative part).
 *
 * <p>An all-zero map normalizes to all zeros with {@code scale == 0} and renders as a uniform image of the
 * colormap's zero color, never as NaN.
 *
 * @param values the normalized values, row-major, length {@code height * width}
 * @param height the height in pixels, positive
 * @param width the width in pixels, positive
 * @param sign the sign mode that produced the values; fixes their range
 * @param scale the attribution magnitude that maps to 1 (the clipping threshold); 0 for an all-zero map
 */
public record NormalizedAttribution(float[] values, int height, int width, SignMode sign, double scale) {

    /**
     * Validates and copies the values.
     *
     * @param values the normalized values, row-major, length {@code height * width}
     * @param height the height in pixels, positive
     * @param width the width in pixels, positive
     * @param sign the sign mode that produced the values; fixes their range
     * @param scale the attribution magnitude that maps to 1 (the clipping threshold); 0 for an all-zero map
     * @throws NullPointerException if {@code values} or {@code sign} is null
     * @throws IllegalArgumentException if a dimension is not positive, the length does not match, a value is
     *     outside the sign mode's range, or {@code scale} is negative or not finite
     */
    public NormalizedAttribution {
        Objects.requireNonNull(values, "values must not be null");
        Objects.requireNonNull(sign, "sign must not be null");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "height and width must be positive, got height=" + height + ", width=" + width);
        }
        if (values.length != (long) height * width) {
            throw new IllegalArgumentException(String.format(
                    "values has %d entries but height*width = %d*%d = %d",
                    values.length, height, width, (long) height * width));
        }
        if (!(scale >= 0 && scale < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("scale must be finite and >= 0, got " + scale);
        }
        values = values.clone();
        float low = sign.isSigned() ? -1f : 0f;
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= low && values[i] <= 1f)) {
                throw new IllegalArgumentException(String.format(
                        "values[%d] (y %d, x %d) is %s; sign mode %s expects values in [%s, 1]",
                        i, i / width, i % width, values[i], sign, low == 0f ? "0" : "-1"));
            }
        }
    }

    /**
     * Returns a copy of the normalized values, row-major.
     *
     * @return a new array of {@code height * width} values
     */
    @Override
    public float[] values() {
        return values.clone();
    }

    /**
     * Returns one normalized value.
     *
     * @param y the row, in {@code [0, height)}
     * @param x the column, in {@code [0, width)}
     * @return the value, in {@code [-1, 1]} or {@code [0, 1]} depending on {@link #sign()}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public float get(int y, int x) {
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return values[y * width + x];
    }

    /**
     * Returns where one pixel falls on a colormap: the value itself for unsigned modes, {@code (v + 1) / 2} for
     * {@link SignMode#ALL} so that 0 sits at the center of a diverging map.
     *
     * @param y the row
     * @param x the column
     * @return the colormap position in {@code [0, 1]}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public double colormapPosition(int y, int x) {
        float value = get(y, x);
        return sign.isSigned() ? (value + 1.0) / 2.0 : value;
    }

    /**
     * Returns whether every value is 0, e.g. for an all-zero attribution.
     *
     * @return true if the map carries no signal
     */
    public boolean isBlank() {
        for (float value : values) {
            if (value != 0f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resizes the map with bilinear interpolation, e.g. a 7x7 Grad-CAM map to the 224x224 input; interpolation
     * preserves the value range.
     *
     * @param newHeight the target height, positive
     * @param newWidth the target width, positive
     * @param alignment the pixel-alignment convention
     * @return the resized map with the same sign mode and scale
     * @throws NullPointerException if {@code alignment} is null
     * @throws IllegalArgumentException if a size is not positive
     * @see Resampling#resizePlanes(float[], int, int, int, int, int, PixelAlignment)
     */
    public NormalizedAttribution resize(int newHeight, int newWidth, PixelAlignment alignment) {
        Objects.requireNonNull(alignment, "alignment must not be null");
        if (newHeight == height && newWidth == width) {
            return this;
        }
        float[] resized = Resampling.resizePlanes(values, 1, height, width, newHeight, newWidth, alignment);
        float low = sign.isSigned() ? -1f : 0f;
        for (int i = 0; i < resized.length; i++) {
            // Weights sum to 1 only up to rounding; keep the documented range exact.
            resized[i] = Math.min(1f, Math.max(low, resized[i]));
        }
        return new NormalizedAttribution(resized, newHeight, newWidth, sign, scale);
    }

    /**
     * Compares all components, values by content.
     *
     * @param other the object to compare with
     * @return true if equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof NormalizedAttribution that && height == that.height && width == that.width
                && sign == that.sign && Double.compare(scale, that.scale) == 0 && Arrays.equals(values, that.values);
    }

    /**
     * Hashes all components, values by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(height, width, sign, scale) * 31 + Arrays.hashCode(values);
    }

    /**
     * Describes the map without its values.
     *
     * @return e.g. {@code NormalizedAttribution[height=7, width=7, sign=ABSOLUTE, scale=0.0123]}
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NormalizedAttribution[height=%d, width=%d, sign=%s, scale=%.4g]",
                height, width, sign, scale);
    }
}
