package org.xai4j.segmentation;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Locale;

/**
 * Groups an image's pixels into features for the perturbation methods. Implementations are deterministic: the same
 * image always gives the same mask.
 *
 * <p>Textual forms (the command line's {@code --segments}): {@code grid:N} ({@link #grid(int)}) and {@code slic:K}
 * ({@link #slic(int)}); see {@link #parse(String)}.
 */
@FunctionalInterface
public interface Segmentation {

    /** The segmentation the perturbation methods use unless told otherwise: 16x16-pixel cells. */
    Segmentation DEFAULT = grid(16);

    /**
     * The feature mask of one image.
     *
     * @param image one example {@code [channels, height, width]}, in the model's input space
     * @return its mask, {@code height x width}
     */
    FeatureMask segment(INDArray image);

    /**
     * Square cells of {@code cell x cell} pixels, numbered row by row from the top left; the last row and column of
     * cells are cut off where the image ends.
     *
     * @param cell the cell size in pixels
     * @return the segmentation
     * @throws IllegalArgumentException if {@code cell < 1}
     */
    static Segmentation grid(int cell) {
        if (cell < 1) {
            throw new IllegalArgumentException("grid cell size must be at least 1 pixel, got " + cell);
        }
        return new Segmentation() {
            @Override public FeatureMask segment(INDArray image) {
                int height = (int) checkImage(image).size(1);
                int width = (int) image.size(2);
                int columns = (width + cell - 1) / cell;
                int rows = (height + cell - 1) / cell;
                int[] labels = new int[height * width];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        labels[y * width + x] = (y / cell) * columns + x / cell;
                    }
                }
                return new FeatureMask(height, width, labels, rows * columns);
            }

            @Override public String toString() {
                return "grid:" + cell;
            }
        };
    }

    /**
     * About {@code segments} SLIC superpixels with scikit-image's defaults (compactness 10, 10 iterations, no
     * smoothing, CIELAB for three channels, connectivity enforced): see {@link Slic}.
     *
     * @param segments the approximate number of superpixels
     * @return the segmentation
     * @throws IllegalArgumentException if {@code segments < 1}
     */
    static Segmentation slic(int segments) {
        return Slic.builder().setSegments(segments).build();
    }

    /**
     * The same mask for every image.
     *
     * @param mask the mask; images must have its size
     * @return the segmentation
     */
    static Segmentation fixed(FeatureMask mask) {
        if (mask == null) {
            throw new NullPointerException("feature mask must not be null");
        }
        return new Segmentation() {
            @Override public FeatureMask segment(INDArray image) {
                checkImage(image);
                if (image.size(1) != mask.height() || image.size(2) != mask.width()) {
                    throw new IllegalArgumentException("the fixed feature mask is " + mask.height() + "x"
                            + mask.width() + " but the image is " + image.size(1) + "x" + image.size(2));
                }
                return mask;
            }

            @Override public String toString() {
                return "fixed" + mask;
            }
        };
    }

    /**
     * Parses {@code grid:N} or {@code slic:K}.
     *
     * @param spec the textual form
     * @return the segmentation
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static Segmentation parse(String spec) {
        if (spec == null) {
            throw new NullPointerException("segmentation must not be null");
        }
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        if (parts.length == 2 && (parts[0].equals("grid") || parts[0].equals("slic"))) {
            int n;
            try {
                n = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("segmentation '" + spec + "' needs a whole number after '"
                        + parts[0] + ":', e.g. " + parts[0] + ":16");
            }
            if (n < 1) {
                throw new IllegalArgumentException("segmentation '" + spec + "' needs a positive number, got " + n);
            }
            return parts[0].equals("grid") ? grid(n) : slic(n);
        }
        throw new IllegalArgumentException("unknown segmentation '" + spec
                + "'; expected grid:N (N x N-pixel cells) or slic:K (about K SLIC superpixels)");
    }

    /**
     * Checks that an array is one image {@code [channels, height, width]}.
     *
     * @param image the array
     * @return the image
     */
    static INDArray checkImage(INDArray image) {
        if (image == null) {
            throw new NullPointerException("image must not be null");
        }
        if (image.rank() != 3 || image.length() == 0) {
            throw new IllegalArgumentException("a segmentation takes one image [channels, height, width], got shape "
                    + Arrays.toString(image.shape()));
        }
        return image;
    }
}
