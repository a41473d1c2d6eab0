package org.xai4j.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.internal.Checks;
import org.xai4j.internal.PerturbedInputs;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;

import java.util.List;

/**
 * Feature ablation: each feature (segment) of the image is replaced by the baseline on its own; its attribution, on
 * every pixel and channel it covers, is {@code F(x) - F(x with the feature ablated)}.
 *
 * <p>A leave-one-out perturbation method; Captum 0.8.0's {@code FeatureAblation} with a feature mask broadcast over
 * channels is the reference. Captum ablates every scalar on its own when no mask is given; for images that is one
 * model pass per pixel and channel, so here the default is {@link Segmentation#DEFAULT} ({@code grid:16}). Ablated
 * copies go through the model {@link Builder#optPerturbationsPerEval perturbationsPerEval} at a time; features that
 * cover no pixel are not evaluated and get 0.
 *
 * <p>Cancellation: after each model pass the call stops with an {@link org.xai4j.ExplanationCancelledException} if
 * its thread was interrupted or the progress listener cancels.
 */
public final class FeatureAblation implements AttributionMethod {

    /** The features unless {@link Builder#optSegmentation} says otherwise: {@link Segmentation#DEFAULT}. */
    public static final Segmentation DEFAULT_SEGMENTATION = Segmentation.DEFAULT;
    /** What ablated features become unless {@link Builder#optBaseline} says otherwise: 0, as Captum. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** Ablated copies per model pass unless {@link Builder#optPerturbationsPerEval} says otherwise. */
    public static final int DEFAULT_PERTURBATIONS_PER_EVAL = 16;
    private static final String NAME = "FeatureAblation";

    private final ImageModel model;
    private final Segmentation segmentation;
    private final Baseline baseline;
    private final int perturbationsPerEval;
    private final ProgressListener progress;

    private FeatureAblation(Builder b) {
        this.model = b.model;
        this.segmentation = b.segmentation;
        this.baseline = b.baseline;
        this.perturbationsPerEval = b.perturbationsPerEval;
        this.progress = b.progress;
    }

    /** A builder; {@link Builder#setModel(ImageModel)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() {
        return model;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        return attributeFeatures(inputs, objective).toAttribution((int) inputs.size(1), model.dataType());
    }

    /**
     * The attribution of each feature of each example.
     *
     * @param inputs    a batch {@code [n, c, h, w]}
     * @param objective what to explain
     * @return per example, its feature mask and one value per feature
     */
    public FeatureAttribution attributeFeatures(INDArray inputs, Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        Checks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        objective.validate(model, n);
        INDArray x = inputs.castTo(model.dataType());
        List<FeatureMask> masks = Segmentations.masks(segmentation, x);
        long total = 0;
        for (FeatureMask mask : masks) {
            total += 1 + PerturbedInputs.passes(Segmentations.nonEmptyFeatures(mask).length, perturbationsPerEval);
        }
        ProgressListener.checkpoint(progress, NAME, 0, total);
        double[][] values = new double[n][];
        long done = 0;
        long evaluations = 0;
        for (int i = 0; i < n; i++) {
            FeatureMask mask = masks.get(i);
            int[] labels = mask.labels();
            int[] nonEmpty = Segmentations.nonEmptyFeatures(mask);
            PerturbedInputs perturbed = PerturbedInputs.forExample(model, objective, x, i, baseline,
                    perturbationsPerEval, progress, NAME);
            perturbed.plan(done, total);
            double fx = perturbed.evaluateExample();
            double[] ablated = perturbed.evaluate(nonEmpty.length, (f, present) -> {
                for (int p = 0; p < present.length; p++) {
                    present[p] = labels[p] != nonEmpty[f];
                }
            });
            values[i] = new double[mask.count()];
            for (int f = 0; f < nonEmpty.length; f++) {
                values[i][nonEmpty[f]] = fx - ablated[f];
            }
            done = perturbed.done();
            evaluations += perturbed.evaluations();
        }
        return new FeatureAttribution(NAME, masks, values, objective, evaluations);
    }

    @Override public String toString() {
        return "FeatureAblation[segmentation=" + segmentation + ", baseline=" + baseline + ", perturbationsPerEval="
                + perturbationsPerEval + "]";
    }

    /** Builder: required {@link #setModel}; optional segmentation, baseline, batch and progress listener. */
    public static final class Builder {
        private ImageModel model;
        private Segmentation segmentation = DEFAULT_SEGMENTATION;
        private Baseline baseline = DEFAULT_BASELINE;
        private int perturbationsPerEval = DEFAULT_PERTURBATIONS_PER_EVAL;
        private ProgressListener progress = ProgressListener.NONE;

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
         * How pixels are grouped into features (default {@code grid:16}).
         *
         * @param segmentation e.g. {@code Segmentation.parse("slic:50")}
         * @return this builder
         */
        public Builder optSegmentation(Segmentation segmentation) {
            this.segmentation = segmentation;
            return this;
        }

        /**
         * What ablated features become (default 0, Captum's default).
         *
         * @param baseline the baseline, per example
         * @return this builder
         */
        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /**
         * Ablated copies of an example per model pass (default
         * {@value FeatureAblation#DEFAULT_PERTURBATIONS_PER_EVAL}); it changes speed and memory, not results.
         *
         * @param perturbations at least 1
         * @return this builder
         */
        public Builder optPerturbationsPerEval(int perturbations) {
            this.perturbationsPerEval = perturbations;
            return this;
        }

        /**
         * Receives model passes done / planned after each pass, and can cancel the call.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) {
            this.progress = listener;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the method
         * @throws NullPointerException     if no model was set, or an option was set to null
         * @throws IllegalArgumentException naming a bad value
         */
        public FeatureAblation build() {
            if (model == null) {
                throw new NullPointerException("model is required: call setModel");
            }
            Segmentations.checkOptions(segmentation, baseline, perturbationsPerEval, progress);
            return new FeatureAblation(this);
        }
    }
}
