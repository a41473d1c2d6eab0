package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.AttributionMethod;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;

import java.util.Objects;

/**
 * Saliency: the gradient of the objective with respect to the input, optionally its absolute value.
 *
 * <p>Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks: Visualising Image Classification Models
 * and Saliency Maps", ICLR Workshop 2014.
 */
public final class Saliency implements AttributionMethod {

    private final ImageModel model;
    private final boolean absolute;

    private Saliency(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model is required: call setModel");
        this.absolute = b.absolute;
    }

    /**
     * Starts configuring saliency.
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
        return new Attribution(absolute ? "AbsoluteSaliency" : "Saliency",
                absolute ? Transforms.abs(gradient, false) : gradient, objective, null, 0, null, inputs.size(0));
    }

    @Override public String toString() {
        return absolute ? "Saliency[absolute]" : "Saliency";
    }

    /** Builder: required {@link #setModel}; optional {@link #optAbsolute}. */
    public static final class Builder {
        private ImageModel model;
        private boolean absolute;

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
         * Whether to return {@code |gradient|}, the paper's map before the channel maximum (Captum's default), instead
         * of the signed gradient (default false).
         *
         * @param absolute true for the absolute value
         * @return this builder
         */
        public Builder optAbsolute(boolean absolute) {
            this.absolute = absolute;
            return this;
        }

        /**
         * Builds the method.
         *
         * @return the configured saliency
         * @throws NullPointerException if no model was set
         */
        public Saliency build() {
            return new Saliency(this);
        }
    }
}
