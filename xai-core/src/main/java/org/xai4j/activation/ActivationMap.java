package org.xai4j.activation;

import org.xai4j.ExplanationResult;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.Objective;

import java.util.Arrays;
import java.util.Locale;

/**
 * Heat maps produced by an {@link org.xai4j.ActivationMapper}. Arrays are detached DOUBLE copies.
 *
 * @param method        e.g. {@code GradCam}
 * @param layer         the layer that was mapped
 * @param objective     what was mapped (class targets, or a channel)
 * @param maps          {@code [n, H, W]} at input resolution, bilinearly upsampled (see {@link Heatmaps}) and then
 *                      normalized per image
 * @param raw           {@code [n, h, w]} at the layer's resolution, before upsampling and normalization
 * @param normalization how {@code maps} were normalized
 */
public record ActivationMap(String method, String layer, Objective objective, INDArray maps, INDArray raw,
                            Normalization normalization)
        implements ExplanationResult {

    /** Stores detached copies of {@code maps} and {@code raw}, so later changes to the arguments do not show. */
    public ActivationMap {
        maps = maps.detach().dup();
        raw = raw.detach().dup();
    }

    @Override public String methodName() { return method; }

    /** The normalized maps {@code [n, H, W]} ({@link #maps()}), as a copy the caller may modify. */
    @Override public INDArray values() { return maps.dup(); }

    /** The normalized maps {@code [n, H, W]}, as a copy the caller may modify. */
    @Override public INDArray maps() { return maps.dup(); }

    /** The raw maps {@code [n, h, w]} at the layer's resolution, as a copy the caller may modify. */
    @Override public INDArray raw() { return raw.dup(); }

    /** The normalized map of image {@code i}, {@code [H, W]}. */
    public INDArray map(int i) {
        if (i < 0 || i >= maps.size(0)) {
            throw new IllegalArgumentException("image index " + i + " is out of range (expected 0.." + (maps.size(0) - 1) + ")");
        }
        return maps.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).dup();
    }

    /** The number of images. */
    public int size() { return (int) maps.size(0); }

    @Override public String toString() {
        StringBuilder s = new StringBuilder("ActivationMap[method=").append(method).append(", layer=").append(layer)
                .append(", objective=").append(objective).append(", maps=").append(Arrays.toString(maps.shape()))
                .append(", layerResolution=").append(raw.size(1)).append('x').append(raw.size(2))
                .append(", normalization=").append(normalization).append(", rawMax=[");
        for (int i = 0; i < Math.min(size(), 8); i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g",
                    raw.get(NDArrayIndex.point(i)).maxNumber().doubleValue()));
        }
        return s.append(size() > 8 ? ", ...]]" : "]]").toString();
    }
}
