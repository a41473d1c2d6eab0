package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.ExplanationResult;
import org.xai4j.engine.Objective;

import java.util.Arrays;
import java.util.Locale;

/**
 * The result of an attribution method: one attribution per input element, plus what is needed to judge it.
 *
 * <p>The arrays are detached copies: the record never shares memory with the caller, and accessors return copies.
 *
 * @param method              the method's name, e.g. {@code IntegratedGradients}
 * @param values              attributions, same shape as the inputs
 * @param objective           what was explained
 * @param convergenceDelta    per example, {@code sum(attribution) - (F(x) - F(baseline))} for path methods (with
 *                            several baselines, the mean of {@code F(baseline)}); empty for other methods
 * @param steps               integration points per example and baseline (the final count in adaptive mode); 0 if
 *                            not a path method
 * @param rule                the integration rule, or null if not a path method
 * @param gradientEvaluations total input-gradient evaluations (one per example per point) used
 * @param outputDifference    per example, {@code F(x) - F(baseline)} (with several baselines, the mean of
 *                            {@code F(baseline)}), for methods whose attributions should sum to it (path methods and
 *                            their noise tunnels); empty otherwise
 */
public record Attribution(String method, INDArray values, Objective objective, double[] convergenceDelta, int steps,
                          IntegrationRule rule, long gradientEvaluations, double[] outputDifference)
        implements ExplanationResult {

    /** Stores detached copies of the arrays. */
    public Attribution {
        values = values.detach().dup();
        convergenceDelta = convergenceDelta == null ? new double[0] : convergenceDelta.clone();
        outputDifference = outputDifference == null ? new double[0] : outputDifference.clone();
        if (outputDifference.length != 0 && outputDifference.length != convergenceDelta.length) {
            throw new IllegalArgumentException("got " + outputDifference.length + " output differences for "
                    + convergenceDelta.length + " convergence deltas");
        }
    }

    /**
     * A result without a completeness reference: no {@code F(x) - F(baseline)}.
     *
     * @param method              the method's name
     * @param values              attributions
     * @param objective           what was explained
     * @param convergenceDelta    per example completeness error, or null
     * @param steps               integration points, or 0
     * @param rule                the integration rule, or null
     * @param gradientEvaluations input-gradient evaluations used
     */
    public Attribution(String method, INDArray values, Objective objective, double[] convergenceDelta, int steps,
                       IntegrationRule rule, long gradientEvaluations) {
        this(method, values, objective, convergenceDelta, steps, rule, gradientEvaluations, null);
    }

    /**
     * The attributions.
     *
     * @return a copy, same shape as the inputs
     */
    @Override public INDArray values() {
        return values.dup();
    }

    /**
     * The completeness error per example: {@code sum(attribution) - (F(x) - F(baseline))}.
     *
     * @return a copy; empty for methods that are not path methods
     */
    @Override public double[] convergenceDelta() {
        return convergenceDelta.clone();
    }

    /**
     * {@code F(x) - F(baseline)} per example, what a complete attribution sums to.
     *
     * @return a copy; empty for methods without one
     */
    @Override public double[] outputDifference() {
        return outputDifference.clone();
    }

    @Override public String methodName() {
        return method;
    }

    /** The largest |convergence delta| over the batch, or NaN when the method has none. */
    public double maxAbsDelta() {
        return Arrays.stream(convergenceDelta).map(Math::abs).max().orElse(Double.NaN);
    }

    /** The shape of the attributions (that of the inputs). */
    public long[] shape() {
        return values.shape();
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder("Attribution[method=").append(method)
                .append(", shape=").append(Arrays.toString(values.shape()))
                .append(", objective=").append(objective);
        if (rule != null) {
            s.append(", steps=").append(steps).append(", rule=").append(rule)
                    .append(String.format(Locale.ROOT, ", maxAbsDelta=%.3g", maxAbsDelta()));
        }
        return s.append(", gradientEvaluations=").append(gradientEvaluations).append(']').toString();
    }
}
