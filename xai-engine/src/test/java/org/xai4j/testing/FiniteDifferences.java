package org.xai4j.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;

/** Central finite differences of an objective with respect to a model's input, for gradient checks in double. */
public final class FiniteDifferences {

    /** The step: small enough for the truncation error, large enough against double rounding. */
    public static final double STEP = 1e-6;

    private FiniteDifferences() { }

    /**
     * Central differences, every perturbed input evaluated in one batch (row r perturbs one element of one example).
     *
     * @param model     a model computing in double precision
     * @param x         the inputs {@code [n, c, h, w]}
     * @param objective the objective, per example
     * @return the estimated gradient, shaped like {@code x}
     */
    public static INDArray inputGradient(ImageModel model, INDArray x, Objective objective) {
        int n = (int) x.size(0);
        int perExample = (int) (x.length() / n);
        INDArray flat = x.reshape(n, perExample);
        INDArray perturbed = Nd4j.create(DataType.DOUBLE, 2L * n * perExample, perExample);
        int[] exampleOfRow = new int[2 * n * perExample];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < perExample; j++) {
                int row = 2 * (i * perExample + j);
                perturbed.getRow(row).assign(flat.getRow(i));
                perturbed.getRow(row + 1).assign(flat.getRow(i));
                perturbed.putScalar(row, j, flat.getDouble(i, j) + STEP);
                perturbed.putScalar(row + 1, j, flat.getDouble(i, j) - STEP);
                exampleOfRow[row] = exampleOfRow[row + 1] = i;
            }
        }
        long[] shape = x.shape().clone();
        shape[0] = perturbed.size(0);
        INDArray values = objective.forRows(exampleOfRow).evaluate(model, perturbed.reshape(shape));
        INDArray grad = Nd4j.create(DataType.DOUBLE, n, perExample);
        for (int r = 0; r < values.length(); r += 2) {
            grad.putScalar(r / 2, (values.getDouble(r) - values.getDouble(r + 1)) / (2 * STEP));
        }
        return grad.reshape(x.shape());
    }
}
