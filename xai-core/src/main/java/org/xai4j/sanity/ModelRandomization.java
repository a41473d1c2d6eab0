package org.xai4j.sanity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ProgressListener;
import org.xai4j.compare.Correlation;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.ReinitializableModel;
import org.xai4j.internal.Checks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cascading model-parameter randomization test: the weights of the layers are re-drawn one by one from the output
 * towards the input (each step keeps the earlier randomizations), the explainer is re-run on every randomized model,
 * and each map is compared with the original by Spearman rank correlation. An explanation that depends on what the
 * model learned must change: correlations should fall as the cascade proceeds.
 *
 * <p>Adebayo et al., "Sanity Checks for Saliency Maps", NeurIPS 2018. Convolution (plain and depthwise) and dense weights are re-drawn He
 * normal ({@code N(0, 2 / fan_in)}) and their biases set to zero, from a {@link Random} seeded per layer (ND4J's
 * generator is never used). Maps are reduced to one value per pixel by {@link PixelRelevance#ABSOLUTE_SUM} by default
 * (the paper compares absolute maps; use {@link PixelRelevance#SUM_OF_ABSOLUTE_VALUES} for its PAIR saliency
 * reduction).
 *
 * <p>Each randomized model is closed once explained. After every step of the cascade the run reports progress
 * ({@link Builder#optProgressListener}) and stops with an {@link org.xai4j.ExplanationCancelledException} if its thread
 * was interrupted or the listener cancels; an explainer that checks for cancellation itself (integrated gradients,
 * noise tunnels, Score-CAM: give them the same listener) stops within the step.
 */
public final class ModelRandomization {

    private static final String NAME = "ModelRandomization";

    private final ReinitializableModel model;
    private final MapExplainer explainer;
    private final List<String> layers;
    private final PixelRelevance reduction;
    private final long seed;
    private final ProgressListener progress;

    private ModelRandomization(Builder b) {
        if (b.model == null) {
            throw new NullPointerException("model is required: call setModel");
        }
        if (b.explainer == null) {
            throw new NullPointerException("explainer is required: call setExplainer");
        }
        this.model = b.model;
        this.explainer = b.explainer;
        List<String> weighted = model.weightedLayers();
        if (b.layers == null) {
            List<String> topDown = new ArrayList<>(weighted);
            java.util.Collections.reverse(topDown);
            this.layers = List.copyOf(topDown);
        } else {
            if (b.layers.isEmpty()) {
                throw new IllegalArgumentException("give at least one layer to randomize; layers with weights are " + weighted);
            }
            for (String layer : b.layers) {
                Checks.oneOf(layer, model.layerNames(), "layer");
                if (!weighted.contains(layer)) {
                    throw new IllegalArgumentException("layer '" + layer + "' has no weights to randomize; expected one of "
                            + weighted);
                }
            }
            this.layers = List.copyOf(b.layers);
        }
        this.reduction = java.util.Objects.requireNonNull(b.reduction, "reduction must not be null");
        this.seed = b.seed;
        this.progress = java.util.Objects.requireNonNull(b.progress,
                "progress listener must not be null (use ProgressListener.NONE)");
    }

    /**
     * Starts configuring a randomization test.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    /** Runs the cascade on {@code inputs} for the classes {@code targets} (one per image or one for all). */
    public RandomizationResult run(INDArray inputs, int... targets) {
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        if (targets == null || targets.length == 0) {
            targets = org.xai4j.Predictions.predictedClasses(model, inputs);
        }
        int n = (int) inputs.size(0);
        ProgressListener.checkpoint(progress, NAME, 0, layers.size());
        INDArray original = reduction.reduce(explainer.explain(model, inputs, targets));
        double[][] spearman = new double[layers.size()][n];
        Set<String> randomized = new HashSet<>();
        for (int step = 0; step < layers.size(); step++) {
            randomized.add(layers.get(step));
            INDArray maps;
            try (ImageModel random = model.withReinitializedLayers(randomized, seed)) {
                maps = reduction.reduce(explainer.explain(random, inputs, targets));
            }
            for (int i = 0; i < n; i++) {
                spearman[step][i] = Correlation.spearman(original.get(NDArrayIndex.point(i)).dup().reshape(-1).toDoubleVector(),
                        maps.get(NDArrayIndex.point(i)).dup().reshape(-1).toDoubleVector());
            }
            progress.onProgress(NAME, step + 1, layers.size());
            ProgressListener.checkpoint(progress, NAME, step + 1, layers.size());
        }
        return new RandomizationResult(layers, spearman);
    }

    @Override public String toString() {
        return "ModelRandomization[cascade=" + layers + ", reduction=" + reduction + ", seed=" + seed + "]";
    }

    /**
     * Builder: required {@code setModel}, {@code setExplainer}; optional {@code optLayers}, {@code optReduction},
     * {@code optSeed}, {@code optProgressListener}.
     */
    public static final class Builder {
        private ReinitializableModel model;
        private MapExplainer explainer;
        private List<String> layers;
        private PixelRelevance reduction = PixelRelevance.ABSOLUTE_SUM;
        private long seed;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

        /** The trained model (required); randomized copies are rebuilt from its {@link NetworkSpec}. */
        public Builder setModel(ReinitializableModel model) { this.model = model; return this; }

        /** The explainer under test (required). */
        public Builder setExplainer(MapExplainer explainer) { this.explainer = explainer; return this; }

        /** The cascade order (default: every convolution and dense layer, from the output to the input). */
        public Builder optLayers(List<String> layers) { this.layers = layers == null ? null : List.copyOf(layers); return this; }

        /** How maps become one value per pixel before they are compared (default {@link PixelRelevance#ABSOLUTE_SUM}). */
        public Builder optReduction(PixelRelevance reduction) { this.reduction = reduction; return this; }

        /** Seed of the re-drawn weights (default 0). */
        public Builder optSeed(long seed) { this.seed = seed; return this; }

        /**
         * Receives cascade steps done / total after every randomized model is explained (default: none), and can
         * cancel the run ({@link ProgressListener#isCancelled()}).
         *
         * @param listener the listener; not null
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) { this.progress = listener; return this; }

        /**
         * Creates the test, resolving the default cascade from the model's layers.
         *
         * @return the configured {@code ModelRandomization}
         * @throws IllegalArgumentException if the model, explainer or progress listener is missing, or
         *                                  {@code optLayers} is empty or names a layer that is unknown or has no
         *                                  weights
         */
        public ModelRandomization build() { return new ModelRandomization(this); }
    }
}
