package org.xai4j.sanity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a cascading model-parameter randomization test.
 *
 * @param layers   the layers in the order they were randomized; step s has layers 0..s randomized
 * @param spearman {@code [steps][images]}: Spearman rank correlation between each image's original map and its map
 *                 after step s (NaN where a map is constant)
 */
public record RandomizationResult(List<String> layers, double[][] spearman) {

    /** Stores an immutable copy of the layers and a deep copy of the correlations. */
    public RandomizationResult {
        layers = List.copyOf(layers);
        spearman = Arrays.stream(spearman).map(double[]::clone).toArray(double[][]::new);
    }

    /** The correlations {@code [steps][images]}, as a deep copy. */
    @Override public double[][] spearman() {
        return Arrays.stream(spearman).map(double[]::clone).toArray(double[][]::new);
    }

    /** The mean Spearman correlation over the images after each step (NaN values are skipped). */
    public double[] meanSpearman() {
        return Arrays.stream(spearman).mapToDouble(r -> Arrays.stream(r).filter(v -> !Double.isNaN(v)).average()
                .orElse(Double.NaN)).toArray();
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder("RandomizationResult[cascade (mean Spearman vs original):");
        double[] mean = meanSpearman();
        for (int i = 0; i < layers.size(); i++) {
            s.append(String.format(Locale.ROOT, " +%s=%.3f", layers.get(i), mean[i]));
        }
        return s.append(", images=").append(spearman.length == 0 ? 0 : spearman[0].length).append(']').toString();
    }
}
