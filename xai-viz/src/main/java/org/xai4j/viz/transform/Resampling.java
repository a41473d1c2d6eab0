package org.xai4j.viz.transform;

import java.util.Objects;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.RgbImage;

/**
 * Bilinear resampling of planar (CHW) float data, separable in x then y, with the grid convention chosen by
 * {@link PixelAlignment}.
 *
 * <p>For {@link PixelAlignment#HALF_PIXEL} the kernel is PIL's bilinear (triangle) filter: exact bilinear
 * interpolation when enlarging, and an antialiasing filter whose support grows with the scale factor when
 * shrinking. This matches PIL's {@code Image.resize(..., BILINEAR)} and torchvision's {@code Resize} with
 * {@code antialias=True} up to float rounding.
 */
public final class Resampling {

    private Resampling() {
    }

    /**
     * Resizes an attribution or activation map with {@link PixelAlignment#HALF_PIXEL} alignment.
     *
     * @param map the map, any number of channels
     * @param height the target height, positive
     * @param width the target width, positive
     * @return the resized map, each channel resampled independently
     * @throws NullPointerException if {@code map} is null
     * @throws IllegalArgumentException if a target size is not positive
     */
    public static AttributionMap resize(AttributionMap map, int height, int width) {
        return resize(map, height, width, PixelAlignment.HALF_PIXEL);
    }

    /**
     * Resizes an attribution or activation map.
     *
     * @param map the map, any number of channels
     * @param height the target height, positive
     * @param width the target width, positive
     * @param alignment the grid convention
     * @return the resized map, each channel resampled independently
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a target size is not positive
     */
    public static AttributionMap resize(AttributionMap map, int height, int width, PixelAlignment alignment) {
        Objects.requireNonNull(map, "map must not be null");
        float[] resized = resizePlanes(map.data(), map.channels(), map.height(), map.width(), height, width, alignment);
        return new AttributionMap(resized, map.channels(), height, width);
    }

    /**
     * Resizes an image with {@link PixelAlignment#HALF_PIXEL} alignment (antialiased when shrinking).
     *
     * @param image the image
     * @param height the target height, positive
     * @param width the target width, positive
     * @return the resized image
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if a target size is not positive
     */
    public static RgbImage resize(RgbImage image, int height, int width) {
        Objects.requireNonNull(image, "image must not be null");
        float[] resized = resizePlanes(image.data(), RgbImage.CHANNELS, image.height(), image.width(), height, width,
                PixelAlignment.HALF_PIXEL);
        for (int i = 0; i < resized.length; i++) {
            // Filter weights sum to 1 only up to rounding; keep the [0, 1] invariant exact.
            resized[i] = Math.min(1f, Math.max(0f, resized[i]));
        }
        return new RgbImage(resized, height, width);
    }

    /**
     * Resizes raw planar data; the building block of the other methods, for callers with their own arrays.
     *
     * @param planes the data in CHW order, length {@code channels * height * width} (not modified)
     * @param channels the number of planes, positive
     * @param height the source height, positive
     * @param width the source width, positive
     * @param newHeight the target height, positive
     * @param newWidth the target width, positive
     * @param alignment the grid convention
     * @return a new array of {@code channels * newHeight * newWidth} values in CHW order
     * @throws NullPointerException if {@code planes} or {@code alignment} is null
     * @throws IllegalArgumentException if a size is not positive or the length does not match
     */
    public static float[] resizePlanes(float[] planes, int channels, int height, int width, int newHeight,
                                       int newWidth, PixelAlignment alignment) {
        Objects.requireNonNull(planes, "planes must not be null");
        Objects.requireNonNull(alignment, "alignment must not be null");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(String.format(
                    "source shape must be positive, got channels=%d, height=%d, width=%d", channels, height, width));
        }
        if (newHeight <= 0 || newWidth <= 0) {
            throw new IllegalArgumentException(String.format(
                    "target size must be positive, got height=%d, width=%d", newHeight, newWidth));
        }
        if (planes.length != (long) channels * height * width) {
            throw new IllegalArgumentException(String.format(
                    "planes has %d values but channels*height*width = %d*%d*%d = %d",
                    planes.length, channels, height, width, (long) channels * height * width));
        }
        if ((long) channels * Math.max(height, newHeight) * newWidth > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(
                    "target size %dx%d with %d channels is too large for a Java array", newHeight, newWidth, channels));
        }
        AxisFilter horizontal = AxisFilter.of(width, newWidth, alignment);
        AxisFilter vertical = AxisFilter.of(height, newHeight, alignment);

        // Pass 1: resample every row to the new width.
        float[] rows = new float[channels * height * newWidth];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int source = (c * height + y) * width;
                int target = (c * height + y) * newWidth;
                for (int x = 0; x < newWidth; x++) {
                    rows[target + x] = horizontal.apply(planes, source, 1, x);
                }
            }
        }
        // Pass 2: resample every column to the new height.
        float[] result = new float[channels * newHeight * newWidth];
        for (int c = 0; c < channels; c++) {
            int sourcePlane = c * height * newWidth;
            int targetPlane = c * newHeight * newWidth;
            for (int y = 0; y < newHeight; y++) {
                for (int x = 0; x < newWidth; x++) {
                    result[targetPlane + y * newWidth + x] = vertical.apply(rows, sourcePlane + x, newWidth, y);
                }
            }
        }
        return result;
    }

    /** Precomputed taps of a 1-D filter: for output {@code i}, source indices {@code first[i] ..} with weights. */
    private record AxisFilter(int[] first, int[] count, double[] weights, int maxTaps) {

        static AxisFilter of(int in, int out, PixelAlignment alignment) {
            return alignment == PixelAlignment.ALIGN_CORNERS ? alignCorners(in, out) : halfPixel(in, out);
        }

        /** PIL's triangle filter: support 1 source pixel when enlarging, {@code in/out} when shrinking. */
        private static AxisFilter halfPixel(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(scale, 1.0);
            int maxTaps = (int) Math.ceil(2 * support) + 1;
            int[] first = new int[out];
            int[] count = new int[out];
            double[] weights = new double[out * maxTaps];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support + 0.5));
                int hi = Math.min(in, (int) Math.floor(center + support + 0.5));
                double total = 0;
                int n = 0;
                for (int j = lo; j < hi && n < maxTaps; j++, n++) {
                    double w = Math.max(0.0, 1.0 - Math.abs((j + 0.5 - center) / support));
                    weights[i * maxTaps + n] = w;
                    total += w;
                }
                if (total == 0) {
                    // Cannot happen for in >= 1 (the nearest source pixel always has weight > 0); guard anyway.
                    int nearest = Math.min(in - 1, (int) center);
                    lo = nearest;
                    n = 1;
                    weights[i * maxTaps] = 1;
                    total = 1;
                }
                for (int k = 0; k < n; k++) {
                    weights[i * maxTaps + k] /= total;
                }
                first[i] = lo;
                count[i] = n;
            }
            return new AxisFilter(first, count, weights, maxTaps);
        }

        /** Two-tap linear interpolation at {@code i * (in - 1) / (out - 1)}. */
        private static AxisFilter alignCorners(int in, int out) {
            int[] first = new int[out];
            int[] count = new int[out];
            double[] weights = new double[out * 2];
            for (int i = 0; i < out; i++) {
                double source = out == 1 ? 0 : (double) i * (in - 1) / (out - 1);
                int lo = Math.min((int) Math.floor(source), in - 1);
                double fraction = source - lo;
                first[i] = lo;
                if (lo + 1 < in && fraction > 0) {
                    count[i] = 2;
                    weights[i * 2] = 1 - fraction;
                    weights[i * 2 + 1] = fraction;
                } else {
                    count[i] = 1;
                    weights[i * 2] = 1;
                }
            }
            return new AxisFilter(first, count, weights, 2);
        }

        /** Filters output sample {@code i} from {@code data[offset + j * stride]}. */
        float apply(float[] data, int offset, int stride, int i) {
            double sum = 0;
            int base = i * maxTaps;
            int index = offset + first[i] * stride;
            for (int k = 0; k < count[i]; k++, index += stride) {
                sum += weights[base + k] * data[index];
            }
            return (float) sum;
        }
    }
}
