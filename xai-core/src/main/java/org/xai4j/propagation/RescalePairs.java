package org.xai4j.propagation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;

import java.util.Arrays;

/**
 * DeepLift on (input, reference) pairs, what DeepLift and DeepLiftShap share: the pairs go through the engine as one
 * batch, the inputs followed by their references (as Captum concatenates them), with the Rescale backward mode.
 */
final class RescalePairs {

    private RescalePairs() { }

    /**
     * The attributions {@code (x - x0) * m} of each pair, and the objective at both.
     *
     * @param attributions per pair, shape of the inputs, in the model's data type
     * @param atInputs     {@code F(x)} per pair
     * @param atReferences {@code F(x0)} per pair
     */
    record Result(INDArray attributions, double[] atInputs, double[] atReferences) { }

    /**
     * Runs pairs {@code (inputs[r], references[r])} in chunks of {@code chunk} pairs, one model pass each, reporting
     * passes done to {@code progress} and stopping between passes when it cancels; row {@code r} explains example
     * {@code exampleOfRow[r]} of {@code objective}.
     */
    static Result run(Nd4jImageModel model, INDArray inputs, INDArray references, Objective objective,
                      int[] exampleOfRow, BackwardMode mode, int chunk, ProgressListener progress, String task) {
        int pairs = (int) inputs.size(0);
        long total = (pairs + chunk - 1) / chunk;
        long done = 0;
        ProgressListener.checkpoint(progress, task, 0, total);
        INDArray attributions = Nd4j.create(model.dataType(), inputs.shape());
        double[] atInputs = new double[pairs];
        double[] atReferences = new double[pairs];
        for (int start = 0; start < pairs; start += chunk) {
            int end = Math.min(pairs, start + chunk);
            int count = end - start;
            INDArray x = inputs.get(NDArrayIndex.interval(start, end)).castTo(model.dataType());
            INDArray x0 = references.get(NDArrayIndex.interval(start, end)).castTo(model.dataType());
            int[] rows = new int[2 * count];
            for (int r = 0; r < count; r++) {
                rows[r] = exampleOfRow[start + r];
                rows[r + count] = exampleOfRow[start + r];
            }
            ObjectiveGradient result = model.gradient(Nd4j.concat(0, x, x0), objective.forRows(rows), mode);
            INDArray multipliers = result.inputGradient().get(NDArrayIndex.interval(0, count));
            attributions.get(NDArrayIndex.interval(start, end)).assign(multipliers.mul(x.sub(x0)));
            double[] values = result.values().castTo(DataType.DOUBLE).toDoubleVector();
            System.arraycopy(values, 0, atInputs, start, count);
            System.arraycopy(values, count, atReferences, start, count);
            done++;
            progress.onProgress(task, done, total);
            ProgressListener.checkpoint(progress, task, done, total);
        }
        return new Result(attributions, atInputs, atReferences);
    }

    /** The reference of every example, {@code [n, c, h, w]}, checked for shape and finiteness. */
    static INDArray references(Baseline baseline, INDArray inputs) {
        long n = inputs.size(0);
        long[] exampleShape = {1, inputs.size(1), inputs.size(2), inputs.size(3)};
        INDArray result = Nd4j.create(inputs.dataType(), inputs.shape());
        for (int i = 0; i < n; i++) {
            INDArray example = inputs.get(NDArrayIndex.interval(i, i + 1)).dup();
            INDArray reference = baseline.create(example, i);
            if (reference == null || !Arrays.equals(reference.shape(), exampleShape)) {
                throw new IllegalArgumentException("baseline " + baseline + " gave shape "
                        + (reference == null ? "null" : Arrays.toString(reference.shape())) + " for example " + i
                        + ", expected " + Arrays.toString(exampleShape));
            }
            InputChecks.finite(reference, "baseline " + baseline + " of example " + i);
            result.get(NDArrayIndex.interval(i, i + 1)).assign(reference);
        }
        return result;
    }

    /** The sum of each example's attributions, in double precision. */
    static double[] sums(INDArray attributions) {
        long n = attributions.size(0);
        return attributions.castTo(DataType.DOUBLE).reshape(n, attributions.length() / n).sum(1).toDoubleVector();
    }
}
