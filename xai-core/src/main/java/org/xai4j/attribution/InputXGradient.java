package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;

import java.util.Objects;

/**
 * Input times gradient: {@code x * dF/dx}, the first-order Taylor contribution of each input element.
 *
 * <p>Shrikumar, Greenside, Shcherbina and Kundaje, "Not Just a Black Box: Learning Important Features Through
 * Propagating Activation Differences", arXiv:1605.01713, 2016.
 */
public final class InputXGradient implements AttributionMethod {

    private final ImageModel model;

    private InputXGradient(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model is required: call setModel");
    }

    /**
     * Starts configuring input times gradient.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() {
        return model;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        INDArray gradient = model.gradient(inputs, objective).inputGradient();
        return new Attribution("InputXGradient", gradient.muli(inputs.castTo(gradient.dataType())), objective, null, 0,
                null, inputs.size(0));
    }

    @Override public String toString() {
        return "InputXGradient";
    }

    /** Builder: required {@link #setModel}. */
    public static final class Builder {
        private ImageModel model;

        private Builder() { }

        /**
         * The model to explain (required).
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(ImageModel model) {
            this.model = model;
            return this;
        }

        /**
         * Builds the method.
         *
         * @return the configured input times gradient
         * @throws NullPointerException if no model was set
         */
        public InputXGradient build() {
            return new InputXGradient(this);
        }
    }
}
