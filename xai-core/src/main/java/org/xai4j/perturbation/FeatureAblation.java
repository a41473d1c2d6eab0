package org.xai4j.perturbation;

import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.internal.PerturbedInputs;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;

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
public final class FeatureAblation extends FeaturePerturbationMethod {

    /** The features unless {@link Builder#optSegmentation} says otherwise: {@link Segmentation#DEFAULT}. */
    public static final Segmentation DEFAULT_SEGMENTATION = Segmentation.DEFAULT;
    /** What ablated features become unless {@link Builder#optBaseline} says otherwise: 0, as Captum. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** Ablated copies per model pass unless {@link Builder#optPerturbationsPerEval} says otherwise. */
    public static final int DEFAULT_PERTURBATIONS_PER_EVAL = 16;
    private static final String NAME = "FeatureAblation";

    private FeatureAblation(Builder b) {
        super(NAME, b);
    }

    /** A builder; {@link Builder#setModel(ImageModel)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override protected long modelPasses(int example, int features) {
        return 1 + passes(features);
    }

    @Override protected double[] example(PerturbedInputs perturbed, FeatureMask mask) {
        int[] labels = mask.labels();
        int[] nonEmpty = Segmentations.nonEmptyFeatures(mask);
        double fx = perturbed.evaluateExample();
        double[] ablated = perturbed.evaluate(nonEmpty.length, (f, present) -> {
            for (int p = 0; p < present.length; p++) {
                present[p] = labels[p] != nonEmpty[f];
            }
        });
        double[] values = new double[mask.count()];
        for (int f = 0; f < nonEmpty.length; f++) {
            values[nonEmpty[f]] = fx - ablated[f];
        }
        return values;
    }

    @Override public String toString() {
        return "FeatureAblation[segmentation=" + segmentation() + ", baseline=" + baseline() + ", perturbationsPerEval="
                + perturbationsPerEval() + "]";
    }

    /** Builder: required {@link #setModel}; optional segmentation, baseline, batch and progress listener. */
    public static final class Builder extends FeaturePerturbationMethod.Builder<Builder> {

        private Builder() {
            super(DEFAULT_SEGMENTATION, DEFAULT_BASELINE, DEFAULT_PERTURBATIONS_PER_EVAL);
        }

        /**
         * Validates and builds.
         *
         * @return the method
         * @throws NullPointerException     if no model was set, or an option was set to null
         * @throws IllegalArgumentException naming a bad value
         */
        public FeatureAblation build() {
            requireModel();
            checkSharedOptions();
            return new FeatureAblation(this);
        }
    }
}
