package org.xai4j.propagation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;

import java.util.Locale;

/**
 * DeepLift with the Rescale rule: {@code (x - x0) * m}, where the multipliers {@code m} are propagated like a
 * gradient except that each element-wise nonlinearity multiplies by {@code (y - y0) / (x - x0)} (its gradient where
 * {@code |x - x0| < eps}) and max pooling routes the change of its output to the maxima of the input and of the
 * reference. The attributions of an example sum to {@code F(x) - F(x0)} (completeness); the error is the
 * {@link Attribution#convergenceDelta()} and {@code F(x) - F(x0)} the {@link Attribution#outputDifference()}.
 *
 * <p>Equal to Captum 0.8.0's {@code DeepLift} ({@code multiply_by_inputs=True}, {@code eps=1e-10}) with two deliberate
 * differences, both fixes made upstream after 0.8.0:
 * <ul>
 *   <li>max pooling: in Captum 0.8.0 the max-pool rule has no effect when a pooling layer directly follows another
 *       hooked nonlinearity (a ReLU, as in every VGG): the ReLU reads the output gradient from before the pooling's
 *       rule (captum issue #1104, fixed by PR #1843), and completeness fails; here the rule applies as intended and
 *       completeness holds. Its fallback where {@code |x - x0| < eps} is each example's own gradient (0.8.0 takes the
 *       first example's, issue #1276, fixed by PR #1847);</li>
 *   <li>activations Captum does not list (ReLU6, Swish, hard sigmoid, softmax's normalization) also take the Rescale
 *       rule, unnormalized for softmax (PR #1849), instead of keeping their gradient; global max pooling takes the
 *       max-pool rule. Element-wise products and maxima and L2 normalization keep their gradient, as Captum's
 *       functional operations do.</li>
 * </ul>
 *
 * <p>Shrikumar, Greenside and Kundaje, "Learning Important Features Through Propagating Activation Differences",
 * ICML 2017, arXiv:1704.02685.
 *
 * <p>Needs an {@link Nd4jImageModel}: the Rescale rule is a backward mode of its engine.
 */
public final class DeepLift implements AttributionMethod {

    /** The reference unless {@link Builder#optBaseline} says otherwise: the zero (black) image, as Captum's. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** Input changes below which a nonlinearity uses its gradient: Captum's default. */
    public static final double DEFAULT_EPSILON = 1e-10;
    /** Input/reference pairs per engine call (each call runs twice as many rows). */
    public static final int DEFAULT_INTERNAL_BATCH_SIZE = 16;
    private static final String NAME = "DeepLift";

    private final Nd4jImageModel model;
    private final Baseline baseline;
    private final double epsilon;
    private final int internalBatchSize;
    private final ProgressListener progress;
    private final BackwardMode mode;

    private DeepLift(Builder b) {
        this.model = BackwardMode.engineModel(b.model, NAME);
        this.baseline = b.baseline;
        this.epsilon = b.epsilon;
        this.internalBatchSize = b.internalBatchSize;
        this.progress = b.progress;
        this.mode = BackwardMode.rescale(epsilon);
    }

    /**
     * Starts configuring DeepLift.
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
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        objective.validate(model, n);
        INDArray references = RescalePairs.references(baseline, inputs);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        RescalePairs.Result result = RescalePairs.run(model, inputs, references, objective, rows, mode,
                internalBatchSize, progress, NAME);
        double[] sums = RescalePairs.sums(result.attributions());
        double[] difference = new double[n];
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) {
            difference[i] = result.atInputs()[i] - result.atReferences()[i];
            delta[i] = sums[i] - difference[i];
        }
        return new Attribution(NAME, result.attributions(), objective, delta, 0, null, n, difference);
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "DeepLift[baseline=%s, epsilon=%s, internalBatchSize=%d]", baseline, epsilon,
                internalBatchSize);
    }

    /**
     * Builder: required {@link #setModel}; optional {@link #optBaseline}, {@link #optEpsilon},
     * {@link #optInternalBatchSize}, {@link #optProgressListener}.
     */
    public static final class Builder {
        private ImageModel model;
        private Baseline baseline = DEFAULT_BASELINE;
        private double epsilon = DEFAULT_EPSILON;
        private int internalBatchSize = DEFAULT_INTERNAL_BATCH_SIZE;
        private ProgressListener progress = ProgressListener.NONE;

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
         * The reference input x0, made per example, in the model's input space. Default {@link #DEFAULT_BASELINE}.
         *
         * @param baseline the reference
         * @return this builder
         */
        public Builder optBaseline(Baseline baseline) {
            if (baseline == null) {
                throw new NullPointerException("baseline must not be null");
            }
            this.baseline = baseline;
            return this;
        }

        /**
         * Input changes {@code |x - x0|} below this use the gradient instead of the ratio. Default
         * {@link #DEFAULT_EPSILON}.
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
         * Input/reference pairs per engine call. Default {@link #DEFAULT_INTERNAL_BATCH_SIZE}.
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder optInternalBatchSize(int size) {
            this.internalBatchSize = Checks.positive(size, "internal batch size");
            return this;
        }

        /**
         * Receives model passes done / planned after each pass, and can cancel the call between passes.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) {
            if (listener == null) {
                throw new NullPointerException("progress listener must not be null (use ProgressListener.NONE)");
            }
            this.progress = listener;
            return this;
        }

        /**
         * Builds DeepLift.
         *
         * @return the configured method
         * @throws NullPointerException     if no model was set
         * @throws IllegalArgumentException if the model is not an {@link Nd4jImageModel}
         */
        public DeepLift build() {
            return new DeepLift(this);
        }
    }
}
