package org.xai4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Per-example objective values and the gradient of each with respect to its own input example.
 *
 * @param values        objective value per example, shape {@code [n]}
 * @param inputGradient gradient, same shape as the input batch
 */
public record ObjectiveGradient(INDArray values, INDArray inputGradient) {

    @Override
    public String toString() {
        return "ObjectiveGradient[values=" + values.length() + ", gradientShape="
                + Arrays.toString(inputGradient.shape()) + "]";
    }
}
