package org.xai4j.shapley;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.AttributionMethod;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;
import org.xai4j.internal.Release;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * GradientSHAP (expected gradients): the mean, over random samples, of {@code (x~ - b) * dF/dx(b + a (x~ - b))}, where
 * {@code b} is drawn uniformly from the baselines, {@code a} uniformly from [0, 1], and {@code x~} is the input plus
 * Gaussian noise (none by default). In expectation it is integrated gradients averaged over the baselines, so for a
 * linear model it equals {@code (x - E[b]) * w}.
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017; Erion, Janizek, Sturmfels,
 * Lundberg and Lee, "Improving performance of deep learning models with axiomatic attribution priors and expected
 * gradients", Nature Machine Intelligence 3, 2021.
 *
 * <p>Semantics are Captum 0.8.0's {@code GradientShap} ({@code n_samples=5}, {@code stdevs=0.0}, multiplying by
 * {@code x~ - b}: the noisy input, as Captum's noise tunnel passes it to {@code InputBaselineXGradient}). Captum takes
 * the baselines as one tensor to draw rows from; here they are a list of {@link Baseline}s, each made per example.
 * Draws come from a {@link java.util.Random} seeded with {@link Builder#optSeed seed} afresh for every example, in the
 * order baseline index, noise, {@code a} per sample (Captum draws from numpy's and torch's global generators). Points
 * go through the model {@link Builder#optInternalBatchSize internalBatchSize} at a time.
 *
 * <p>Cancellation: after each model pass the call stops with an {@link org.xai4j.ExplanationCancelledException} if
 * its thread was interrupted or the progress listener cancels.
 */
public final class GradientShap implements AttributionMethod {

    /** Samples per example unless {@link Builder#optSamples} says otherwise: Captum's {@code n_samples=5}. */
    public static final int DEFAULT_SAMPLES = 5;
    /** The noise's standard deviation unless {@link Builder#optStdev} says otherwise: Captum's 0. */
    public static final double DEFAULT_STDEV = 0.0;
    /** The seed unless {@link Builder#optSeed} says otherwise. */
    public static final long DEFAULT_SEED = 42;
    /** The baselines unless {@link Builder#optBaselines} says otherwise: the zero image alone. */
    public static final List<Baseline> DEFAULT_BASELINES = List.of(Baseline.zero());
    /** Points per model pass unless {@link Builder#optInternalBatchSize} says otherwise. */
    public static final int DEFAULT_INTERNAL_BATCH_SIZE = 16;
    private static final String NAME = "GradientShap";

    private final ImageModel model;
    private final List<Baseline> baselines;
    private final int samples;
    private final double stdev;
    private final long seed;
    private final boolean multiplyByInputs;
    private final int internalBatchSize;
    private final ProgressListener progress;

    private GradientShap(Builder b) {
        this.model = b.model;
        this.baselines = List.copyOf(b.baselines);
        this.samples = b.samples;
        this.stdev = b.stdev;
        this.seed = b.seed;
        this.multiplyByInputs = b.multiplyByInputs;
        this.internalBatchSize = b.internalBatchSize;
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
        int n = Checks.attributionCall(model, inputs, objective);
        INDArray x = inputs.castTo(DataType.DOUBLE).dup('c');
        long[] exampleShape = {1, inputs.size(1), inputs.size(2), inputs.size(3)};
        int size = (int) (inputs.length() / n);
        long passesPerExample = (samples + internalBatchSize - 1) / internalBatchSize;
        long total = n * passesPerExample;
        ProgressListener.checkpoint(progress, NAME, 0, total);
        double[] result = new double[n * size];
        long done = 0;
        for (int i = 0; i < n; i++) {
            double[] example = Arrays.copyOfRange(x.data().asDouble(), i * size, (i + 1) * size);
            List<double[]> bases = new ArrayList<>();
            INDArray exampleArray = Nd4j.create(example, exampleShape, DataType.DOUBLE).castTo(model.dataType());
            for (Baseline baseline : baselines) {
                INDArray b = Checks.baselineFor(baseline, exampleArray, i);
                bases.add(b.castTo(DataType.DOUBLE).dup('c').data().asDouble());
            }
            Random random = new Random(seed);
            Objective rows = objective.forExample(i);
            for (int start = 0; start < samples; start += internalBatchSize) {
                int count = Math.min(internalBatchSize, samples - start);
                double[] points = new double[count * size];
                double[] differences = new double[count * size];
                for (int r = 0; r < count; r++) {
                    double[] b = bases.get(random.nextInt(bases.size()));
                    double[] noisy = example.clone();
                    if (stdev > 0) {
                        for (int e = 0; e < size; e++) {
                            noisy[e] += random.nextGaussian() * stdev;
                        }
                    }
                    double a = random.nextDouble();
                    for (int e = 0; e < size; e++) {
                        points[r * size + e] = a * noisy[e] + (1 - a) * b[e];
                        differences[r * size + e] = noisy[e] - b[e];
                    }
                }
                long[] shape = exampleShape.clone();
                shape[0] = count;
                INDArray batch = Nd4j.create(points, shape, DataType.DOUBLE).castTo(model.dataType());
                INDArray gradient = model.gradient(batch, rows.forRows(new int[count])).inputGradient();
                double[] g = gradient.castTo(DataType.DOUBLE).dup('c').data().asDouble();
                Release.arrays(batch, gradient);
                for (int r = 0; r < count; r++) {
                    for (int e = 0; e < size; e++) {
                        double term = multiplyByInputs ? differences[r * size + e] * g[r * size + e] : g[r * size + e];
                        result[i * size + e] += term / samples;
                    }
                }
                done++;
                progress.onProgress(NAME, done, total);
                ProgressListener.checkpoint(progress, NAME, done, total);
            }
            Release.arrays(exampleArray);
        }
        Release.arrays(x);
        INDArray values = Nd4j.create(result, inputs.shape(), DataType.DOUBLE).castTo(model.dataType());
        return new Attribution(NAME, values, objective, null, 0, null, (long) n * samples);
    }

    @Override public String toString() {
        return "GradientShap[baselines=" + baselines + ", samples=" + samples + ", stdev=" + stdev + ", seed=" + seed
                + ", multiplyByInputs=" + multiplyByInputs + ", internalBatchSize=" + internalBatchSize + "]";
    }

    /** Builder: required {@link #setModel}; the other settings are optional. */
    public static final class Builder {
        private ImageModel model;
        private List<Baseline> baselines = DEFAULT_BASELINES;
        private int samples = DEFAULT_SAMPLES;
        private double stdev = DEFAULT_STDEV;
        private long seed = DEFAULT_SEED;
        private boolean multiplyByInputs = true;
        private int internalBatchSize = DEFAULT_INTERNAL_BATCH_SIZE;
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
         * The baselines each sample draws one of, uniformly (default the zero image alone).
         *
         * @param baselines at least one
         * @return this builder
         */
        public Builder optBaselines(List<Baseline> baselines) {
            this.baselines = baselines;
            return this;
        }

        /**
         * Random samples per example (default {@value GradientShap#DEFAULT_SAMPLES}).
         *
         * @param samples at least 1
         * @return this builder
         */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * The standard deviation of the Gaussian noise added to the input, in input units (default 0: no noise).
         *
         * @param stdev a finite number {@code >= 0}
         * @return this builder
         */
        public Builder optStdev(double stdev) {
            this.stdev = stdev;
            return this;
        }

        /**
         * The seed of the draws (default {@value GradientShap#DEFAULT_SEED}); each example starts from it.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether to multiply the gradients by {@code x~ - b} (default true, Captum's {@code multiply_by_inputs});
         * false gives the expected gradient alone.
         *
         * @param multiply false for gradients alone
         * @return this builder
         */
        public Builder optMultiplyByInputs(boolean multiply) {
            this.multiplyByInputs = multiply;
            return this;
        }

        /**
         * Points per model pass (default {@value GradientShap#DEFAULT_INTERNAL_BATCH_SIZE}); it changes speed and
         * memory, not results.
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder optInternalBatchSize(int size) {
            this.internalBatchSize = size;
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
        public GradientShap build() {
            if (model == null) {
                throw new NullPointerException("model is required: call setModel");
            }
            if (baselines == null || baselines.stream().anyMatch(java.util.Objects::isNull)) {
                throw new NullPointerException("baselines must not be null or hold null");
            }
            if (baselines.isEmpty()) {
                throw new IllegalArgumentException("GradientSHAP needs at least one baseline");
            }
            Checks.positive(samples, "GradientSHAP samples");
            if (!(stdev >= 0) || !Double.isFinite(stdev)) {
                throw new IllegalArgumentException("GradientSHAP noise stdev must be a finite number >= 0, got " + stdev);
            }
            Checks.positive(internalBatchSize, "internal batch size");
            if (progress == null) {
                throw new NullPointerException("progress listener must not be null (use ProgressListener.NONE)");
            }
            return new GradientShap(this);
        }
    }
}
