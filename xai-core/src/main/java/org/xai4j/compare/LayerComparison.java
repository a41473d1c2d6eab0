package org.xai4j.compare;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.activation.Heatmaps;
import org.xai4j.activation.Normalization;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Several models' activations of one layer for one input, side by side (the seed study's VGGFace vs VGGEmotion
 * analysis). Arrays are copies.
 *
 * @param layer       the compared layer
 * @param models      the models' names; the first is the reference for rank changes
 * @param spikes      {@code [models][neurons]}: the sum of each neuron's activation map
 * @param pearson     {@code [models][models]} Pearson correlation of the spike vectors
 * @param spearman    {@code [models][models]} Spearman rank correlation of the spike vectors
 * @param rankChanges every (neuron, other model) pair, largest |rank shift| first (ties: model order, then neuron)
 * @param maps        {@code [models, neurons, H, W]}: raw activation maps bilinearly upsampled to the input size
 */
public record LayerComparison(String layer, List<String> models, double[][] spikes, double[][] pearson,
                              double[][] spearman, List<RankChange> rankChanges, INDArray maps) {

    /** Stores immutable or deep copies of every list and array, so later changes to the arguments do not show. */
    public LayerComparison {
        models = List.copyOf(models);
        spikes = deepCopy(spikes);
        pearson = deepCopy(pearson);
        spearman = deepCopy(spearman);
        rankChanges = List.copyOf(rankChanges);
        maps = maps.detach().dup();
    }

    /** The spike totals {@code [models][neurons]}, as a deep copy. */
    @Override public double[][] spikes() { return deepCopy(spikes); }

    /** The Pearson correlations {@code [models][models]}, as a deep copy. */
    @Override public double[][] pearson() { return deepCopy(pearson); }

    /** The Spearman rank correlations {@code [models][models]}, as a deep copy. */
    @Override public double[][] spearman() { return deepCopy(spearman); }

    /** The upsampled activation maps {@code [models, neurons, H, W]}, as a copy the caller may modify. */
    @Override public INDArray maps() { return maps.dup(); }

    /** The number of neurons of the layer. */
    public int neurons() { return spikes[0].length; }

    /** The {@code k} rank changes with the largest magnitude. */
    public List<RankChange> largestRankChanges(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        return rankChanges.subList(0, Math.min(k, rankChanges.size()));
    }

    /** The {@code k} neurons of model {@code m} with the largest spikes, largest first. */
    public int[] topNeurons(int m, int k) {
        if (m < 0 || m >= models.size()) {
            throw new IllegalArgumentException("model index " + m + " is out of range (expected 0.." + (models.size() - 1) + ")");
        }
        if (k <= 0 || k > neurons()) {
            throw new IllegalArgumentException("k = " + k + " is out of range: layer '" + layer + "' has " + neurons()
                    + " neurons (expected 1.." + neurons() + ")");
        }
        return ranking(spikes[m]).limit(k).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The maps of one neuron in every model, {@code [models, H, W]}, scaled together by the largest |value| over all
     * models so that their magnitudes stay comparable (an all-zero set stays zero).
     */
    public INDArray alignedMaps(int neuron) {
        if (neuron < 0 || neuron >= neurons()) {
            throw new IllegalArgumentException("neuron " + neuron + " is out of range for layer '" + layer + "', which has "
                    + neurons() + " neurons (expected 0.." + (neurons() - 1) + ")");
        }
        INDArray m = maps.get(NDArrayIndex.all(), NDArrayIndex.point(neuron)).dup();
        long[] shape = m.shape();
        return Heatmaps.normalize(m.reshape(1, m.length()), Normalization.MAX_ABS).reshape(shape);
    }

    static java.util.stream.Stream<Integer> ranking(double[] spikes) {
        return IntStream.range(0, spikes.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -spikes[c]).thenComparingInt(c -> c));
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder("LayerComparison[layer=").append(layer).append(", neurons=").append(neurons())
                .append(", models=").append(models);
        for (int m = 0; m < models.size(); m++) {
            s.append(String.format(Locale.ROOT, ", %s top=%s", models.get(m),
                    Arrays.toString(topNeurons(m, Math.min(3, neurons())))));
        }
        for (int m = 1; m < models.size(); m++) {
            s.append(String.format(Locale.ROOT, ", %s vs %s: pearson=%.3f spearman=%.3f", models.get(0), models.get(m),
                    pearson[0][m], spearman[0][m]));
        }
        return s.append(", largest rank changes=").append(largestRankChanges(3)).append(']').toString();
    }

    private static double[][] deepCopy(double[][] a) {
        return Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
    }
}
