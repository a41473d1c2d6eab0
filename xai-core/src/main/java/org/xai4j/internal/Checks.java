package org.xai4j.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;

import java.util.Arrays;
import java.util.Collection;

/** Validation of public arguments, with messages that name the bad value and the expected one. */
public final class Checks {

    private Checks() { }

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
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
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
        InputChecks.finite(base, "baseline of example " + index);
        return base;
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
