package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.internal.Checks;

/**
 * Input times gradient: {@code x * dF/dx}, the first-order Taylor contribution of each input element.
 *
 * <p>Shrikumar, Greenside, Shcherbina and Kundaje, "Not Just a Black Box: Learning Important Features Through
 * Propagating Activation Differences", arXiv:1605.01713, 2016.
 */
public final class InputXGradient implements AttributionMethod {

    private final ImageModel model;

    private InputXGradient(ImageModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        this.model = model;
    }

    /** Input times gradient on a model. */
    public static InputXGradient of(ImageModel model) {
        return new InputXGradient(model);
    }

    @Override public ImageModel model() {
        return model;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        Checks.imageBatch(inputs, model.inputShape(), "input");
        INDArray gradient = model.gradient(inputs, objective).inputGradient();
        return new Attribution("InputXGradient", gradient.muli(inputs.castTo(gradient.dataType())), objective, null, 0,
                null, inputs.size(0));
    }

    @Override public String toString() {
        return "InputXGradient";
    }
}
