package org.xai4j.shapley;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;
import org.xai4j.internal.PerturbedInputs;
import org.xai4j.perturbation.FeatureAttribution;
import org.xai4j.perturbation.FeaturePerturbationMethod;
import org.xai4j.perturbation.Segmentations;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;

import java.util.Random;

/**
 * Shapley value sampling: the features are added one by one, in a random order, to the baseline; each feature's
 * attribution is the mean, over the orders, of the change of {@code F} when it was added. Every order's changes sum to
 * {@code F(x) - F(baseline)} (efficiency holds exactly, whatever the number of samples); with every order
 * ({@link Builder#optAllPermutations}) the result is the exact Shapley value of the features.
 *
 * <p>Castro, Gómez and Tejada, "Polynomial calculation of the Shapley value based on sampling", Computers &amp;
 * Operations Research 36(5), 2009; Štrumbelj and Kononenko, "An efficient explanation of individual classifications
 * using game theory", JMLR 11, 2010.
 *
 * <p>Semantics are Captum 0.8.0's {@code ShapleyValueSampling} ({@code n_samples=25} permutations by default) and,
 * with all permutations, {@code ShapleyValues}, with a feature mask broadcast over channels. Differences: the
 * permutations come from a {@link java.util.Random} seeded with {@link Builder#optSeed seed} afresh for every example
 * (so an example's result does not depend on the rest of the batch; Captum draws from torch's global generator);
 * features that cover no pixel are left out of the permutations (they change nothing and get 0); copies from several
 * permutations share a model pass ({@link Builder#optPerturbationsPerEval perturbationsPerEval} copies per pass). The
 * default features are {@link Segmentation#DEFAULT} (Captum's default, every scalar, would be one feature per pixel and
 * channel).
 *
 * <p>Cancellation: after each model pass the call stops with an {@link org.xai4j.ExplanationCancelledException} if
 * its thread was interrupted or the progress listener cancels.
 */
public final class ShapleyValueSampling extends FeaturePerturbationMethod {

    /** Permutations per example unless {@link Builder#optSamples} says otherwise (Captum's {@code n_samples}). */
    public static final int DEFAULT_SAMPLES = 25;
    /** The seed of the permutations unless {@link Builder#optSeed} says otherwise. */
    public static final long DEFAULT_SEED = 42;
    /** The features unless {@link Builder#optSegmentation} says otherwise: {@link Segmentation#DEFAULT}. */
    public static final Segmentation DEFAULT_SEGMENTATION = Segmentation.DEFAULT;
    /** The value of absent features unless {@link Builder#optBaseline} says otherwise: 0, as Captum. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** Copies per model pass unless {@link Builder#optPerturbationsPerEval} says otherwise. */
    public static final int DEFAULT_PERTURBATIONS_PER_EVAL = 16;
    /** The most features {@link Builder#optAllPermutations} enumerates (10! orders), as Captum warns beyond. */
    public static final int MAX_FEATURES_FOR_ALL_PERMUTATIONS = 10;
    private static final String NAME = "ShapleyValueSampling";
    // Copies evaluated per chunk of permutations: bounds the memory of the model outputs kept at once.
    private static final int COPIES_PER_CHUNK = 4096;

    private final int samples;
    private final long seed;
    private final boolean allPermutations;

    private ShapleyValueSampling(Builder b) {
        super(NAME, b);
        this.samples = b.samples;
        this.seed = b.seed;
        this.allPermutations = b.allPermutations;
    }

    /** A builder; {@link Builder#setModel(ImageModel)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The Shapley value estimate of each feature of each example.
     *
     * @param inputs    a batch {@code [n, c, h, w]}
     * @param objective what to explain
     * @return per example, its feature mask and one value per feature
     * @throws IllegalArgumentException if all permutations are asked for and an example has more than
     *                                  {@value #MAX_FEATURES_FOR_ALL_PERMUTATIONS} features
     */
    @Override public FeatureAttribution attributeFeatures(INDArray inputs, Objective objective) {
        return super.attributeFeatures(inputs, objective);
    }

    @Override protected long modelPasses(int example, int m) {
        if (allPermutations && m > MAX_FEATURES_FOR_ALL_PERMUTATIONS) {
            throw new IllegalArgumentException("all permutations of " + m + " features (example " + example + ") is "
                    + "too many: at most " + MAX_FEATURES_FOR_ALL_PERMUTATIONS + "; use a coarser segmentation or "
                    + "sample permutations");
        }
        return 1 + passes((long) permutationCount(m) * m);
    }

    @Override protected double[] example(PerturbedInputs perturbed, FeatureMask mask) {
        int[] features = Segmentations.nonEmptyFeatures(mask);
        int m = features.length;
        int[][] pixels = Segmentations.pixelsOf(mask, features);
        double fBaseline = perturbed.evaluateBaseline();
        Orders orders = allPermutations ? new AllOrders(m) : new RandomOrders(m, new Random(seed));
        int count = permutationCount(m);
        int perChunk = Math.max(1, COPIES_PER_CHUNK / m);
        double[] sums = new double[m];
        for (int first = 0; first < count; first += perChunk) {
            int chunk = Math.min(perChunk, count - first);
            int[][] order = new int[chunk][];
            for (int s = 0; s < chunk; s++) {
                order[s] = orders.next();
            }
            // Copy s * m + j holds the first j + 1 features of order s; each copy adds one feature to the previous.
            double[] value = perturbed.evaluate(chunk * m, (copy, present) -> {
                int[] o = order[copy / m];
                int j = copy % m;
                if (j == 0) {
                    java.util.Arrays.fill(present, false);
                }
                for (int p : pixels[o[j]]) {
                    present[p] = true;
                }
            });
            for (int s = 0; s < chunk; s++) {
                double previous = fBaseline;
                for (int j = 0; j < m; j++) {
                    double current = value[s * m + j];
                    sums[order[s][j]] += current - previous;
                    previous = current;
                }
            }
        }
        double[] result = new double[mask.count()];
        for (int f = 0; f < m; f++) {
            result[features[f]] = sums[f] / count;
        }
        return result;
    }

    private int permutationCount(int m) {
        if (!allPermutations) {
            return samples;
        }
        int count = 1;
        for (int k = 2; k <= m; k++) {
            count *= k;
        }
        return count;
    }

    /** A source of feature orders. */
    private interface Orders {
        int[] next();
    }

    /** Uniformly random orders (Fisher-Yates shuffles). */
    private record RandomOrders(int m, Random random) implements Orders {
        @Override public int[] next() {
            int[] order = new int[m];
            for (int k = 0; k < m; k++) {
                order[k] = k;
            }
            for (int k = m - 1; k > 0; k--) {
                int swap = random.nextInt(k + 1);
                int t = order[k];
                order[k] = order[swap];
                order[swap] = t;
            }
            return order;
        }
    }

    /** Every order once, in lexicographic order (as {@code itertools.permutations}). */
    private static final class AllOrders implements Orders {
        private final int[] current;
        private boolean started;

        AllOrders(int m) {
            current = new int[m];
            for (int k = 0; k < m; k++) {
                current[k] = k;
            }
        }

        @Override public int[] next() {
            if (started) {
                int i = current.length - 2;
                while (i >= 0 && current[i] > current[i + 1]) {
                    i--;
                }
                if (i < 0) {
                    throw new IllegalStateException("no more permutations");
                }
                int j = current.length - 1;
                while (current[j] < current[i]) {
                    j--;
                }
                swap(i, j);
                for (int a = i + 1, b = current.length - 1; a < b; a++, b--) {
                    swap(a, b);
                }
            }
            started = true;
            return current.clone();
        }

        private void swap(int a, int b) {
            int t = current[a];
            current[a] = current[b];
            current[b] = t;
        }
    }

    @Override public String toString() {
        return "ShapleyValueSampling[" + (allPermutations ? "all permutations" : "samples=" + samples + ", seed=" + seed)
                + ", segmentation=" + segmentation() + ", baseline=" + baseline() + ", perturbationsPerEval="
                + perturbationsPerEval() + "]";
    }

    /** Builder: required {@link #setModel}; optional samples, seed, segmentation, baseline, batch and listener. */
    public static final class Builder extends FeaturePerturbationMethod.Builder<Builder> {
        private int samples = DEFAULT_SAMPLES;
        private long seed = DEFAULT_SEED;
        private boolean allPermutations;

        private Builder() {
            super(DEFAULT_SEGMENTATION, DEFAULT_BASELINE, DEFAULT_PERTURBATIONS_PER_EVAL);
        }

        /**
         * Random permutations per example (default {@value ShapleyValueSampling#DEFAULT_SAMPLES}); ignored with
         * {@link #optAllPermutations}.
         *
         * @param samples at least 1
         * @return this builder
         */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * The seed of the permutations (default {@value ShapleyValueSampling#DEFAULT_SEED}); each example starts
         * from it.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether to take every permutation of the features instead of samples (Captum's {@code ShapleyValues}):
         * exact Shapley values, deterministic, for at most {@value ShapleyValueSampling#MAX_FEATURES_FOR_ALL_PERMUTATIONS}
         * features (default false).
         *
         * @param all true for every permutation
         * @return this builder
         */
        public Builder optAllPermutations(boolean all) {
            this.allPermutations = all;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the method
         * @throws NullPointerException     if no model was set, or an option was set to null
         * @throws IllegalArgumentException naming a bad value
         */
        public ShapleyValueSampling build() {
            requireModel();
            Checks.positive(samples, "Shapley samples");
            checkSharedOptions();
            return new ShapleyValueSampling(this);
        }
    }
}
