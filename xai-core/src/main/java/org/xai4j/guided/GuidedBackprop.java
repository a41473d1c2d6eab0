package org.xai4j.guided;

import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Nd4jImageModel;

/**
 * Guided backpropagation: the input gradient of the objective in which every ReLU passes back only positive
 * gradients, and only where its input was positive: {@code relu(relu'(x) * g)} at each ReLU, the gradient elsewhere.
 * Equal to Captum 0.8.0's {@code GuidedBackprop}, which overrides the gradient of {@code nn.ReLU} modules only: other
 * activations (ReLU6, leaky ReLU, ...) keep their gradient.
 *
 * <p>Springenberg, Dosovitskiy, Brox and Riedmiller, "Striving for Simplicity: The All Convolutional Net",
 * ICLR workshop 2015, arXiv:1412.6806.
 *
 * <p>Needs an {@link Nd4jImageModel}: the override is a backward mode of its engine.
 */
public final class GuidedBackprop extends ReluOverride {

    private GuidedBackprop(Builder b) {
        super("GuidedBackprop", BackwardMode.guided(), b.model);
    }

    /**
     * Starts configuring the method.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: required {@link #setModel}. */
    public static final class Builder {
        private ImageModel model;

        private Builder() { }

        /**
         * The model to explain (required): an {@link Nd4jImageModel}.
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
         * @return the configured method
         * @throws NullPointerException     if no model was set
         * @throws IllegalArgumentException if the model is not an {@link Nd4jImageModel}
         */
        public GuidedBackprop build() {
            return new GuidedBackprop(this);
        }
    }
}
