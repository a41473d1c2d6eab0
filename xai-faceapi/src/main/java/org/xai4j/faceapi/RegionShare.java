package org.xai4j.faceapi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.sanity.PixelRelevance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How much of an attribution falls in a face region, next to the region's share of the area: the test of claims
 * like "the expression network looks at the mouth". A region attended no more than its size would predict has
 * {@code attributionShare == areaShare} (enrichment 1).
 *
 * @param region           the region
 * @param attributionShare the region's share of the total relevance, in [0, 1]
 * @param areaShare        the region's share of the input's pixels, in [0, 1]: the share a relevance spread
 *                         uniformly would give it
 */
public record RegionShare(FaceRegion region, double attributionShare, double areaShare) {

    /** Checks the values. */
    public RegionShare {
        Objects.requireNonNull(region, "region must not be null");
        if (!(attributionShare >= 0 && attributionShare <= 1) || !(areaShare >= 0 && areaShare <= 1)) {
            throw new IllegalArgumentException("shares must be in [0, 1], got attribution " + attributionShare
                    + " and area " + areaShare);
        }
    }

    /** {@code attributionShare / areaShare}: above 1 when the region gets more than its area's share (NaN for an empty region). */
    public double enrichment() {
        return areaShare == 0 ? Double.NaN : attributionShare / areaShare;
    }

    /**
     * The share of every region for one example's attribution.
     *
     * @param attribution {@code [1, C, H, W]}, {@code [C, H, W]} or {@code [H, W]}, in the network's input coordinates
     * @param reduction   how channels become one relevance per pixel; it must give non-negative values
     *                    ({@link PixelRelevance#SUM_OF_ABSOLUTE_VALUES} for "share of |IG|", or
     *                    {@link PixelRelevance#ABSOLUTE_SUM})
     * @param masks       the regions, of the attribution's height and width
     * @return one share per region, in {@link FaceRegion} order
     * @throws IllegalArgumentException if the shapes disagree, the relevance is negative somewhere or all zero
     */
    public static List<RegionShare> of(INDArray attribution, PixelRelevance reduction, RegionMasks masks) {
        Objects.requireNonNull(attribution, "attribution must not be null");
        Objects.requireNonNull(reduction, "reduction must not be null");
        Objects.requireNonNull(masks, "masks must not be null");
        INDArray maps = switch (attribution.rank()) {
            case 2 -> attribution.reshape(1, attribution.size(0), attribution.size(1));
            case 3 -> attribution.reshape(1, attribution.size(0), attribution.size(1), attribution.size(2));
            case 4 -> attribution;
            default -> throw new IllegalArgumentException("attribution must be [1, C, H, W], [C, H, W] or [H, W], got "
                    + Arrays.toString(attribution.shape()));
        };
        if (maps.size(0) != 1) {
            throw new IllegalArgumentException("attribution must hold one example, got " + maps.size(0));
        }
        INDArray relevance = reduction.reduce(maps);
        if (relevance.size(1) != masks.height() || relevance.size(2) != masks.width()) {
            throw new IllegalArgumentException("attribution is " + relevance.size(1) + "x" + relevance.size(2)
                    + " but the masks are " + masks.height() + "x" + masks.width());
        }
        return of(relevance.reshape(-1).toDoubleVector(), masks);
    }

    /**
     * The share of every region for a relevance map.
     *
     * @param relevance row-major {@code height * width} non-negative values
     * @param masks     the regions
     * @return one share per region, in {@link FaceRegion} order
     */
    public static List<RegionShare> of(double[] relevance, RegionMasks masks) {
        int n = masks.height() * masks.width();
        if (relevance.length != n) {
            throw new IllegalArgumentException("relevance has " + relevance.length + " values, expected " + n);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (!(relevance[i] >= 0) || Double.isInfinite(relevance[i])) {
                throw new IllegalArgumentException("relevance[" + i + "] is " + relevance[i]
                        + "; expected a finite non-negative value (reduce with absolute values)");
            }
            total += relevance[i];
        }
        if (total == 0) {
            throw new IllegalArgumentException("relevance is zero everywhere; shares are undefined");
        }
        List<RegionShare> out = new ArrayList<>();
        for (FaceRegion r : FaceRegion.values()) {
            boolean[] mask = masks.mask(r);
            double inside = 0;
            int area = 0;
            for (int i = 0; i < n; i++) {
                if (mask[i]) {
                    inside += relevance[i];
                    area++;
                }
            }
            out.add(new RegionShare(r, Math.min(1, inside / total), (double) area / n));
        }
        return out;
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "RegionShare[%s: %.1f%% of relevance, %.1f%% of area, x%.2f]", region,
                100 * attributionShare, 100 * areaShare, enrichment());
    }
}
