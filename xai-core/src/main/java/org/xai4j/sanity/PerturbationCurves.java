package org.xai4j.sanity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;
import org.xai4j.internal.Release;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Deletion and insertion curves: pixels are removed from the image (deletion) or added to a baseline (insertion) in
 * decreasing order of the explanation map, and the model's score for the target is recorded after each step. A
 * faithful map makes the score fall fast under deletion (low area) and rise fast under insertion (high area).
 *
 * <p>Petsiuk, Das and Saenko, "RISE: Randomized Input Sampling for Explanation of Black-box Models", BMVC 2018.
 * A pixel is a spatial position: all its channels are replaced together. Rank-4 maps are reduced by
 * {@link PixelRelevance#SUM} first (signed: reduce them with {@link PixelRelevance#ABSOLUTE_SUM} if magnitude should
 * rank pixels). Ties in the map are broken by position (row-major),
 * so curves are deterministic. Defaults: 16 steps (17 points), the softmax probability of the target as the score,
 * a zero (black) baseline, 32 perturbed images per forward pass. After every forward pass the call reports progress
 * ({@link Builder#optProgressListener}) and stops with an {@link org.xai4j.ExplanationCancelledException} if its
 * thread was interrupted or the listener cancels.
 */
public final class PerturbationCurves {

    private final ImageModel model;
    private final int steps;
    private final Baseline baseline;
    private final boolean probability;
    private final int batchSize;
    private final ProgressListener progress;

    private PerturbationCurves(Builder b) {
        if (b.model == null) {
            throw new NullPointerException("model is required: call setModel");
        }
        if (b.baseline == null) {
            throw new NullPointerException("baseline must not be null");
        }
        this.model = b.model;
        this.steps = Checks.positive(b.steps, "steps");
        this.baseline = b.baseline;
        this.probability = b.probability;
        this.batchSize = Checks.positive(b.batchSize, "batch size");
        if (b.progress == null) {
            throw new IllegalArgumentException("progress listener must not be null (use ProgressListener.NONE)");
        }
        this.progress = b.progress;
    }

    /**
     * Starts configuring deletion and insertion curves.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    /** The deletion curve: top-ranked pixels of the input are replaced by the baseline first. */
    public PerturbationCurve deletion(INDArray inputs, INDArray maps, int... targets) {
        return curve(true, inputs, maps, targets);
    }

    /** The insertion curve: top-ranked pixels of the input are put into the baseline first. */
    public PerturbationCurve insertion(INDArray inputs, INDArray maps, int... targets) {
        return curve(false, inputs, maps, targets);
    }

    private PerturbationCurve curve(boolean deletion, INDArray inputs, INDArray maps, int[] targets) {
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        INDArray spatial = PixelRelevance.SUM.reduce(maps);
        long[] in = model.inputShape();
        int n = (int) inputs.size(0);
        if (spatial.size(0) != n || spatial.size(1) != in[1] || spatial.size(2) != in[2]) {
            throw new IllegalArgumentException("maps have shape " + Arrays.toString(maps.shape()) + " but the inputs need ["
                    + n + ", " + in[1] + ", " + in[2] + "] (or with a channel axis)");
        }
        InputChecks.finite(spatial, "maps");
        if (targets == null || targets.length == 0) {
            targets = org.xai4j.Predictions.predictedClasses(model, inputs);
        }
        Objective score = probability ? Objective.classProbability(targets) : Objective.classLogit(targets);
        score.validate(model, n);
        int channels = (int) in[0];
        int pixels = (int) (in[1] * in[2]);
        int points = steps + 1;
        double[] fractions = new double[points];
        int[] counts = new int[points];
        for (int s = 0; s < points; s++) {
            counts[s] = (int) Math.round((double) s * pixels / steps);
            fractions[s] = (double) counts[s] / pixels;
        }
        double[][] scores = new double[n][points];
        double[] auc = new double[n];
        String task = deletion ? "deletion curve" : "insertion curve";
        long total = (long) n * points;
        ProgressListener.checkpoint(progress, task, 0, total);
        for (int i = 0; i < n; i++) {
            INDArray example = inputs.get(NDArrayIndex.interval(i, i + 1)).castTo(DataType.DOUBLE);
            double[] x = example.dup('c').data().asDouble();
            double[] b = baseline.create(example, i).castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] m = spatial.get(NDArrayIndex.point(i)).dup('c').reshape(-1).toDoubleVector();
            int[] order = IntStream.range(0, pixels).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(p -> -m[p]).thenComparingInt(p -> p))
                    .mapToInt(Integer::intValue).toArray();
            double[] from = deletion ? x : b;
            double[] to = deletion ? b : x;
            for (int start = 0; start < points; start += batchSize) {
                int end = Math.min(points, start + batchSize);
                double[] batch = new double[(end - start) * channels * pixels];
                for (int s = start; s < end; s++) {
                    int offset = (s - start) * channels * pixels;
                    System.arraycopy(from, 0, batch, offset, channels * pixels);
                    for (int k = 0; k < counts[s]; k++) {
                        int p = order[k];
                        for (int c = 0; c < channels; c++) {
                            batch[offset + c * pixels + p] = to[c * pixels + p];
                        }
                    }
                }
                INDArray images = Nd4j.create(batch, new long[] {end - start, in[0], in[1], in[2]}, DataType.DOUBLE);
                int[] rows = new int[end - start];
                Arrays.fill(rows, i);
                INDArray typed = images.castTo(model.dataType());
                INDArray evaluated = score.forRows(rows).evaluate(model, typed);
                double[] values = evaluated.castTo(DataType.DOUBLE).toDoubleVector();
                Release.arrays(images, typed, evaluated);
                System.arraycopy(values, 0, scores[i], start, end - start);
                long done = (long) i * points + end;
                progress.onProgress(task, done, total);
                ProgressListener.checkpoint(progress, task, done, total);
            }
            for (int s = 1; s < points; s++) {
                auc[i] += (fractions[s] - fractions[s - 1]) * (scores[i][s] + scores[i][s - 1]) / 2;
            }
        }
        return new PerturbationCurve(deletion ? "deletion" : "insertion", fractions, scores, auc);
    }

    @Override public String toString() {
        return "PerturbationCurves[steps=" + steps + ", baseline=" + baseline + ", score="
                + (probability ? "probability" : "logit") + "]";
    }

    /**
     * Builder: required {@code setModel}; optional {@code optSteps}, {@code optBaseline}, {@code optProbability},
     * {@code optBatchSize}, {@code optProgressListener}.
     */
    public static final class Builder {
        private ImageModel model;
        private int steps = 16;
        private Baseline baseline = Baseline.zero();
        private boolean probability = true;
        private int batchSize = 32;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

        /** The model (required). */
        public Builder setModel(ImageModel model) { this.model = model; return this; }

        /** Perturbation steps; the curve has steps + 1 points (default 16). */
        public Builder optSteps(int steps) { this.steps = steps; return this; }

        /** What deleted pixels become, and what insertion starts from (default {@link Baseline#zero()}). */
        public Builder optBaseline(Baseline baseline) { this.baseline = baseline; return this; }

        /** Score with the softmax probability (default true) or the logit of the target. */
        public Builder optProbability(boolean probability) { this.probability = probability; return this; }

        /** Perturbed images per forward pass (default 32). */
        public Builder optBatchSize(int batchSize) { this.batchSize = batchSize; return this; }

        /**
         * Receives curve points scored / total after every forward pass (default: none), and can cancel the call
         * ({@link ProgressListener#isCancelled()}).
         *
         * @param listener the listener; not null
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) { this.progress = listener; return this; }

        /**
         * Creates the curve builder.
         *
         * @return the configured {@code PerturbationCurves}
         * @throws IllegalArgumentException if the model, baseline or progress listener is missing, or the steps or
         *                                  batch size are not positive
         */
        public PerturbationCurves build() { return new PerturbationCurves(this); }
    }
}
