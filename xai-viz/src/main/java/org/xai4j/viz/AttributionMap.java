package org.xai4j.viz;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable attribution or activation map: finite float values with an explicit
 * {@code channels x height x width} shape, stored in CHW (planar, row-major) order as DL4J/ND4J and PyTorch
 * lay out one image of a batch.
 *
 * <p>The value at channel {@code c}, row {@code y}, column {@code x} is {@code data[(c * height + y) * width + x]}.
 * The array is copied on construction and by {@link #data()}, so a map never changes; use
 * {@link #get(int, int, int)} for element access without copying.
 *
 * @param data the values in CHW order; length {@code channels * height * width}, all finite
 * @param channels the number of channels (e.g. 3 for an input-gradient map, 512 for a conv layer), positive
 * @param height the height in pixels, positive
 * @param width the width in pixels, positive
 */
public record AttributionMap(float[] data, int channels, int height, int width) {

    /**
     * Validates and copies the values.
     *
     * @param data the values in CHW order; length {@code channels * height * width}, all finite
     * @param channels the number of channels (e.g. 3 for an input-gradient map, 512 for a conv layer), positive
     * @param height the height in pixels, positive
     * @param width the width in pixels, positive
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalArgumentException if a dimension is not positive, the length does not match the shape or a
     *     value is NaN or infinite
     */
    public AttributionMap {
        Objects.requireNonNull(data, "data must not be null");
        checkShape(channels, height, width);
        long expected = (long) channels * height * width;
        if (data.length != expected) {
            throw new IllegalArgumentException(String.format(
                    "data has %d values but channels*height*width = %d*%d*%d = %d",
                    data.length, channels, height, width, expected));
        }
        data = data.clone();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                int plane = height * width;
                throw new IllegalArgumentException(String.format(
                        "data[%d] (channel %d, y %d, x %d) is %s; attribution values must be finite",
                        i, i / plane, (i % plane) / width, i % width, data[i]));
            }
        }
    }

    /**
     * Creates a single-channel map from row-major values, e.g. a Grad-CAM map.
     *
     * @param hw the values, row-major (copied)
     * @param height the height
     * @param width the width
     * @return the single-channel map
     * @throws IllegalArgumentException see {@link AttributionMap#AttributionMap(float[], int, int, int)}
     */
    public static AttributionMap ofSingleChannel(float[] hw, int height, int width) {
        return new AttributionMap(hw, 1, height, width);
    }

    /**
     * Creates a single-channel map from rows, convenient for small literal maps.
     *
     * @param rows the rows, all of the same positive length
     * @return the single-channel map
     * @throws NullPointerException if {@code rows} or a row is null
     * @throws IllegalArgumentException if there are no rows or the rows differ in length
     */
    public static AttributionMap fromRows(float[][] rows) {
        Objects.requireNonNull(rows, "rows must not be null");
        if (rows.length == 0) {
            throw new IllegalArgumentException("rows must not be empty; expected at least one row");
        }
        Objects.requireNonNull(rows[0], "rows[0] must not be null");
        int width = rows[0].length;
        float[] data = new float[rows.length * width];
        for (int y = 0; y < rows.length; y++) {
            Objects.requireNonNull(rows[y], "rows[" + y + "] must not be null");
            if (rows[y].length != width) {
                throw new IllegalArgumentException(String.format(
                        "rows[%d] has %d values but rows[0] has %d; all rows must have the same length",
                        y, rows[y].length, width));
            }
            System.arraycopy(rows[y], 0, data, y * width, width);
        }
        return new AttributionMap(data, 1, rows.length, width);
    }

    /**
     * Creates a map from HWC-ordered (interleaved) values, as TensorFlow/Keras lay out an image.
     *
     * @param hwc the values in HWC order
     * @param height the height
     * @param width the width
     * @param channels the number of channels
     * @return the map, stored in CHW order
     * @throws NullPointerException if {@code hwc} is null
     * @throws IllegalArgumentException if the length does not match the shape or a value is not finite
     */
    public static AttributionMap fromHwc(float[] hwc, int height, int width, int channels) {
        Objects.requireNonNull(hwc, "hwc must not be null");
        checkShape(channels, height, width);
        long expected = (long) channels * height * width;
        if (hwc.length != expected) {
            throw new IllegalArgumentException(String.format(
                    "hwc has %d values but height*width*channels = %d*%d*%d = %d",
                    hwc.length, height, width, channels, expected));
        }
        float[] chw = new float[hwc.length];
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                chw[c * plane + p] = hwc[p * channels + c];
            }
        }
        return new AttributionMap(chw, channels, height, width);
    }

    static void checkShape(int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(String.format(
                    "shape must be positive, got channels=%d, height=%d, width=%d", channels, height, width));
        }
        if ((long) channels * height * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(
                    "shape %dx%dx%d has more values than a Java array can hold", channels, height, width));
        }
    }

    /**
     * Returns a copy of the values in CHW order.
     *
     * @return a new array of {@link #size()} values
     */
    @Override
    public float[] data() {
        return data.clone();
    }

    /**
     * Returns the number of values, {@code channels * height * width}.
     *
     * @return the value count
     */
    public int size() {
        return data.length;
    }

    /**
     * Returns one value.
     *
     * @param channel the channel, in {@code [0, channels)}
     * @param y the row, in {@code [0, height)}
     * @param x the column, in {@code [0, width)}
     * @return the value
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public float get(int channel, int y, int x) {
        Objects.checkIndex(channel, channels);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return data[(channel * height + y) * width + x];
    }

    /**
     * Returns one channel as a single-channel map, e.g. one neuron's activation map.
     *
     * @param channel the channel, in {@code [0, channels)}
     * @return the single-channel map
     * @throws IndexOutOfBoundsException if {@code channel} is out of range
     */
    public AttributionMap channel(int channel) {
        Objects.checkIndex(channel, channels);
        int plane = height * width;
        return new AttributionMap(Arrays.copyOfRange(data, channel * plane, (channel + 1) * plane), 1, height, width);
    }

    /**
     * Returns the sum of each channel's values, e.g. the "spike total" of each neuron of a layer.
     *
     * @return a new array of {@link #channels()} sums, accumulated in double precision
     */
    public double[] channelSums() {
        double[] sums = new double[channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = c * plane, end = i + plane; i < end; i++) {
                sum += data[i];
            }
            sums[c] = sum;
        }
        return sums;
    }

    /**
     * Returns the smallest value.
     *
     * @return the minimum
     */
    public float min() {
        float min = Float.POSITIVE_INFINITY;
        for (float v : data) {
            min = Math.min(min, v);
        }
        return min;
    }

    /**
     * Returns the largest value.
     *
     * @return the maximum
     */
    public float max() {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            max = Math.max(max, v);
        }
        return max;
    }

    /**
     * Compares shape and values.
     *
     * @param other the object to compare with
     * @return true if {@code other} is an {@code AttributionMap} of the same shape and values
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof AttributionMap that && channels == that.channels && height == that.height
                && width == that.width && Arrays.equals(data, that.data);
    }

    /**
     * Hashes shape and values.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(channels, height, width) * 31 + Arrays.hashCode(data);
    }

    /**
     * Describes the shape and value range, not the values themselves.
     *
     * @return e.g. {@code AttributionMap[channels=3, height=224, width=224, min=-0.0312, max=0.0871]}
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "AttributionMap[channels=%d, height=%d, width=%d, min=%.4g, max=%.4g]", channels, height, width, min(), max());
    }
}
