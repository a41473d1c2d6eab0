package org.xai4j.viz;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.xai4j.viz.io.AlphaHandling;
import org.xai4j.viz.io.ImageLoader;

/**
 * An immutable RGB image with float channels in {@code [0, 1]}, stored in CHW (planar, row-major) order: the
 * red plane, then green, then blue, as PyTorch and DL4J feed images to a network.
 *
 * <p>The value of channel {@code c} at row {@code y}, column {@code x} is
 * {@code data[(c * height + y) * width + x]}. Values are gamma-encoded sRGB, exactly the 8-bit (or 16-bit)
 * file values divided by 255 (or 65535), which is what model preprocessing expects. The array is copied on
 * construction and by {@link #data()}.
 *
 * @param data the values in CHW order; length {@code 3 * height * width}, each in {@code [0, 1]}
 * @param height the height in pixels, positive
 * @param width the width in pixels, positive
 */
public record RgbImage(float[] data, int height, int width) {

    /** The number of channels, always 3 (red, green, blue). */
    public static final int CHANNELS = 3;

    /**
     * Validates and copies the values.
     *
     * @param data the values in CHW order; length {@code 3 * height * width}, each in {@code [0, 1]}
     * @param height the height in pixels, positive
     * @param width the width in pixels, positive
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalArgumentException if a dimension is not positive, the length is not
     *     {@code 3 * height * width} or a value is NaN or outside {@code [0, 1]}
     */
    public RgbImage {
        Objects.requireNonNull(data, "data must not be null");
        AttributionMap.checkShape(CHANNELS, height, width);
        long expected = (long) CHANNELS * height * width;
        if (data.length != expected) {
            throw new IllegalArgumentException(String.format(
                    "data has %d values but 3*height*width = 3*%d*%d = %d", data.length, height, width, expected));
        }
        data = data.clone();
        for (int i = 0; i < data.length; i++) {
            if (!(data[i] >= 0f && data[i] <= 1f)) {
                int plane = height * width;
                throw new IllegalArgumentException(String.format(
                        "data[%d] (channel %d, y %d, x %d) is %s; expected a value in [0, 1]",
                        i, i / plane, (i % plane) / width, i % width, data[i]));
            }
        }
    }

    /**
     * Creates an image from HWC-ordered (interleaved RGB) values, as TensorFlow/Keras lay out an image.
     *
     * @param hwc the values in HWC order, each in {@code [0, 1]}
     * @param height the height
     * @param width the width
     * @return the image
     * @throws NullPointerException if {@code hwc} is null
     * @throws IllegalArgumentException if the length is not {@code height * width * 3} or a value is out of range
     */
    public static RgbImage fromHwc(float[] hwc, int height, int width) {
        Objects.requireNonNull(hwc, "hwc must not be null");
        AttributionMap.checkShape(CHANNELS, height, width);
        long expected = (long) CHANNELS * height * width;
        if (hwc.length != expected) {
            throw new IllegalArgumentException(String.format(
                    "hwc has %d values but height*width*3 = %d*%d*3 = %d", hwc.length, height, width, expected));
        }
        float[] chw = new float[hwc.length];
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < CHANNELS; c++) {
                chw[c * plane + p] = hwc[p * CHANNELS + c];
            }
        }
        return new RgbImage(chw, height, width);
    }

    /**
     * Creates an image filled with one color.
     *
     * @param height the height
     * @param width the width
     * @param rgb the color as {@code 0xRRGGBB}
     * @return the image
     * @throws IllegalArgumentException if a dimension is not positive or {@code rgb} has bits above the low 24
     */
    public static RgbImage filled(int height, int width, int rgb) {
        AttributionMap.checkShape(CHANNELS, height, width);
        if ((rgb & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException(String.format("rgb must be 0xRRGGBB, got 0x%08X", rgb));
        }
        int plane = height * width;
        float[] chw = new float[CHANNELS * plane];
        for (int c = 0; c < CHANNELS; c++) {
            Arrays.fill(chw, c * plane, (c + 1) * plane, ((rgb >> (16 - 8 * c)) & 0xFF) / 255f);
        }
        return new RgbImage(chw, height, width);
    }

    /**
     * Converts a decoded image, dropping any alpha channel (as PIL's {@code convert("RGB")} does).
     *
     * @param image the image of any type (grayscale, 16-bit, palette, with or without alpha)
     * @return the RGB image
     * @throws NullPointerException if {@code image} is null
     * @see ImageLoader#toRgbImage(BufferedImage, AlphaHandling)
     */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        return ImageLoader.toRgbImage(image, AlphaHandling.DROP);
    }

    /**
     * Converts a decoded image.
     *
     * @param image the image of any type (grayscale, 16-bit, palette, with or without alpha)
     * @param alphaHandling what to do with transparency
     * @return the RGB image
     * @throws NullPointerException if an argument is null
     * @see ImageLoader#toRgbImage(BufferedImage, AlphaHandling)
     */
    public static RgbImage fromBufferedImage(BufferedImage image, AlphaHandling alphaHandling) {
        return ImageLoader.toRgbImage(image, alphaHandling);
    }

    /**
     * Returns the number of channels.
     *
     * @return always {@value #CHANNELS}
     */
    public int channels() {
        return CHANNELS;
    }

    /**
     * Returns a copy of the values in CHW order.
     *
     * @return a new array of {@code 3 * height * width} values
     */
    @Override
    public float[] data() {
        return data.clone();
    }

    /**
     * Returns the values in CHW order; the same as {@link #data()}, named for symmetry with {@link #toHwc()}.
     *
     * @return a new array in CHW order
     */
    public float[] toChw() {
        return data.clone();
    }

    /**
     * Returns the values in HWC (interleaved) order, as TensorFlow/Keras models expect.
     *
     * @return a new array in HWC order
     */
    public float[] toHwc() {
        float[] hwc = new float[data.length];
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < CHANNELS; c++) {
                hwc[p * CHANNELS + c] = data[c * plane + p];
            }
        }
        return hwc;
    }

    /**
     * Returns one channel value.
     *
     * @param channel 0 (red), 1 (green) or 2 (blue)
     * @param y the row, in {@code [0, height)}
     * @param x the column, in {@code [0, width)}
     * @return the value in {@code [0, 1]}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public float get(int channel, int y, int x) {
        Objects.checkIndex(channel, CHANNELS);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return data[(channel * height + y) * width + x];
    }

    /**
     * Returns one pixel as a packed 8-bit color, each channel rounded to nearest.
     *
     * @param y the row, in {@code [0, height)}
     * @param x the column, in {@code [0, width)}
     * @return the color as {@code 0xRRGGBB}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public int rgbAt(int y, int x) {
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        int plane = height * width;
        int i = y * width + x;
        return toByte(data[i]) << 16 | toByte(data[plane + i]) << 8 | toByte(data[2 * plane + i]);
    }

    /**
     * Returns a gray version with the luma replicated to all three channels, using ITU-R BT.601 weights
     * ({@code 0.299 R + 0.587 G + 0.114 B}) as PIL's {@code convert("L")} does; useful as a muted background
     * for heat-map overlays.
     *
     * @return the gray image
     */
    public RgbImage grayscale() {
        int plane = height * width;
        float[] gray = new float[data.length];
        for (int i = 0; i < plane; i++) {
            float luma = (float) (0.299 * data[i] + 0.587 * data[plane + i] + 0.114 * data[2 * plane + i]);
            luma = Math.min(1f, Math.max(0f, luma));
            gray[i] = luma;
            gray[plane + i] = luma;
            gray[2 * plane + i] = luma;
        }
        return new RgbImage(gray, height, width);
    }

    /**
     * Renders this image as an 8-bit {@link BufferedImage#TYPE_INT_RGB} image, each channel rounded to nearest.
     *
     * @return a new image of the same size
     */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                row[x] = toByte(data[i]) << 16 | toByte(data[plane + i]) << 8 | toByte(data[2 * plane + i]);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int toByte(float value) {
        return Math.round(value * 255f);
    }

    /**
     * Compares size and values.
     *
     * @param other the object to compare with
     * @return true if {@code other} is an {@code RgbImage} of the same size and values
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof RgbImage that && height == that.height && width == that.width
                && Arrays.equals(data, that.data);
    }

    /**
     * Hashes size and values.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return (height * 31 + width) * 31 + Arrays.hashCode(data);
    }

    /**
     * Describes the size and per-channel means, not the pixels.
     *
     * @return e.g. {@code RgbImage[height=224, width=224, mean=(0.485, 0.456, 0.406)]}
     */
    @Override
    public String toString() {
        int plane = height * width;
        double[] mean = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            for (int i = c * plane, end = i + plane; i < end; i++) {
                mean[c] += data[i];
            }
            mean[c] /= plane;
        }
        return String.format(Locale.ROOT, "RgbImage[height=%d, width=%d, mean=(%.3f, %.3f, %.3f)]",
                height, width, mean[0], mean[1], mean[2]);
    }
}
