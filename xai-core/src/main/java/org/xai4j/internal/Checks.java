package org.xai4j.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.attribution.Baseline;

import java.util.Arrays;
import java.util.Collection;

/** Validation of public arguments, with messages that name the bad value and the expected one. */
public final class Checks {

    private Checks() { }

    /**
     * Checks an image batch: not null, rank 4, at least one example, the per-example shape {@code [c, h, w]},
     * and only finite values.
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
     * The checks an attribution call starts with, in this order: the objective is not null, the inputs are an image
     * batch the model takes, and the objective fits the model and the batch size.
     *
     * @param model     the model explained
     * @param inputs    the call's batch
     * @param objective the call's objective
     * @return the batch size
     */
    public static int attributionCall(ImageModel model, INDArray inputs, Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        objective.validate(model, n);
        return n;
    }

    /**
     * The baseline of one example, checked: it must have the example's shape and finite values.
     *
     * @param baseline the baseline
     * @param example  the example {@code [1, c, h, w]}
     * @param index    the example's index in its batch
     * @return the baseline array, same shape as the example
     */
    public static INDArray baselineFor(Baseline baseline, INDArray example, int index) {
        INDArray base = baseline.create(example, index);
        if (!Arrays.equals(base.shape(), example.shape())) {
            throw new IllegalArgumentException("baseline " + baseline + " gave shape " + Arrays.toString(base.shape())
                    + " for example " + index + " of shape " + Arrays.toString(example.shape()));
        }
        finite(base, "baseline of example " + index);
        return base;
    }

    /** Checks that an array holds no NaN or infinite value. */
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

    /** Checks that {@code value > 0}. */
    public static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    /** Checks that a name is one of the valid names, listing them otherwise. */
    public static String oneOf(String name, Collection<String> valid, String what) {
        if (name == null || !valid.contains(name)) {
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'; valid names are " + valid);
        }
        return name;
    }
}
