package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.AttributionMethod;
import org.xai4j.ProgressListener;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;
import org.xai4j.engine.RandomArrays;
import org.xai4j.internal.Checks;
import org.xai4j.internal.Release;

import java.util.Arrays;
import java.util.Random;

/**
 * A noise tunnel: runs an attribution method on noisy copies of each input and aggregates the results.
 * {@link Aggregation#SMOOTHGRAD} averages them, {@link Aggregation#SMOOTHGRAD_SQUARED} averages their squares,
 * {@link Aggregation#VARGRAD} takes their variance.
 *
 * <p>Smilkov, Thorat, Kim, Viégas and Wattenberg, "SmoothGrad: removing noise by adding noise", arXiv:1706.03825,
 * 2017; Adebayo et al., "Local Explanation Methods for Deep Neural Networks Lack Sensitivity to Parameter Values",
 * 2018 (VarGrad).
 *
 * <p>The noise is Gaussian with standard deviation {@code noiseLevel * (max(x) - min(x))} per example (the paper's
 * parameterization; 0.1-0.2 works well), drawn from a generator seeded per call, so results are reproducible and no
 * global random state is touched. Noisy copies are sent to the inner method in batches of {@code samplesPerBatch}
 * copies; after each batch the call reports progress and stops with an {@link org.xai4j.ExplanationCancelledException}
 * if its thread was interrupted or the progress listener cancels (the inner method checks as well, between its own
 * internal batches).
 */
public final class NoiseTunnel implements AttributionMethod {

    /** How the attributions of the noisy copies are combined. */
    public enum Aggregation {
        /** The mean of the noisy attributions (Smilkov et al. 2017). */
        SMOOTHGRAD,
        /** The mean of their squares. */
        SMOOTHGRAD_SQUARED,
        /** Their variance (Adebayo et al. 2018). */
        VARGRAD
    }

    /** Noisy copies per input unless {@link Builder#optSamples} says otherwise. */
    public static final int DEFAULT_SAMPLES = 25;
    /** Noise standard deviation as a fraction of each input's value range by default (SmoothGrad's 10-20%). */
    public static final double DEFAULT_NOISE_LEVEL = 0.15;
    /** The noise seed by default. */
    public static final long DEFAULT_SEED = 42;
    /** Noisy copies per model pass by default. */
    public static final int DEFAULT_SAMPLES_PER_BATCH = 8;
    private static final String NAME = "NoiseTunnel";

    private final AttributionMethod method;
    private final Aggregation aggregation;
    private final int samples;
    private final double noiseLevel;
    private final long seed;
    private final int samplesPerBatch;
    private final ProgressListener progress;

    private NoiseTunnel(Builder b) {
        this.method = b.method;
        this.aggregation = b.aggregation;
        this.samples = b.samples;
        this.noiseLevel = b.noiseLevel;
        this.seed = b.seed;
        this.samplesPerBatch = b.samplesPerBatch;
        this.progress = b.progress;
    }

    /** A builder; {@link Builder#setMethod(AttributionMethod)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() {
        return method.model();
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        InputChecks.imageBatch(inputs, model().inputShape(), "input");
        int n = (int) inputs.size(0);
        objective.validate(model(), n);
        ProgressListener.checkpoint(progress, NAME, 0, samples);
        INDArray x = inputs.castTo(model().dataType());
        Random random = new Random(seed);
        INDArray sum = Nd4j.zeros(x.dataType(), x.shape());
        INDArray sumSquares = Nd4j.zeros(x.dataType(), x.shape());
        try {
            return aggregate(x, objective, random, sum, sumSquares);
        } finally {
            Release.arrays(sum, sumSquares);
        }
    }

    private Attribution aggregate(INDArray x, Objective objective, Random random, INDArray sum, INDArray sumSquares) {
        int n = (int) x.size(0);
        long evaluations = 0;
        double[] deltaSum = new double[n];
        double[] differenceSum = new double[n];
        boolean hasDelta = false;
        boolean hasDifference = false;
        int done = 0;
        while (done < samples) {
            int copies = Math.min(samplesPerBatch, samples - done);
            long[] shape = x.shape().clone();
            shape[0] = (long) n * copies;
            INDArray noisy = Nd4j.create(x.dataType(), shape);
            int[] exampleOfRow = new int[n * copies];
            for (int c = 0; c < copies; c++) {
                for (int i = 0; i < n; i++) {
                    INDArray example = x.get(NDArrayIndex.interval(i, i + 1));
                    double sigma = noiseLevel * (example.maxNumber().doubleValue() - example.minNumber().doubleValue());
                    INDArray noise = RandomArrays.gaussian(random, sigma, x.dataType(), example.shape());
                    int row = c * n + i;
                    noisy.get(NDArrayIndex.interval(row, row + 1)).assign(noise.addi(example));
                    Release.arrays(noise);
                    exampleOfRow[row] = i;
                }
            }
            Attribution a = method.attribute(noisy, objective.forRows(exampleOfRow));
            Release.arrays(noisy);
            INDArray values = a.values();
            double[] delta = a.convergenceDelta();
            for (int c = 0; c < copies; c++) {
                INDArray part = values.get(NDArrayIndex.interval((long) c * n, (long) (c + 1) * n));
                sum.addi(part);
                INDArray square = part.mul(part);
                sumSquares.addi(square);
                Release.arrays(square);
                for (int i = 0; i < n && delta.length > 0; i++) {
                    deltaSum[i] += delta[c * n + i];
                    hasDelta = true;
                }
                double[] difference = a.outputDifference();
                for (int i = 0; i < n && difference.length > 0; i++) {
                    differenceSum[i] += difference[c * n + i];
                    hasDifference = true;
                }
            }
            evaluations += a.gradientEvaluations();
            Release.arrays(values);
            done += copies;
            progress.onProgress(NAME, done, samples);
            ProgressListener.checkpoint(progress, NAME, done, samples);
        }
        INDArray mean = sum.div(samples);
        INDArray result = switch (aggregation) {
            case SMOOTHGRAD -> mean;
            case SMOOTHGRAD_SQUARED -> sumSquares.div(samples);
            case VARGRAD -> sumSquares.div(samples).subi(mean.mul(mean));
        };
        double[] delta = hasDelta ? Arrays.stream(deltaSum).map(d -> d / samples).toArray() : null;
        double[] difference = hasDelta && hasDifference ? Arrays.stream(differenceSum).map(d -> d / samples).toArray()
                : null;
        // steps reports the noisy samples: what a noise tunnel's cost and accuracy depend on
        return new Attribution("NoiseTunnel(" + aggregation + ", " + method + ")", result, objective, delta, samples, null,
                evaluations, difference);
    }

    @Override public String toString() {
        return "NoiseTunnel[" + aggregation + ", samples=" + samples + ", noiseLevel=" + noiseLevel + ", seed=" + seed
                + ", method=" + method + "]";
    }

    /** Builder for {@link NoiseTunnel}. */
    public static final class Builder {
        private AttributionMethod method;
        private Aggregation aggregation = Aggregation.SMOOTHGRAD;
        private int samples = DEFAULT_SAMPLES;
        private double noiseLevel = DEFAULT_NOISE_LEVEL;
        private long seed = DEFAULT_SEED;
        private int samplesPerBatch = DEFAULT_SAMPLES_PER_BATCH;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

        /** The attribution method run on each noisy copy (required), e.g. {@link Saliency}. */
        public Builder setMethod(AttributionMethod method) {
            this.method = method;
            return this;
        }

        /** How the copies' attributions are combined (default SmoothGrad, the mean). */
        public Builder optAggregation(Aggregation aggregation) {
            this.aggregation = aggregation;
            return this;
        }

        /** Noisy copies per input (default {@value NoiseTunnel#DEFAULT_SAMPLES}). */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Noise standard deviation as a fraction of each input's value range (default 0.15). */
        public Builder optNoiseLevel(double level) {
            this.noiseLevel = level;
            return this;
        }

        /** Random seed of the noise (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Noisy copies of each input sent to the inner method at once (default 8). */
        public Builder optSamplesPerBatch(int copies) {
            this.samplesPerBatch = copies;
            return this;
        }

        /**
         * Receives samples done / total after every batch of copies, and can cancel the call
         * ({@link ProgressListener#isCancelled()}).
         */
        public Builder optProgressListener(ProgressListener listener) {
            this.progress = listener;
            return this;
        }

        /** Validates and builds. */
        public NoiseTunnel build() {
            if (method == null) {
                throw new NullPointerException("method is required: call setMethod");
            }
            if (aggregation == null) {
                throw new NullPointerException("aggregation must not be null");
            }
            Checks.positive(samples, "samples");
            Checks.positive(samplesPerBatch, "samples per batch");
            if (!(noiseLevel >= 0) || !Double.isFinite(noiseLevel)) {
                throw new IllegalArgumentException("noise level must be a finite fraction >= 0, got " + noiseLevel);
            }
            if (progress == null) {
                throw new NullPointerException("progress listener must not be null (use ProgressListener.NONE)");
            }
            return new NoiseTunnel(this);
        }
    }
}
