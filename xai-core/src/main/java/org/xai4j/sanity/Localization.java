package org.xai4j.sanity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * Localization metrics against ground-truth masks.
 *
 * <ul>
 *   <li>Relevance mass accuracy (Arras, Osman and Samek, "CLEVR-XAI: A benchmark dataset for the ground truth
 *       evaluation of neural network explanations", Information Fusion 2022): the sum of the positive relevance inside
 *       the mask divided by the sum of all positive relevance; 0 for a map with no positive relevance.</li>
 *   <li>Pointing game (Zhang et al., "Top-down Neural Attention by Excitation Backprop", IJCV 2018): a hit when the
 *       map's maximum lies within {@code tolerance} pixels (Euclidean) of the mask; the paper uses 15 pixels at
 *       224x224. With several maxima the first in row-major order counts. A map with no positive value cannot point:
 *       it is a miss.</li>
 * </ul>
 * Maps are {@code [n, H, W]} or {@code [n, C, H, W]} (reduced by {@link PixelRelevance#SUM}); masks {@code [n, H, W]} or one
 * {@code [H, W]} mask for all, where a value above 0.5 marks the object.
 */
public final class Localization {

    private Localization() { }

    /** Both metrics with the given pointing tolerance in pixels. */
    public static LocalizationScores evaluate(INDArray maps, INDArray masks, double tolerance) {
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be >= 0 pixels, got " + tolerance);
        }
        INDArray m = PixelRelevance.SUM.reduce(maps);
        boolean[][][] mask = masks(masks, m);
        int n = (int) m.size(0);
        int h = (int) m.size(1);
        int w = (int) m.size(2);
        double[] mass = new double[n];
        boolean[] hits = new boolean[n];
        for (int i = 0; i < n; i++) {
            double[] v = m.get(NDArrayIndex.point(i)).dup('c').reshape(-1).toDoubleVector();
            boolean[][] inside = mask[mask.length == 1 ? 0 : i];
            double total = 0;
            double in = 0;
            int best = -1;
            for (int p = 0; p < v.length; p++) {
                if (v[p] > 0) {
                    total += v[p];
                    if (inside[p / w][p % w]) {
                        in += v[p];
                    }
                }
                if (best < 0 || v[p] > v[best]) {
                    best = p;
                }
            }
            mass[i] = total > 0 ? in / total : 0;
            hits[i] = v[best] > 0 && near(inside, best / w, best % w, tolerance, h, w);
        }
        return new LocalizationScores(mass, hits);
    }

    /** Relevance mass accuracy per image. */
    public static double[] relevanceMass(INDArray maps, INDArray masks) {
        return evaluate(maps, masks, 0).relevanceMass();
    }

    /** Pointing-game hits per image. */
    public static boolean[] pointingGame(INDArray maps, INDArray masks, double tolerance) {
        return evaluate(maps, masks, tolerance).hits();
    }

    private static boolean near(boolean[][] inside, int y, int x, double tolerance, int h, int w) {
        int r = (int) Math.floor(tolerance);
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int yy = y + dy;
                int xx = x + dx;
                if (yy >= 0 && yy < h && xx >= 0 && xx < w && dy * dy + dx * dx <= tolerance * tolerance && inside[yy][xx]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean[][][] masks(INDArray masks, INDArray maps) {
        if (masks == null || (masks.rank() != 2 && masks.rank() != 3)) {
            throw new IllegalArgumentException("masks must be [n, H, W] or [H, W], got "
                    + (masks == null ? "null" : Arrays.toString(masks.shape())));
        }
        INDArray k = masks.rank() == 2 ? masks.reshape(1, masks.size(0), masks.size(1)) : masks;
        if (k.size(1) != maps.size(1) || k.size(2) != maps.size(2) || (k.size(0) != 1 && k.size(0) != maps.size(0))) {
            throw new IllegalArgumentException("masks have shape " + Arrays.toString(masks.shape()) + " but the maps are "
                    + Arrays.toString(maps.shape()) + "; expected [" + maps.size(0) + ", " + maps.size(1) + ", "
                    + maps.size(2) + "] or [" + maps.size(1) + ", " + maps.size(2) + "]");
        }
        INDArray d = k.castTo(DataType.DOUBLE);
        boolean[][][] out = new boolean[(int) k.size(0)][(int) k.size(1)][(int) k.size(2)];
        for (int i = 0; i < out.length; i++) {
            for (int y = 0; y < out[i].length; y++) {
                for (int x = 0; x < out[i][y].length; x++) {
                    out[i][y][x] = d.getDouble(i, y, x) > 0.5;
                }
            }
        }
        return out;
    }
}
