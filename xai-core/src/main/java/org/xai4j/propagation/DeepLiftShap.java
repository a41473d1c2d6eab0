package org.xai4j.propagation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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

import java.util.List;
import java.util.Locale;

/**
 * DeepLiftShap: DeepLift (Rescale rule, see {@link DeepLift}) against each of several references, averaged. The
 * attributions of an example sum to {@code F(x) - mean_k F(x0_k)}; the error is the
 * {@link Attribution#convergenceDelta()} (the mean of the per-reference errors) and {@code F(x) - mean_k F(x0_k)} the
 * {@link Attribution#outputDifference()}.
 *
 * <p>Equal to Captum 0.8.0's {@code DeepLiftShap} (each input paired with every baseline, the attributions averaged
 * over baselines), with {@link DeepLift}'s documented differences; Captum asks for at least two baselines, one is
 * accepted here (then the result is DeepLift's).
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017, arXiv:1705.07874;
 * Shrikumar, Greenside and Kundaje, "Learning Important Features Through Propagating Activation Differences",
 * ICML 2017, arXiv:1704.02685.
 *
 * <p>Needs an {@link Nd4jImageModel}: the Rescale rule is a backward mode of its engine.
 */
public final class DeepLiftShap implements AttributionMethod {

    /** The references unless {@link Builder#optBaselines} says otherwise: the zero image alone, as GradientShap's. */
    public static final List<Baseline> DEFAULT_BASELINES = List.of(Baseline.zero());
    /** Input changes below which a nonlinearity uses its gradient: Captum's default. */
    public static final double DEFAULT_EPSILON = DeepLift.DEFAULT_EPSILON;
    /** Input/reference pairs per engine call (each call runs twice as many rows). */
    public static final int DEFAULT_INTERNAL_BATCH_SIZE = DeepLift.DEFAULT_INTERNAL_BATCH_SIZE;
    private static final String NAME = "DeepLiftShap";

    private final Nd4jImageModel model;
    private final List<Baseline> baselines;
    private final double epsilon;
    private final int internalBatchSize;
    private final ProgressListener progress;
    private final BackwardMode mode;

    private DeepLiftShap(Builder b) {
        this.model = BackwardMode.engineModel(b.model, NAME);
        this.baselines = b.baselines;
        this.epsilon = b.epsilon;
        this.internalBatchSize = b.internalBatchSize;
        this.progress = b.progress;
        this.mode = BackwardMode.rescale(epsilon);
    }

    /**
     * Starts configuring DeepLiftShap.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() {
        return model;
    }

    /** The references, in order. */
    public List<Baseline> baselines() {
        return baselines;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        int b = baselines.size();
        objective.validate(model, n);
        // Pair (i, k) is row i * b + k: input i repeated, baseline k made for input i (Captum's repeat_interleave).
        long[] pairShape = inputs.shape().clone();
        pairShape[0] = (long) n * b;
        INDArray repeated = Nd4j.create(inputs.dataType(), pairShape);
        INDArray references = Nd4j.create(inputs.dataType(), pairShape);
        int[] exampleOfRow = new int[n * b];
        for (int k = 0; k < b; k++) {
            INDArray made = RescalePairs.references(baselines.get(k), inputs);
            for (int i = 0; i < n; i++) {
                int row = i * b + k;
                exampleOfRow[row] = i;
                repeated.get(NDArrayIndex.interval(row, row + 1)).assign(inputs.get(NDArrayIndex.interval(i, i + 1)));
                references.get(NDArrayIndex.interval(row, row + 1)).assign(made.get(NDArrayIndex.interval(i, i + 1)));
            }
        }
        RescalePairs.Result result = RescalePairs.run(model, repeated, references, objective, exampleOfRow, mode,
                internalBatchSize, progress, NAME);
        long[] grouped = new long[pairShape.length + 1];
        grouped[0] = n;
        grouped[1] = b;
        System.arraycopy(pairShape, 1, grouped, 2, pairShape.length - 1);
        INDArray values = result.attributions().reshape(grouped).mean(1);
        double[] sums = RescalePairs.sums(values);
        double[] difference = new double[n];
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) {
            double meanReference = 0;
            for (int k = 0; k < b; k++) {
                meanReference += result.atReferences()[i * b + k] / b;
            }
            difference[i] = result.atInputs()[i * b] - meanReference;
            delta[i] = sums[i] - difference[i];
        }
        return new Attribution(NAME, values, objective, delta, 0, null, (long) n * b, difference);
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "DeepLiftShap[baselines=%s, epsilon=%s, internalBatchSize=%d]", baselines,
                epsilon, internalBatchSize);
    }

    /**
     * Builder: required {@link #setModel}; optional {@link #optBaselines}, {@link #optEpsilon},
     * {@link #optInternalBatchSize}, {@link #optProgressListener}.
     */
    public static final class Builder {
        private ImageModel model;
        private List<Baseline> baselines = DEFAULT_BASELINES;
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
         * The references averaged over, each made per example. Default {@link #DEFAULT_BASELINES}.
         *
         * @param baselines at least one, none null
         * @return this builder
         */
        public Builder optBaselines(List<Baseline> baselines) {
            if (baselines == null) {
                throw new NullPointerException("baselines must not be null");
            }
            if (baselines.isEmpty()) {
                throw new IllegalArgumentException("baselines must hold at least one baseline, got none");
            }
            for (int k = 0; k < baselines.size(); k++) {
                if (baselines.get(k) == null) {
                    throw new NullPointerException("baseline " + k + " must not be null");
                }
            }
            this.baselines = List.copyOf(baselines);
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
         * Builds DeepLiftShap.
         *
         * @return the configured method
         * @throws NullPointerException     if no model was set
         * @throws IllegalArgumentException if the model is not an {@link Nd4jImageModel}
         */
        public DeepLiftShap build() {
            return new DeepLiftShap(this);
        }
    }
}
