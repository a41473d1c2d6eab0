package org.xai4j.surrogate;

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
 * LIME: a sparse linear model of {@code F} over random coalitions of features (present features keep the input, absent
 * ones take the baseline), each sample weighted by its similarity to the input; the model's coefficients are the
 * features' attributions.
 *
 * <p>Ribeiro, Singh and Guestrin, "'Why Should I Trust You?': Explaining the Predictions of Any Classifier", KDD 2016.
 *
 * <p>Semantics are Captum 0.8.0's {@code Lime} with its defaults: every feature is present with probability 1/2,
 * independently; a sample's weight is the exponential kernel {@code exp(-d^2 / (2 width^2))} of the cosine distance
 * {@code d = 1 - cos(x, x_sample)} between the flattened input and the flattened perturbed input (width 1); the
 * surrogate is scikit-learn's {@code Lasso(alpha=0.01)} with sample weights and an intercept
 * ({@link WeightedLinearRegression#lasso}, solved to convergence; alpha 0 gives weighted least squares). Options give
 * the Euclidean distance and other widths and penalties.
 *
 * <p>Differences from Captum: draws come from a {@link java.util.Random} seeded with {@link Builder#optSeed seed}
 * afresh for every example (Captum uses torch's global generator); features that cover no pixel are left out of the
 * regression and get 0. The default features are {@link Segmentation#DEFAULT} (Captum's default, every scalar, would
 * be one feature per pixel and channel).
 *
 * <p>Cancellation: after each model pass the call stops with an {@link org.xai4j.ExplanationCancelledException} if
 * its thread was interrupted or the progress listener cancels.
 */
public final class Lime extends FeaturePerturbationMethod {

    /** How far a perturbed input is from the input, for the sample weights. */
    public enum Distance {
        /** {@code 1 - cos(x, x')} on the flattened inputs (Captum's default). */
        COSINE,
        /** {@code |x - x'|_2} on the flattened inputs. */
        EUCLIDEAN
    }

    /** Samples per example unless {@link Builder#optSamples} says otherwise: Captum's 25. */
    public static final int DEFAULT_SAMPLES = 25;
    /** The seed unless {@link Builder#optSeed} says otherwise. */
    public static final long DEFAULT_SEED = 42;
    /** The features unless {@link Builder#optSegmentation} says otherwise: {@link Segmentation#DEFAULT}. */
    public static final Segmentation DEFAULT_SEGMENTATION = Segmentation.DEFAULT;
    /** The value of absent features unless {@link Builder#optBaseline} says otherwise: 0, as Captum. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** The kernel's distance unless {@link Builder#optDistance} says otherwise. */
    public static final Distance DEFAULT_DISTANCE = Distance.COSINE;
    /** The kernel's width unless {@link Builder#optKernelWidth} says otherwise (Captum's 1.0). */
    public static final double DEFAULT_KERNEL_WIDTH = 1.0;
    /** The lasso penalty unless {@link Builder#optAlpha} says otherwise (Captum's {@code SkLearnLasso(alpha=0.01)}). */
    public static final double DEFAULT_ALPHA = 0.01;
    /** Copies per model pass unless {@link Builder#optPerturbationsPerEval} says otherwise. */
    public static final int DEFAULT_PERTURBATIONS_PER_EVAL = 16;
    private static final String NAME = "Lime";
    // torch.nn.CosineSimilarity's eps: norms are clamped to it.
    private static final double COSINE_EPS = 1e-8;

    private final int samples;
    private final long seed;
    private final Distance distance;
    private final double kernelWidth;
    private final double alpha;

    private Lime(Builder b) {
        super(NAME, b);
        this.samples = b.samples;
        this.seed = b.seed;
        this.distance = b.distance;
        this.kernelWidth = b.kernelWidth;
        this.alpha = b.alpha;
    }

    /** A builder; {@link Builder#setModel(ImageModel)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The surrogate's coefficient of each feature, per example.
     *
     * @param inputs    a batch {@code [n, c, h, w]}
     * @param objective what to explain
     * @return per example, its feature mask and one coefficient per feature
     */
    @Override public FeatureAttribution attributeFeatures(INDArray inputs, Objective objective) {
        return super.attributeFeatures(inputs, objective);
    }

    @Override protected long modelPasses(int example, int features) {
        return passes(samples);
    }

    @Override protected double[] example(PerturbedInputs perturbed, FeatureMask mask) {
        int[] features = Segmentations.nonEmptyFeatures(mask);
        int m = features.length;
        int[][] pixels = Segmentations.pixelsOf(mask, features);
        Random random = new Random(seed);
        double[][] coalitions = new double[samples][m];
        for (int s = 0; s < samples; s++) {
            for (int f = 0; f < m; f++) {
                coalitions[s][f] = random.nextBoolean() ? 1 : 0;
            }
        }
        double[] weights = new double[samples];
        boolean[] coalition = new boolean[m];
        double[] outputs = perturbed.evaluate(samples, (s, present) -> {
            for (int f = 0; f < m; f++) {
                coalition[f] = coalitions[s][f] != 0;
            }
            Segmentations.fill(present, pixels, coalition);
            weights[s] = similarity(perturbed.exampleValues(), perturbed.baselineValues(), present, distance,
                    kernelWidth);
        });
        double[] coefficients = WeightedLinearRegression.lasso(coalitions, outputs, weights, alpha).coefficients();
        double[] result = new double[mask.count()];
        for (int f = 0; f < m; f++) {
            result[features[f]] = coefficients[f];
        }
        return result;
    }

    /**
     * The exponential kernel of the distance between the input and a perturbed input.
     *
     * @param x        the input, CHW
     * @param b        the baseline, CHW
     * @param present  per pixel, whether the perturbed input keeps the input's value (all channels)
     * @param distance the distance
     * @param width    the kernel width
     * @return {@code exp(-d^2 / (2 width^2))}
     */
    static double similarity(double[] x, double[] b, boolean[] present, Distance distance, double width) {
        int pixels = present.length;
        double dot = 0;
        double xx = 0;
        double pp = 0;
        double squaredDifference = 0;
        for (int e = 0; e < x.length; e++) {
            double p = present[e % pixels] ? x[e] : b[e];
            dot += x[e] * p;
            xx += x[e] * x[e];
            pp += p * p;
            squaredDifference += (x[e] - p) * (x[e] - p);
        }
        double d = distance == Distance.COSINE
                ? 1 - dot / (Math.max(Math.sqrt(xx), COSINE_EPS) * Math.max(Math.sqrt(pp), COSINE_EPS))
                : Math.sqrt(squaredDifference);
        return Math.exp(-d * d / (2 * width * width));
    }

    @Override public String toString() {
        return "Lime[samples=" + samples + ", seed=" + seed + ", segmentation=" + segmentation() + ", baseline="
                + baseline() + ", distance=" + distance + ", kernelWidth=" + kernelWidth + ", alpha=" + alpha
                + ", perturbationsPerEval=" + perturbationsPerEval() + "]";
    }

    /** Builder: required {@link #setModel}; the other settings are optional. */
    public static final class Builder extends FeaturePerturbationMethod.Builder<Builder> {
        private int samples = DEFAULT_SAMPLES;
        private long seed = DEFAULT_SEED;
        private Distance distance = DEFAULT_DISTANCE;
        private double kernelWidth = DEFAULT_KERNEL_WIDTH;
        private double alpha = DEFAULT_ALPHA;

        private Builder() {
            super(DEFAULT_SEGMENTATION, DEFAULT_BASELINE, DEFAULT_PERTURBATIONS_PER_EVAL);
        }

        /**
         * Random coalitions per example (default {@value Lime#DEFAULT_SAMPLES}).
         *
         * @param samples at least 1
         * @return this builder
         */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * The seed of the coalitions (default {@value Lime#DEFAULT_SEED}); each example starts from it.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The distance of the similarity kernel (default cosine).
         *
         * @param distance cosine or Euclidean
         * @return this builder
         */
        public Builder optDistance(Distance distance) {
            this.distance = distance;
            return this;
        }

        /**
         * The width of the similarity kernel (default {@value Lime#DEFAULT_KERNEL_WIDTH}).
         *
         * @param width a finite positive number
         * @return this builder
         */
        public Builder optKernelWidth(double width) {
            this.kernelWidth = width;
            return this;
        }

        /**
         * The lasso penalty of the surrogate (default {@value Lime#DEFAULT_ALPHA}); 0 fits weighted least squares.
         *
         * @param alpha a finite number {@code >= 0}
         * @return this builder
         */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the method
         * @throws NullPointerException     if no model was set, or an option was set to null
         * @throws IllegalArgumentException naming a bad value
         */
        public Lime build() {
            requireModel();
            Checks.positive(samples, "LIME samples");
            if (distance == null) {
                throw new NullPointerException("distance must not be null (the default is COSINE)");
            }
            if (!(kernelWidth > 0) || !Double.isFinite(kernelWidth)) {
                throw new IllegalArgumentException("LIME kernel width must be a finite positive number, got "
                        + kernelWidth);
            }
            if (!(alpha >= 0) || !Double.isFinite(alpha)) {
                throw new IllegalArgumentException("LIME lasso alpha must be a finite number >= 0, got " + alpha);
            }
            checkSharedOptions();
            return new Lime(this);
        }
    }
}
