package org.xai4j.propagation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;

import java.util.Locale;

/**
 * Layer-wise relevance propagation with Captum 0.8.0's default rules: the objective's value is the relevance at the
 * output, and it is redistributed layer by layer down to the pixels. Convolutions, dense layers, max and average
 * pooling (windowed and global), batch normalization and residual sums take the epsilon rule
 * {@code R_i = x_i * sum_j w_ij R_j / (z_j + eps * sign(z_j))} ({@code sign(0) = 1}); activations pass relevance
 * through unchanged (Captum's rule for {@code nn.ReLU} and {@code nn.Tanh}); other nodes apply their gradient to it,
 * as functional operations do under Captum: layers that only move values (flatten, concatenation, padding) route it
 * unchanged, element-wise products and maxima and L2 normalization scale it. Relevance is conserved up to what biases and epsilon absorb: the
 * {@link Attribution#convergenceDelta()} is {@code sum(R) - F(x)} (Captum's {@code compute_convergence_delta} has the
 * opposite sign) and {@link Attribution#outputDifference()} is {@code F(x)}.
 *
 * <p>Deliberate differences from Captum, which refuses modules it has no rule for: a residual sum has the epsilon rule
 * as Captum's {@code Addition_Module} has (a plain {@code +} in PyTorch would copy relevance to both branches); global
 * max pooling takes the epsilon rule as max pooling does; every activation passes relevance through; the
 * preprocessing a model embeds (the per-value maps reading the model input) passes it through, so that a pixel gets
 * the relevance Captum gives its preprocessed value.
 *
 * <p>Bach, Binder, Montavon, Klauschen, Müller and Samek, "On Pixel-Wise Explanations for Non-Linear Classifier
 * Decisions by Layer-Wise Relevance Propagation", PLoS ONE 10(7), 2015; Montavon, Binder, Lapuschkin, Samek and
 * Müller, "Layer-Wise Relevance Propagation: An Overview", 2019.
 *
 * <p>Needs an {@link Nd4jImageModel}: relevance propagation is a backward mode of its engine.
 */
public final class Lrp implements AttributionMethod {

    /** The stabilizer of the epsilon rule: Captum's {@code EpsilonRule} default. */
    public static final double DEFAULT_EPSILON = 1e-9;
    private static final String NAME = "LRP";

    private final Nd4jImageModel model;
    private final double epsilon;
    private final BackwardMode mode;

    private Lrp(Builder b) {
        this.model = BackwardMode.engineModel(b.model, NAME);
        this.epsilon = b.epsilon;
        this.mode = BackwardMode.epsilonLrp(epsilon);
    }

    /**
     * Starts configuring LRP.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() {
        return model;
    }

    /** The stabilizer of the epsilon rule. */
    public double epsilon() {
        return epsilon;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        ObjectiveGradient propagated = model.gradient(inputs, objective, mode);
        // The backward pass starts from the seed (1 at a class logit): scaling by F(x) makes it start from F(x).
        INDArray outputs = propagated.values();
        INDArray gradient = propagated.inputGradient();
        INDArray relevance = gradient.reshape(n, gradient.length() / n)
                .mulColumnVector(outputs.castTo(gradient.dataType()).reshape(n, 1)).reshape(gradient.shape());
        double[] values = outputs.castTo(DataType.DOUBLE).toDoubleVector();
        double[] sums = RescalePairs.sums(relevance);
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) {
            delta[i] = sums[i] - values[i];
        }
        return new Attribution(NAME, relevance, objective, delta, 0, null, n, values);
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "LRP[epsilon=%s]", epsilon);
    }

    /** Builder: required {@link #setModel}; optional {@link #optEpsilon}. */
    public static final class Builder {
        private ImageModel model;
        private double epsilon = DEFAULT_EPSILON;

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
         * The epsilon rule's stabilizer, added to every denominator with its sign. Default {@link #DEFAULT_EPSILON}.
         *
         * @param epsilon finite and {@code >= 0}
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds LRP.
         *
         * @return the configured method
         * @throws NullPointerException     if no model was set
         * @throws IllegalArgumentException if the model is not an {@link Nd4jImageModel}
         */
        public Lrp build() {
            return new Lrp(this);
        }
    }
}
