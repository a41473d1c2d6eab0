package org.xai4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ImageModel;

import java.util.Arrays;
import java.util.Objects;

/** The predicted class of each example: the arg-max of its scores, computed in one place for every module. */
public final class Predictions {

    private Predictions() { }

    /**
     * The index of the largest score of each row, as {@code numpy.argmax(scores, axis=1)}: ties go to the lowest index
     * and a NaN counts as the largest value.
     *
     * @param scores logits or probabilities {@code [n, classes]}
     * @return one class index per row
     * @throws NullPointerException     if {@code scores} is null
     * @throws IllegalArgumentException if {@code scores} is not a non-empty matrix
     */
    public static int[] argMax(INDArray scores) {
        Objects.requireNonNull(scores, "scores must not be null");
        if (scores.rank() != 2 || scores.size(1) == 0) {
            throw new IllegalArgumentException("scores must be [n, classes] with at least one class, got "
                    + Arrays.toString(scores.shape()));
        }
        int n = (int) scores.size(0);
        int classes = (int) scores.size(1);
        double[] values = scores.dup('c').data().asDouble();
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            int offset = i * classes;
            int arg = 0;
            for (int c = 1; c < classes && !Double.isNaN(values[offset + arg]); c++) {
                double v = values[offset + c];
                if (v > values[offset + arg] || Double.isNaN(v)) {
                    arg = c;
                }
            }
            best[i] = arg;
        }
        return best;
    }

    /**
     * The class each example is predicted as: {@link #argMax} of the model's logits.
     *
     * @param model  the classifier
     * @param inputs a batch {@code [n, channels, height, width]}
     * @return one class index per example
     * @throws NullPointerException if an argument is null
     */
    public static int[] predictedClasses(ImageModel model, INDArray inputs) {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(inputs, "inputs must not be null");
        return argMax(model.logits(inputs));
    }
}
