package org.xai4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.util.Arrays;

/**
 * Validation of what an {@link ImageModel} takes: image batches in NCHW order with finite values, with messages that
 * name the bad value and the expected one. Public because the engine checks every call's input with it and the
 * explainers in other modules check their inputs and baselines the same way, with the same messages.
 */
public final class InputChecks {

    private InputChecks() { }

    /**
     * Checks an image batch: not null, rank 4, at least one example, the per-example shape {@code [c, h, w]},
     * and only finite values.
     *
     * @param batch        the batch {@code [n, c, h, w]}
     * @param exampleShape the model's per-example shape {@code [c, h, w]} ({@link ImageModel#inputShape()})
     * @param what         what the batch is, for messages ("input", ...)
     * @throws NullPointerException     if the batch is null
     * @throws IllegalArgumentException if it has another rank or shape, no example, or a NaN or infinite value
     */
    public static void imageBatch(INDArray batch, long[] exampleShape, String what) {
        if (batch == null) {
            throw new NullPointerException(what + " must not be null");
        }
        long[] shape = batch.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException(what + " must be a batch [n, " + exampleShape[0] + ", " + exampleShape[1]
                    + ", " + exampleShape[2] + "] in NCHW order, got shape " + Arrays.toString(shape));
        }
        if (shape[0] == 0) {
            throw new IllegalArgumentException(what + " is an empty batch (shape " + Arrays.toString(shape)
                    + "); expected at least one example");
        }
        if (shape[1] != exampleShape[0] || shape[2] != exampleShape[1] || shape[3] != exampleShape[2]) {
            String hint = shape[3] == exampleShape[0] && shape[1] == exampleShape[1]
                    ? " (it looks like NHWC: permute it with input.permute(0, 3, 1, 2))" : "";
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape) + " but the model expects [n, "
                    + exampleShape[0] + ", " + exampleShape[1] + ", " + exampleShape[2] + "]" + hint);
        }
        finite(batch, what);
    }

    /**
     * Checks that an array holds no NaN or infinite value.
     *
     * @param array the array
     * @param what  what the array is, for messages
     * @throws IllegalArgumentException if it holds a NaN or infinite value, or values whose sum overflows
     */
    public static void finite(INDArray array, String what) {
        if (!array.dataType().isFPType() || Double.isFinite(array.sumNumber().doubleValue())) {
            // A finite sum rules out NaN and infinities cheaply; only a non-finite sum needs the element-wise search.
            return;
        }
        if (BooleanIndexing.or(array, Conditions.isNan())) {
            throw new IllegalArgumentException(what + " contains NaN values; expected finite numbers");
        }
        if (BooleanIndexing.or(array, Conditions.isInfinite())) {
            throw new IllegalArgumentException(what + " contains infinite values; expected finite numbers");
        }
        throw new IllegalArgumentException(what + " has values so large that their sum overflows; expected magnitudes "
                + "an image model can use");
    }
}
