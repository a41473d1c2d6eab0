package org.xai4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Completeness;

/**
 * What every explainer result says, whatever produced it ({@link org.xai4j.attribution.Attribution} from an
 * attribution method, {@link org.xai4j.activation.ActivationMap} from a map method,
 * {@link org.xai4j.explainers.Explanation} from a method chosen by name): the values, the method, the layer of a map,
 * the cost, and for methods with a completeness reference the per-example convergence delta and
 * {@code F(x) - F(x')}, from which the relative error is computed in one place.
 */
public interface ExplanationResult {

    /**
     * The method that produced the result, e.g. {@code IntegratedGradients} or {@code ig}.
     *
     * @return the name
     */
    String methodName();

    /**
     * The values: attributions with the inputs' shape, or maps {@code [n, height, width]}.
     *
     * @return a copy
     */
    INDArray values();

    /**
     * The layer a map was made of.
     *
     * @return the layer, or null for input attributions
     */
    default String layer() {
        return null;
    }

    /**
     * Integration points, noisy samples or other per-example evaluation counts the method reports.
     *
     * @return the count, or 0
     */
    default int steps() {
        return 0;
    }

    /**
     * Input-gradient evaluations used.
     *
     * @return the count (0 for methods that need none or do not count them)
     */
    default long gradientEvaluations() {
        return 0;
    }

    /**
     * Per example, {@code sum(values) - (F(x) - F(x'))}.
     *
     * @return a copy; empty for methods without a completeness reference
     */
    default double[] convergenceDelta() {
        return new double[0];
    }

    /**
     * Per example, {@code F(x) - F(x')}: what complete attributions sum to.
     *
     * @return a copy; empty for methods without one
     */
    default double[] outputDifference() {
        return new double[0];
    }

    /**
     * The relative completeness error of one example, {@code |delta| / |F(x) - F(x')|}.
     *
     * @param example the example index
     * @return the error; NaN for methods without one, or when {@code F(x) = F(x')}
     */
    default double relativeError(int example) {
        return Completeness.relativeError(convergenceDelta(), outputDifference(), example);
    }

    /**
     * The largest relative completeness error over the batch.
     *
     * @return the error; NaN for methods without one
     */
    default double maxRelativeError() {
        return Completeness.maxRelativeError(convergenceDelta(), outputDifference());
    }
}
