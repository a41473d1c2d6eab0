package org.xai4j.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;

import java.util.ArrayList;
import java.util.List;

/**
 * What the feature-based perturbation methods share: one feature mask per example and the pixels of each feature.
 * Public for the {@code org.xai4j.shapley} and {@code org.xai4j.surrogate} packages; not meant for applications.
 */
public final class Segmentations {

    private Segmentations() { }

    /**
     * The feature mask of each example.
     *
     * @param segmentation the segmentation
     * @param inputs       a batch {@code [n, c, h, w]}
     * @return one mask per example, each {@code h x w}
     * @throws IllegalStateException if the segmentation returns a mask of another size
     */
    public static List<FeatureMask> masks(Segmentation segmentation, INDArray inputs) {
        List<FeatureMask> masks = new ArrayList<>();
        for (int i = 0; i < inputs.size(0); i++) {
            FeatureMask mask = segmentation.segment(inputs.get(NDArrayIndex.point(i), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup('c'));
            if (mask == null || mask.height() != inputs.size(2) || mask.width() != inputs.size(3)) {
                throw new IllegalStateException("segmentation " + segmentation + " returned " + mask + " for an image of "
                        + inputs.size(2) + "x" + inputs.size(3));
            }
            masks.add(mask);
        }
        return masks;
    }

    /**
     * The features of a mask that cover at least one pixel, in increasing order.
     *
     * @param mask the mask
     * @return feature indices
     */
    public static int[] nonEmptyFeatures(FeatureMask mask) {
        int[] sizes = mask.sizes();
        return java.util.stream.IntStream.range(0, mask.count()).filter(k -> sizes[k] > 0).toArray();
    }

    /**
     * The pixels (row-major indices) of each of some features.
     *
     * @param mask     the mask
     * @param features feature indices
     * @return {@code pixels[f]}: the pixels of {@code features[f]}
     */
    public static int[][] pixelsOf(FeatureMask mask, int[] features) {
        int[] sizes = mask.sizes();
        int[] slot = new int[mask.count()];
        java.util.Arrays.fill(slot, -1);
        int[][] pixels = new int[features.length][];
        for (int f = 0; f < features.length; f++) {
            slot[features[f]] = f;
            pixels[f] = new int[sizes[features[f]]];
        }
        int[] filled = new int[features.length];
        int[] labels = mask.labels();
        for (int p = 0; p < labels.length; p++) {
            int f = slot[labels[p]];
            if (f >= 0) {
                pixels[f][filled[f]++] = p;
            }
        }
        return pixels;
    }

    /**
     * Sets the pixels of the selected features to present and all others to absent.
     *
     * @param present   per pixel, filled
     * @param pixels    per feature, its pixels
     * @param coalition per feature, whether it is present
     */
    public static void fill(boolean[] present, int[][] pixels, boolean[] coalition) {
        java.util.Arrays.fill(present, false);
        for (int f = 0; f < pixels.length; f++) {
            if (coalition[f]) {
                for (int p : pixels[f]) {
                    present[p] = true;
                }
            }
        }
    }
}
