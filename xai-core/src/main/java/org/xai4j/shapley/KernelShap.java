package org.xai4j.shapley;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.PerturbedInputs;
import org.xai4j.perturbation.FeatureAttribution;
import org.xai4j.perturbation.FeaturePerturbationMethod;
import org.xai4j.perturbation.Segmentations;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;
import org.xai4j.surrogate.WeightedLinearRegression;

import java.util.Random;

/**
 * KernelSHAP: a linear model of {@code F} over coalitions of features (present features keep the input, absent ones
 * take the baseline), fitted by weighted least squares with the Shapley kernel; its coefficients estimate the
 * features' Shapley values.
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017.
 *
 * <p>Semantics are Captum 0.8.0's {@code KernelShap}: the first two samples are the full and the empty coalition,
 * weighted {@value #ENDPOINT_WEIGHT} (standing in for the kernel's infinite weight, which forces the fit through
 * {@code F(x)} and {@code F(baseline)}); every further sample draws a coalition size {@code k} in {@code 1..M-1} with
 * probability proportional to {@code (M - 1) / (k (M - k))}, then {@code k} features uniformly, and has weight 1 (the
 * sampling already follows the kernel); the fit is scikit-learn's {@code LinearRegression} with sample weights and an
 * intercept ({@link WeightedLinearRegression#leastSquares}). With {@link Builder#optAllCoalitions} every one of the
 * {@code 2^M} coalitions is used once, weighted by the Shapley kernel {@code (M - 1) / (C(M, k) k (M - k))} (endpoints
 * {@value #ENDPOINT_WEIGHT}): the fit then gives the exact Shapley values up to the finite endpoint weight.
 *
 * <p>Differences from Captum: draws come from a {@link java.util.Random} seeded with {@link Builder#optSeed seed}
 * afresh for every example (Captum uses torch's global generator); features that cover no pixel are left out of the
 * regression and get 0; with a single feature the two endpoint samples are all there is (Captum's size distribution is
 * undefined there). The default features are {@link Segmentation#DEFAULT}.
 *
 * <p>Cancellation: after each model pass the call stops with an {@link org.xai4j.ExplanationCancelledException} if
 * its thread was interrupted or the progress listener cancels.
 */
public final class KernelShap extends FeaturePerturbationMethod {

    /** Samples per example (endpoints included) unless {@link Builder#optSamples} says otherwise: Captum's 25. */
    public static final int DEFAULT_SAMPLES = 25;
    /** The seed unless {@link Builder#optSeed} says otherwise. */
    public static final long DEFAULT_SEED = 42;
    /** The features unless {@link Builder#optSegmentation} says otherwise: {@link Segmentation#DEFAULT}. */
    public static final Segmentation DEFAULT_SEGMENTATION = Segmentation.DEFAULT;
    /** The value of absent features unless {@link Builder#optBaseline} says otherwise: 0, as Captum. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** Copies per model pass unless {@link Builder#optPerturbationsPerEval} says otherwise. */
    public static final int DEFAULT_PERTURBATIONS_PER_EVAL = 16;
    /** The most features {@link Builder#optAllCoalitions} enumerates (2^16 coalitions). */
    public static final int MAX_FEATURES_FOR_ALL_COALITIONS = 16;
    /** The weight of the full and the empty coalition (Captum's {@code inf_weight}). */
    public static final double ENDPOINT_WEIGHT = 1_000_000.0;
    private static final String NAME = "KernelShap";

    private final int samples;
    private final long seed;
    private final boolean allCoalitions;

    private KernelShap(Builder b) {
        super(NAME, b);
        this.samples = b.samples;
        this.seed = b.seed;
        this.allCoalitions = b.allCoalitions;
    }

    /** A builder; {@link Builder#setModel(ImageModel)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The KernelSHAP estimate of each feature's Shapley value, per example.
     *
     * @param inputs    a batch {@code [n, c, h, w]}
     * @param objective what to explain
     * @return per example, its feature mask and one value per feature
     * @throws IllegalArgumentException if all coalitions are asked for and an example has more than
     *                                  {@value #MAX_FEATURES_FOR_ALL_COALITIONS} features
     */
    @Override public FeatureAttribution attributeFeatures(INDArray inputs, Objective objective) {
        return super.attributeFeatures(inputs, objective);
    }

    @Override protected long modelPasses(int example, int m) {
        if (allCoalitions && m > MAX_FEATURES_FOR_ALL_COALITIONS) {
            throw new IllegalArgumentException("all coalitions of " + m + " features (example " + example + ") is too "
                    + "many: at most " + MAX_FEATURES_FOR_ALL_COALITIONS + "; use a coarser segmentation or "
                    + "sample coalitions");
        }
        return passes(sampleCount(m));
    }

    private int sampleCount(int m) {
        if (allCoalitions) {
            return 1 << m;
        }
        return m == 1 ? Math.min(samples, 2) : samples;
    }

    @Override protected double[] example(PerturbedInputs perturbed, FeatureMask mask) {
        int[] features = Segmentations.nonEmptyFeatures(mask);
        int m = features.length;
        int[][] pixels = Segmentations.pixelsOf(mask, features);
        int count = sampleCount(m);
        double[][] coalitions = new double[count][m];
        double[] weights = new double[count];
        if (allCoalitions) {
            for (int s = 0; s < count; s++) {
                int k = Integer.bitCount(s);
                for (int f = 0; f < m; f++) {
                    coalitions[s][f] = (s >> f) & 1;
                }
                weights[s] = k == 0 || k == m ? ENDPOINT_WEIGHT
                        : (m - 1) / (binomial(m, k) * k * (double) (m - k));
            }
        } else {
            Random random = new Random(seed);
            double[] sizeCdf = sizeDistribution(m);
            for (int s = 0; s < count; s++) {
                if (s == 0) {
                    java.util.Arrays.fill(coalitions[s], 1);
                    weights[s] = ENDPOINT_WEIGHT;
                } else if (s == 1) {
                    weights[s] = ENDPOINT_WEIGHT;
                } else {
                    int k = drawSize(sizeCdf, random);
                    for (int f : chooseFeatures(m, k, random)) {
                        coalitions[s][f] = 1;
                    }
                    weights[s] = 1;
                }
            }
        }
        boolean[] coalition = new boolean[m];
        double[] outputs = perturbed.evaluate(count, (s, present) -> {
            for (int f = 0; f < m; f++) {
                coalition[f] = coalitions[s][f] != 0;
            }
            Segmentations.fill(present, pixels, coalition);
        });
        double[] coefficients = WeightedLinearRegression.leastSquares(coalitions, outputs, weights).coefficients();
        double[] result = new double[mask.count()];
        for (int f = 0; f < m; f++) {
            result[features[f]] = coefficients[f];
        }
        return result;
    }

    /** The cumulative distribution of coalition sizes 1..m-1, proportional to (m - 1) / (k (m - k)). */
    static double[] sizeDistribution(int m) {
        double[] cdf = new double[m];
        double sum = 0;
        for (int k = 1; k < m; k++) {
            sum += (m - 1) / ((double) k * (m - k));
            cdf[k] = sum;
        }
        for (int k = 1; k < m; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    static int drawSize(double[] cdf, Random random) {
        double u = random.nextDouble();
        for (int k = 1; k < cdf.length; k++) {
            if (u < cdf[k]) {
                return k;
            }
        }
        return cdf.length - 1;
    }

    /** {@code k} distinct features chosen uniformly (a partial Fisher-Yates shuffle). */
    static int[] chooseFeatures(int m, int k, Random random) {
        int[] order = new int[m];
        for (int f = 0; f < m; f++) {
            order[f] = f;
        }
        for (int f = 0; f < k; f++) {
            int swap = f + random.nextInt(m - f);
            int t = order[f];
            order[f] = order[swap];
            order[swap] = t;
        }
        return java.util.Arrays.copyOf(order, k);
    }

    private static double binomial(int m, int k) {
        double result = 1;
        for (int j = 1; j <= k; j++) {
            result = result * (m - k + j) / j;
        }
        return result;
    }

    @Override public String toString() {
        return "KernelShap[" + (allCoalitions ? "all coalitions" : "samples=" + samples + ", seed=" + seed)
                + ", segmentation=" + segmentation() + ", baseline=" + baseline() + ", perturbationsPerEval="
                + perturbationsPerEval() + "]";
    }

    /** Builder: required {@link #setModel}; optional samples, seed, segmentation, baseline, batch and listener. */
    public static final class Builder extends FeaturePerturbationMethod.Builder<Builder> {
        private int samples = DEFAULT_SAMPLES;
        private long seed = DEFAULT_SEED;
        private boolean allCoalitions;

        private Builder() {
            super(DEFAULT_SEGMENTATION, DEFAULT_BASELINE, DEFAULT_PERTURBATIONS_PER_EVAL);
        }

        /**
         * Coalitions sampled per example, the full and the empty one included (default
         * {@value KernelShap#DEFAULT_SAMPLES}); ignored with {@link #optAllCoalitions}.
         *
         * @param samples at least 2
         * @return this builder
         */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * The seed of the coalitions (default {@value KernelShap#DEFAULT_SEED}); each example starts from it.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether to fit on every coalition, weighted by the Shapley kernel, instead of samples: exact Shapley values,
         * deterministic, for at most {@value KernelShap#MAX_FEATURES_FOR_ALL_COALITIONS} features (default false).
         *
         * @param all true for every coalition
         * @return this builder
         */
        public Builder optAllCoalitions(boolean all) {
            this.allCoalitions = all;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the method
         * @throws NullPointerException     if no model was set, or an option was set to null
         * @throws IllegalArgumentException naming a bad value
         */
        public KernelShap build() {
            requireModel();
            if (samples < 2) {
                throw new IllegalArgumentException("KernelSHAP needs at least 2 samples (the full and the empty "
                        + "coalition), got " + samples);
            }
            checkSharedOptions();
            return new KernelShap(this);
        }
    }
}
