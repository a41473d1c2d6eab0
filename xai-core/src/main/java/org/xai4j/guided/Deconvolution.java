package org.xai4j.guided;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.internal.Checks;

/**
 * Deconvolution: the input gradient of the objective in which every ReLU passes back the positive part of its
 * output gradient, whatever its input was: {@code relu(g)} at each ReLU, the gradient elsewhere. Equal to Captum
 * 0.8.0's {@code Deconvolution}, which overrides the gradient of {@code nn.ReLU} modules only.
 *
 * <p>Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014, arXiv:1311.2901.
 *
 * <p>Needs an {@link Nd4jImageModel}: the override is a backward mode of its engine.
 */
public final class Deconvolution implements AttributionMethod {

    private static final String NAME = "Deconvolution";
    private final Nd4jImageModel model;

    private Deconvolution(Builder b) {
        this.model = BackwardMode.engineModel(b.model, NAME);
    }

    /**
     * Starts configuring the method.
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
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        Checks.imageBatch(inputs, model.inputShape(), "input");
        INDArray values = model.gradient(inputs, objective, BackwardMode.deconvolution()).inputGradient();
        return new Attribution(NAME, values, objective, null, 0, null, inputs.size(0));
    }

    @Override public String toString() {
        return NAME;
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
