package org.xai4j.perturbation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.Objective;
import org.xai4j.segmentation.FeatureMask;

import java.util.Arrays;
import java.util.List;

/**
 * Attributions per feature (segment) rather than per pixel: what feature ablation, Shapley value sampling, KernelSHAP
 * and LIME compute. {@link #toAttribution} spreads each feature's value over its pixels in every channel, as Captum
 * returns them.
 *
 * @param method    the method's name
 * @param masks     the feature mask of each example
 * @param values    {@code values[i][k]}: the attribution of feature k of example i
 * @param objective what was explained
 * @param forwardEvaluations perturbed inputs evaluated (forward passes of one example), over the batch
 */
public record FeatureAttribution(String method, List<FeatureMask> masks, double[][] values, Objective objective,
                                 long forwardEvaluations) {

    /** Copies the values and checks that they fit the masks. */
    public FeatureAttribution {
        masks = List.copyOf(masks);
        if (values.length != masks.size()) {
            throw new IllegalArgumentException(values.length + " rows of values for " + masks.size() + " masks");
        }
        double[][] copy = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != masks.get(i).count()) {
                throw new IllegalArgumentException("example " + i + " has " + values[i].length + " values for "
                        + masks.get(i).count() + " features");
            }
            copy[i] = values[i].clone();
        }
        values = copy;
    }

    /**
     * The values.
     *
     * @return a copy, {@code [example][feature]}
     */
    @Override public double[][] values() {
        double[][] copy = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i].clone();
        }
        return copy;
    }

    /**
     * The attributions of one example's features.
     *
     * @param example the example
     * @return a copy
     */
    public double[] values(int example) {
        return values[example].clone();
    }

    /**
     * Per-pixel attributions: every pixel, in every channel, gets its feature's value.
     *
     * @param channels the input's channel count
     * @param type     the array's data type
     * @return {@code [n, channels, h, w]}
     */
    public INDArray toPixels(int channels, DataType type) {
        FeatureMask first = masks.get(0);
        int n = masks.size();
        int pixels = first.height() * first.width();
        double[] data = new double[n * channels * pixels];
        for (int i = 0; i < n; i++) {
            int[] labels = masks.get(i).labels();
            for (int c = 0; c < channels; c++) {
                int offset = (i * channels + c) * pixels;
                for (int p = 0; p < pixels; p++) {
                    data[offset + p] = values[i][labels[p]];
                }
            }
        }
        INDArray doubles = Nd4j.create(data, new long[] {n, channels, first.height(), first.width()}, DataType.DOUBLE);
        return type == DataType.DOUBLE ? doubles : doubles.castTo(type);
    }

    /**
     * The same result as a per-pixel {@link Attribution} (no convergence delta, no gradient evaluations).
     *
     * @param channels the input's channel count
     * @param type     the data type of the values
     * @return the attribution
     */
    public Attribution toAttribution(int channels, DataType type) {
        return new Attribution(method, toPixels(channels, type), objective, null, 0, null, 0);
    }

    @Override public String toString() {
        return "FeatureAttribution[method=" + method + ", examples=" + masks.size() + ", features="
                + Arrays.toString(masks.stream().mapToInt(FeatureMask::count).toArray()) + ", objective=" + objective
                + ", forwardEvaluations=" + forwardEvaluations + "]";
    }
}
