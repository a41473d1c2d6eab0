package org.xai4j.models.toy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable rendered sample of a toy world: RGB pixels, its label and its ground-truth masks.
 *
 * <p>Pixels are float CHW in {@code [0, 1]}: {@code pixels[c * height * width + y * width + x]} with
 * channels in R, G, B order. The pixel array is copied on construction and on access; equality
 * compares contents (not array identity), so two renderings of the same {@code (seed, index)} are
 * {@code equals}.
 *
 * @param index     the sample index within its world
 * @param height    the image height in pixels
 * @param width     the image width in pixels
 * @param pixels    {@code 3 * height * width} RGB values in CHW order, each in {@code [0, 1]}
 * @param label     the class label, {@code 0 <= label < numClasses} of the producing world
 * @param labelName the display name of the label, e.g. {@code "ring"} or {@code "happy"}
 * @param identity  for faces the identity index, {@code -1} for samples that are not faces
 * @param emotion   for faces the expression, {@code null} for samples that are not faces
 * @param masks     the ground-truth masks by region name, in a stable order
 */
public record ToySample(long index, int height, int width, float[] pixels, int label, String labelName,
                        int identity, Emotion emotion, Map<String, Mask> masks) {

    /** Number of color channels (RGB). */
    public static final int CHANNELS = 3;

    /**
     * Validates the arguments and takes defensive copies.
     *
     * @param index the sample index within its world
     * @param height the image height in pixels
     * @param width the image width in pixels
     * @param pixels {@code 3 * height * width} CHW values, copied
     * @param label the class label, {@code >= 0}
     * @param labelName the display name of the label
     * @param identity the identity index, or {@code -1} if not a face
     * @param emotion the expression, or {@code null} if not a face
     * @param masks the masks by region name; copied into an unmodifiable, order-preserving map
     * @throws NullPointerException     if {@code pixels}, {@code labelName} or {@code masks} is null
     * @throws IllegalArgumentException if the dimensions, the pixel array length, the label or a mask
     *                                  shape is inconsistent
     */
    public ToySample {
        Objects.requireNonNull(pixels, "pixels must not be null");
        Objects.requireNonNull(labelName, "labelName must not be null");
        Objects.requireNonNull(masks, "masks must not be null");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image dimensions must be positive but were height=" + height + ", width=" + width);
        }
        if (pixels.length != CHANNELS * height * width) {
            throw new IllegalArgumentException("pixels.length must be 3*height*width="
                    + (CHANNELS * height * width) + " but was " + pixels.length);
        }
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0 but was " + label);
        }
        if (identity < -1) {
            throw new IllegalArgumentException("identity must be >= -1 (-1 = not a face) but was " + identity);
        }
        Map<String, Mask> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Mask> e : masks.entrySet()) {
            Mask m = Objects.requireNonNull(e.getValue(), "mask '" + e.getKey() + "' must not be null");
            if (m.height() != height || m.width() != width) {
                throw new IllegalArgumentException("mask '" + e.getKey() + "' must be " + height + "x" + width
                        + " but was " + m.height() + "x" + m.width());
            }
            copy.put(e.getKey(), m);
        }
        pixels = pixels.clone();
        masks = Collections.unmodifiableMap(copy);
    }

    /**
     * Returns a copy of the CHW pixel array.
     *
     * @return a fresh array of length {@code 3 * height * width}
     */
    @Override
    public float[] pixels() {
        return pixels.clone();
    }

    /**
     * Returns one pixel value without copying the whole array.
     *
     * @param channel 0 (red), 1 (green) or 2 (blue)
     * @param y       the row
     * @param x       the column
     * @return the value in {@code [0, 1]}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public float pixel(int channel, int y, int x) {
        Objects.checkIndex(channel, CHANNELS);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return pixels[(channel * height + y) * width + x];
    }

    /**
     * Copies the CHW pixels into {@code dest} starting at {@code offset} (used for batching).
     *
     * @param dest   the destination array
     * @param offset the first index written
     * @throws IndexOutOfBoundsException if {@code dest} is too small
     */
    public void copyPixelsTo(float[] dest, int offset) {
        System.arraycopy(pixels, 0, dest, offset, pixels.length);
    }

    /**
     * Returns the mask of one region.
     *
     * @param region the region name, e.g. {@link ObjectWorld#MASK_OBJECT} or {@link FaceWorld#MASK_MOUTH}
     * @return the mask
     * @throws IllegalArgumentException if the sample has no such region
     */
    public Mask mask(String region) {
        Objects.requireNonNull(region, "region must not be null");
        Mask m = masks.get(region);
        if (m == null) {
            throw new IllegalArgumentException("unknown mask region '" + region + "'; expected one of " + masks.keySet());
        }
        return m;
    }

    /**
     * Returns whether this sample is a face (has an identity and an emotion).
     *
     * @return {@code true} for {@link FaceWorld} samples
     */
    public boolean isFace() {
        return emotion != null;
    }

    /**
     * Renders the pixels into a new {@code TYPE_INT_RGB} image (values are rounded to 8 bits).
     *
     * @return a {@code width x height} image
     */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int r = to8(pixels[i]);
                int g = to8(pixels[plane + i]);
                int b = to8(pixels[2 * plane + i]);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToySample s && s.index == index && s.height == height && s.width == width
                && s.label == label && s.identity == identity && s.emotion == emotion
                && s.labelName.equals(labelName) && Arrays.equals(s.pixels, pixels) && s.masks.equals(masks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, height, width, label, identity, emotion, labelName, Arrays.hashCode(pixels), masks);
    }

    @Override
    public String toString() {
        return "ToySample[index=" + index + ", " + height + "x" + width + ", label=" + label + " (" + labelName + ")"
                + (isFace() ? ", identity=" + identity + ", emotion=" + emotion : "") + ", masks=" + masks.keySet() + "]";
    }
}
