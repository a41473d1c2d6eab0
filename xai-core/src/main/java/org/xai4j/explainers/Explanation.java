package org.xai4j.explainers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.ExplanationResult;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * What an {@link Explainer} produced for a batch: raw maps, never normalized (normalize for display only), with what
 * is needed to judge them.
 *
 * @param method              the method
 * @param layer               the layer that was mapped, or null for input attributions
 * @param values              input attributions {@code [n, channels, height, width]}, or maps {@code [n, height, width]}
 *                            at input resolution (class activation maps after their ReLU, neuron activations as they
 *                            are, both bilinearly upsampled)
 * @param targets             per image, the class (or, for neuron maps, the channel) that was explained
 * @param convergenceDelta    per image, {@code sum(attribution) - (F(x) - F(baseline))} for integrated gradients (and
 *                            the noise tunnels' mean of their inner method's); empty otherwise
 * @param outputDifference    per image, {@code F(x) - F(baseline)}, what a complete attribution sums to (integrated
 *                            gradients and its noise tunnels); empty otherwise
 * @param steps               integration points (integrated gradients, the final count in adaptive mode), noisy
 *                            samples (noise tunnels), or 0
 * @param gradientEvaluations input-gradient evaluations used (0 for methods that need none)
 */
public record Explanation(ExplanationMethod method, String layer, INDArray values, int[] targets,
                          double[] convergenceDelta, double[] outputDifference, int steps, long gradientEvaluations)
        implements ExplanationResult {

    /**
     * Stores detached copies of the arrays.
     *
     * @throws NullPointerException     if the method, values, targets or deltas are null
     * @throws IllegalArgumentException if there is not one target per image
     */
    public Explanation {
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(values, "values must not be null");
        Objects.requireNonNull(targets, "targets must not be null");
        Objects.requireNonNull(convergenceDelta, "convergenceDelta must not be null");
        Objects.requireNonNull(outputDifference, "outputDifference must not be null");
        if (targets.length != values.size(0)) {
            throw new IllegalArgumentException("got " + targets.length + " targets for " + values.size(0) + " images");
        }
        values = values.detach().dup();
        targets = targets.clone();
        convergenceDelta = convergenceDelta.clone();
        outputDifference = outputDifference.clone();
    }

    /**
     * The raw maps.
     *
     * @return a copy
     */
    @Override public INDArray values() {
        return values.dup();
    }

    /**
     * The explained target of each image.
     *
     * @return a copy
     */
    @Override public int[] targets() {
        return targets.clone();
    }

    /**
     * The completeness error of each image.
     *
     * @return a copy; empty for methods without one
     */
    @Override public double[] convergenceDelta() {
        return convergenceDelta.clone();
    }

    /**
     * {@code F(x) - F(baseline)} of each image.
     *
     * @return a copy; empty for methods without one
     */
    @Override public double[] outputDifference() {
        return outputDifference.clone();
    }

    @Override public String methodName() {
        return method.id();
    }

    /**
     * The largest |convergence delta| over the batch.
     *
     * @return the value, or NaN for methods without one
     */
    public double maxAbsDelta() {
        return Arrays.stream(convergenceDelta).map(Math::abs).max().orElse(Double.NaN);
    }

    @Override public String toString() {
        return "Explanation[method=" + method.id() + (layer == null ? "" : ", layer=" + layer) + ", shape="
                + Arrays.toString(values.shape()) + ", targets=" + Arrays.toString(targets)
                + (convergenceDelta.length == 0 ? "" : String.format(Locale.ROOT, ", maxAbsDelta=%.3g", maxAbsDelta()))
                + (outputDifference.length == 0 ? "" : String.format(Locale.ROOT, ", maxRelativeError=%.3g",
                maxRelativeError()))
                + (steps == 0 ? "" : ", steps=" + steps) + ", gradientEvaluations=" + gradientEvaluations + "]";
    }
}
