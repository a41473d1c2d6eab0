package org.xai4j.segmentation;

import java.util.Arrays;

/**
 * Pixels grouped into features: every pixel of an {@code height x width} image carries the index of its feature, in
 * {@code 0..count-1}. A feature covers its pixels in every channel (Captum's feature mask broadcast over channels).
 *
 * @param height the image height
 * @param width  the image width
 * @param labels the feature of each pixel, row-major ({@code labels[y * width + x]}), {@code height * width} values
 * @param count  the number of features; every label is below it (a feature may have no pixel: it then gets no
 *               attribution)
 */
public record FeatureMask(int height, int width, int[] labels, int count) {

    /**
     * Copies and checks the labels.
     *
     * @throws IllegalArgumentException if the sizes are not positive, {@code labels} does not hold
     *                                  {@code height * width} values, or a label is outside {@code 0..count-1}
     */
    public FeatureMask {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("feature mask size must be positive, got " + height + "x" + width);
        }
        if (labels == null) {
            throw new NullPointerException("labels must not be null");
        }
        if (labels.length != height * width) {
            throw new IllegalArgumentException("a " + height + "x" + width + " feature mask needs " + height * width
                    + " labels, got " + labels.length);
        }
        if (count <= 0) {
            throw new IllegalArgumentException("feature count must be positive, got " + count);
        }
        labels = labels.clone();
        for (int p = 0; p < labels.length; p++) {
            if (labels[p] < 0 || labels[p] >= count) {
                throw new IllegalArgumentException("label " + labels[p] + " at pixel (" + p / width + ", " + p % width
                        + ") is outside 0.." + (count - 1));
            }
        }
    }

    /**
     * The labels.
     *
     * @return a copy, row-major
     */
    @Override public int[] labels() {
        return labels.clone();
    }

    /** The feature of pixel {@code (y, x)}. */
    public int label(int y, int x) {
        return labels[y * width + x];
    }

    /** The number of pixels of each feature. */
    public int[] sizes() {
        int[] sizes = new int[count];
        for (int label : labels) {
            sizes[label]++;
        }
        return sizes;
    }

    /**
     * Which pixels belong to a set of features.
     *
     * @param selected {@code selected[k]} is true for the features wanted
     * @return per pixel (row-major), whether its feature is selected
     */
    public boolean[] pixelsOf(boolean[] selected) {
        boolean[] pixels = new boolean[labels.length];
        for (int p = 0; p < labels.length; p++) {
            pixels[p] = selected[labels[p]];
        }
        return pixels;
    }

    @Override public boolean equals(Object o) {
        return o instanceof FeatureMask m && m.height == height && m.width == width && m.count == count
                && Arrays.equals(m.labels, labels);
    }

    @Override public int hashCode() {
        return 31 * (31 * (31 * height + width) + count) + Arrays.hashCode(labels);
    }

    @Override public String toString() {
        return "FeatureMask[" + height + "x" + width + ", features=" + count + "]";
    }
}
