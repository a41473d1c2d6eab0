package org.xai4j.models.toy;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable binary ground-truth mask of one named region of a {@link ToySample}, stored row-major
 * ({@code pixels[y * width + x]}).
 *
 * <p>The pixel array is copied on construction and on access, so a {@code Mask} can be shared freely.
 * Equality compares the region name, the dimensions and the pixel contents.
 *
 * @param region the region name, e.g. {@code "object"}, {@code "face"}, {@code "mouth"}
 * @param height the mask height in pixels (at least 1)
 * @param width  the mask width in pixels (at least 1)
 * @param pixels {@code height * width} flags, {@code true} where the region is present
 */
public record Mask(String region, int height, int width, boolean[] pixels) {

    /**
     * Validates the arguments and copies the pixel array.
     *
     * @param region the region name
     * @param height the mask height in pixels
     * @param width the mask width in pixels
     * @param pixels row-major region flags, copied
     * @throws NullPointerException     if {@code region} or {@code pixels} is null
     * @throws IllegalArgumentException if a dimension is not positive or the array length is not
     *                                  {@code height * width}
     */
    public Mask {
        Objects.requireNonNull(region, "region must not be null");
        Objects.requireNonNull(pixels, "pixels must not be null");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "mask dimensions must be positive but were height=" + height + ", width=" + width);
        }
        if (pixels.length != height * width) {
            throw new IllegalArgumentException("pixels.length must be height*width=" + (height * width)
                    + " but was " + pixels.length);
        }
        pixels = pixels.clone();
    }

    /**
     * Returns a copy of the row-major pixel flags.
     *
     * @return a fresh array of length {@code height * width}
     */
    @Override
    public boolean[] pixels() {
        return pixels.clone();
    }

    /**
     * Returns whether pixel {@code (y, x)} belongs to the region.
     *
     * @param y the row, {@code 0 <= y < height}
     * @param x the column, {@code 0 <= x < width}
     * @return {@code true} if the pixel is inside the region
     * @throws IndexOutOfBoundsException if the coordinates are outside the mask
     */
    public boolean get(int y, int x) {
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return pixels[y * width + x];
    }

    /**
     * Returns the number of pixels inside the region.
     *
     * @return the pixel count, between 0 and {@code height * width}
     */
    public int count() {
        int n = 0;
        for (boolean p : pixels) {
            if (p) {
                n++;
            }
        }
        return n;
    }

    /**
     * Returns whether the region covers no pixel at all.
     *
     * @return {@code true} if {@link #count()} is zero
     */
    public boolean isEmpty() {
        return count() == 0;
    }

    /**
     * Returns the fraction of the image covered by the region.
     *
     * @return {@code count() / (height * width)}
     */
    public double fraction() {
        return count() / (double) pixels.length;
    }

    /**
     * Returns the fraction of this region's pixels that also lie inside {@code other}.
     *
     * @param other a mask of the same dimensions
     * @return a value in {@code [0, 1]}; 1 for an empty mask
     * @throws IllegalArgumentException if the dimensions differ
     */
    public double fractionInside(Mask other) {
        requireSameShape(other);
        int own = 0;
        int inside = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i]) {
                own++;
                if (other.pixels[i]) {
                    inside++;
                }
            }
        }
        return own == 0 ? 1.0 : inside / (double) own;
    }

    /**
     * Returns the mask as a row-major float array with 1 inside and 0 outside the region.
     *
     * @return a fresh array of length {@code height * width}
     */
    public float[] toFloatArray() {
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = pixels[i] ? 1f : 0f;
        }
        return out;
    }

    /**
     * Returns the mask as the {@code [1, height, width]} DOUBLE array the localization checks of
     * {@code org.xai4j.sanity.Localization} take: 1 inside the region, 0 outside.
     *
     * @return a new array
     */
    public INDArray toArray() {
        return Nd4j.create(toFloatArray(), new long[] {1, height, width}, 'c').castTo(DataType.DOUBLE);
    }

    /**
     * Returns the union of this mask and {@code other} under the name {@code region}.
     *
     * @param other  a mask of the same dimensions
     * @param region the name of the combined region
     * @return a new mask that is set where either input is set
     * @throws IllegalArgumentException if the dimensions differ
     */
    public Mask union(Mask other, String region) {
        requireSameShape(other);
        boolean[] out = new boolean[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[i] || other.pixels[i];
        }
        return new Mask(region, height, width, out);
    }

    private void requireSameShape(Mask other) {
        Objects.requireNonNull(other, "other mask must not be null");
        if (other.height != height || other.width != width) {
            throw new IllegalArgumentException("mask shapes differ: expected " + height + "x" + width
                    + " but was " + other.height + "x" + other.width);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.height == height && m.width == width && m.region.equals(region)
                && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, height, width, Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "Mask[region=" + region + ", " + height + "x" + width + ", count=" + count() + "]";
    }
}
