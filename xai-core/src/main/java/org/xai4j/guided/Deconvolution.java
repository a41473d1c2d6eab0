package org.xai4j.guided;

import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Nd4jImageModel;

/**
 * Deconvolution: the input gradient of the objective in which every ReLU passes back the positive part of its
 * output gradient, whatever its input was: {@code relu(g)} at each ReLU, the gradient elsewhere. Equal to Captum
 * 0.8.0's {@code Deconvolution}, which overrides the gradient of {@code nn.ReLU} modules only.
 *
 * <p>Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014, arXiv:1311.2901.
 *
 * <p>Needs an {@link Nd4jImageModel}: the override is a backward mode of its engine.
 */
public final class Deconvolution extends ReluOverride {

    private Deconvolution(Builder b) {
        super("Deconvolution", BackwardMode.deconvolution(), b.model);
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
        public Deconvolution build() {
            return new Deconvolution(this);
        }
    }
}
