package org.xai4j.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.Objective;
import org.xai4j.internal.PerturbedInputs;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;

import java.util.List;

/**
 * What the feature-based perturbation methods share ({@link FeatureAblation}, and in other packages Shapley value
 * sampling, KernelSHAP and LIME): a {@link Segmentation} that groups the pixels of each example into features, and one
 * value per feature ({@link FeatureAttribution}), spread over the feature's pixels in every channel for
 * {@link #attribute}.
 */
public abstract class FeaturePerturbationMethod extends PerturbationMethod {

    private final Segmentation segmentation;

    /**
     * Takes the settings of a validated builder.
     *
     * @param name the method's name, for results, progress and cancellation
     * @param b    the builder, validated by its {@code build()}
     */
    protected FeaturePerturbationMethod(String name, Builder<?> b) {
        super(name, b);
        this.segmentation = b.segmentation;
    }

    /** How pixels are grouped into features. */
    protected final Segmentation segmentation() {
        return segmentation;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        return attributeFeatures(inputs, objective).toAttribution((int) inputs.size(1), model().dataType());
    }

    /**
     * The attribution of each feature of each example.
     *
     * @param inputs    a batch {@code [n, c, h, w]}
     * @param objective what to explain
     * @return per example, its feature mask and one value per feature
     */
    public FeatureAttribution attributeFeatures(INDArray inputs, Objective objective) {
        INDArray x = checkedInputs(inputs, objective);
        List<FeatureMask> masks = Segmentations.masks(segmentation, x);
        long total = 0;
        for (int i = 0; i < masks.size(); i++) {
            total += modelPasses(i, Segmentations.nonEmptyFeatures(masks.get(i)).length);
        }
        Values result = perExample(x, objective, total, (perturbed, i) -> example(perturbed, masks.get(i)));
        return new FeatureAttribution(name(), masks, result.values(), objective, result.evaluations());
    }

    /**
     * The model passes one example takes; checked for every example before any is evaluated, so it may reject an
     * example that the method cannot handle.
     *
     * @param example  the example's index in the batch
     * @param features its features that cover at least one pixel
     * @return model passes
     * @throws IllegalArgumentException naming the example, if the method cannot handle it
     */
    protected abstract long modelPasses(int example, int features);

    /**
     * One example's value per feature.
     *
     * @param perturbed the example's perturbed copies
     * @param mask      its features
     * @return {@code mask.count()} values; features that cover no pixel get 0
     */
    protected abstract double[] example(PerturbedInputs perturbed, FeatureMask mask);

    /**
     * Adds {@link #optSegmentation} to the shared builder settings; its default is the method's
     * {@code DEFAULT_SEGMENTATION}.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> extends PerturbationMethod.Builder<B> {
        Segmentation segmentation;

        /**
         * A builder with the method's defaults.
         *
         * @param defaultSegmentation         the method's {@code DEFAULT_SEGMENTATION}
         * @param defaultBaseline             the method's {@code DEFAULT_BASELINE}
         * @param defaultPerturbationsPerEval the method's {@code DEFAULT_PERTURBATIONS_PER_EVAL}
         */
        protected Builder(Segmentation defaultSegmentation, Baseline defaultBaseline,
                          int defaultPerturbationsPerEval) {
            super(defaultBaseline, defaultPerturbationsPerEval);
            this.segmentation = defaultSegmentation;
        }

        /**
         * How pixels are grouped into features (default the method's {@code DEFAULT_SEGMENTATION},
         * {@link Segmentation#DEFAULT}).
         *
         * @param segmentation e.g. {@code Segmentation.parse("slic:50")}
         * @return this builder
         */
        public B optSegmentation(Segmentation segmentation) {
            this.segmentation = segmentation;
            return self();
        }

        /**
         * Checks the segmentation, then the shared options.
         *
         * @throws NullPointerException if the segmentation is null, or as {@link PerturbationMethod.Builder}
         */
        @Override protected void checkSharedOptions() {
            if (segmentation == null) {
                throw new NullPointerException("segmentation must not be null (the default is grid:16)");
            }
            super.checkSharedOptions();
        }
    }
}
