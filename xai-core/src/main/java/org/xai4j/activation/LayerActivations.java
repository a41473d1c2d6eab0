package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The per-neuron (channel) activation maps of one spatial layer for a batch of images, with the seed study's
 * "spike" totals. Arrays are detached DOUBLE copies.
 *
 * @param layer       the layer
 * @param activations {@code [n, C, h, w]} raw activations at the layer's resolution
 * @param spikes      {@code [n, C]}: the sum of each neuron's map over its positions (at the layer's resolution)
 * @param height      input height maps are upsampled to
 * @param width       input width maps are upsampled to
 */
public record LayerActivations(String layer, INDArray activations, INDArray spikes, long height, long width) {

    /** Stores detached copies of {@code activations} and {@code spikes}, so later changes to the arguments do not show. */
    public LayerActivations {
        activations = activations.detach().dup();
        spikes = spikes.detach().dup();
    }

    /** The raw activations {@code [n, C, h, w]}, as a copy the caller may modify. */
    @Override public INDArray activations() { return activations.dup(); }

    /** The spike totals {@code [n, C]}, as a copy the caller may modify. */
    @Override public INDArray spikes() { return spikes.dup(); }

    /** The number of images. */
    public int size() { return (int) activations.size(0); }

    /** The number of neurons (channels) of the layer. */
    public int channels() { return (int) activations.size(1); }

    /** The spike totals of image {@code i}, one per neuron. */
    public double[] spikes(int i) {
        return spikes.getRow(checkImage(i)).toDoubleVector();
    }

    /** The {@code k} neurons of image {@code i} with the largest spike totals, largest first (ties: lower index first). */
    public int[] topK(int i, int k) {
        if (k <= 0 || k > channels()) {
            throw new IllegalArgumentException("k = " + k + " is out of range: layer '" + layer + "' has " + channels()
                    + " neurons (expected 1.." + channels() + ")");
        }
        double[] s = spikes(i);
        return IntStream.range(0, s.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -s[c]).thenComparingInt(c -> c))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** The raw map of {@code neuron} for image {@code i}, bilinearly upsampled to the input size: {@code [H, W]}. */
    public INDArray map(int i, int neuron) {
        checkNeuron(neuron);
        INDArray m = activations.get(NDArrayIndex.interval(checkImage(i), i + 1), NDArrayIndex.interval(neuron, neuron + 1));
        return Heatmaps.upsample(m, height, width).reshape(height, width);
    }

    /** All raw maps of image {@code i}, upsampled to the input size: {@code [C, H, W]}. */
    public INDArray maps(int i) {
        return Heatmaps.upsample(activations.get(NDArrayIndex.interval(checkImage(i), i + 1)), height, width)
                .reshape(channels(), height, width);
    }

    private int checkImage(int i) {
        if (i < 0 || i >= size()) {
            throw new IllegalArgumentException("image index " + i + " is out of range (expected 0.." + (size() - 1) + ")");
        }
        return i;
    }

    private void checkNeuron(int neuron) {
        if (neuron < 0 || neuron >= channels()) {
            throw new IllegalArgumentException("neuron " + neuron + " is out of range for layer '" + layer + "', which has "
                    + channels() + " neurons (expected 0.." + (channels() - 1) + ")");
        }
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder("LayerActivations[layer=").append(layer).append(", images=").append(size())
                .append(", neurons=").append(channels()).append(", resolution=").append(activations.size(2)).append('x')
                .append(activations.size(3)).append(", top spikes:");
        for (int i = 0; i < Math.min(size(), 4); i++) {
            int[] top = topK(i, Math.min(3, channels()));
            s.append(" image ").append(i).append(" ");
            for (int c : top) {
                s.append(String.format(Locale.ROOT, "#%d=%.3g ", c, spikes.getDouble(i, c)));
            }
        }
        return s.toString().trim() + (size() > 4 ? " ...]" : "]");
    }

    @Override public boolean equals(Object o) {
        return o instanceof LayerActivations other && layer.equals(other.layer) && activations.equals(other.activations);
    }

    @Override public int hashCode() { return layer.hashCode() * 31 + Arrays.hashCode(activations.shape()); }
}
