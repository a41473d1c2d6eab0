package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ProgressListener;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;
import org.xai4j.internal.Release;

import java.util.Arrays;

/**
 * Score-CAM: gradient-free CAM whose channel weights come from the model's scores on the input masked by each
 * channel: each channel's activation is bilinearly upsampled to the input size and min-max normalized to [0, 1], the
 * input is multiplied by it, the objective is evaluated on these masked images in batched forward passes, and the map
 * is {@code ReLU(sum_k w_k A_k)}. Two definitions of the weights exist ({@link Variant}); the default is
 * pytorch-grad-cam's.
 *
 * <p>Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks", CVPR Workshops
 * 2020.
 *
 * <p>One forward pass per channel makes it the slow CAM: after every batch of masked images the call reports progress
 * ({@link Builder#optProgressListener}) and stops with an {@link org.xai4j.ExplanationCancelledException} if its
 * thread was interrupted or the listener cancels.
 */
public final class ScoreCam extends AbstractCam {

    /** How the masks are made and the masked scores become channel weights. */
    public enum Variant {
        /**
         * pytorch-grad-cam's {@code ScoreCAM} (commit 084273b), the default: masks upsampled with aligned corners
         * ({@code UpsamplingBilinear2d}, {@code align_corners=True}) and normalized as
         * {@code (m - min) / (max - min + 1e-8)}; the score of a masked image is the objective itself (a class's
         * logit for class targets); the weights are a softmax <em>over the channels</em> of these scores. This
         * departs from the paper: the weights sum to 1 and depend on the other channels' scores.
         */
        PYTORCH_GRAD_CAM,
        /**
         * The paper's definition: masks upsampled like every xai4j map ({@link Heatmaps#upsample}) and min-max
         * normalized (a constant channel gives an all-zero mask); the score of a masked image is the class's softmax
         * probability for class targets (the objective's value otherwise), and each weight is the increase of
         * confidence over the baseline, {@code w_k = f(X * H_k) - f(X_b)}, with the all-zero input as the baseline
         * {@code X_b}.
         */
        PAPER
    }

    private static final String NAME = "ScoreCam";
    /** pytorch-grad-cam's constant in the mask normalization's denominator. */
    private static final double MASK_EPS = 1e-8;

    /** Masked inputs per model pass by default. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final int batchSize;
    private final ProgressListener progress;
    private final Variant variant;

    private ScoreCam(Builder b) {
        super(b);
        this.batchSize = Checks.positive(b.batchSize, "batch size");
        if (b.progress == null) {
            throw new IllegalArgumentException("progress listener must not be null (use ProgressListener.NONE)");
        }
        if (b.variant == null) {
            throw new NullPointerException("variant must not be null; expected one of " + Arrays.toString(Variant.values()));
        }
        this.progress = b.progress;
        this.variant = b.variant;
    }

    /**
     * Starts configuring a Score-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray rawMaps(INDArray inputs, Objective objective) {
        boolean paper = variant == Variant.PAPER;
        Objective scored = paper && objective instanceof Objective.ClassLogit logit
                ? Objective.classProbability(logit.targets()) : objective;
        long n = inputs.size(0);
        int channels = (int) model.layerShape(layer)[0];
        long total = n * channels;
        ProgressListener.checkpoint(progress, NAME, 0, total);
        INDArray activation = model.activations(inputs, layer).castTo(DataType.DOUBLE);
        ProgressListener.checkpoint(progress, NAME, 0, total);
        long[] in = model.inputShape();
        INDArray baseline = paper
                ? scored.evaluate(model, Nd4j.zeros(model.dataType(), inputs.shape())).castTo(DataType.DOUBLE) : null;
        INDArray weights = Nd4j.zeros(DataType.DOUBLE, n, channels);
        for (int i = 0; i < n; i++) {
            INDArray masks = masks(activation.get(NDArrayIndex.point(i)), in[1], in[2]);  // [C, H, W]
            INDArray image = inputs.get(NDArrayIndex.interval(i, i + 1)).castTo(DataType.DOUBLE);
            for (int start = 0; start < channels; start += batchSize) {
                int end = Math.min(channels, start + batchSize);
                INDArray m = masks.get(NDArrayIndex.interval(start, end)).reshape(end - start, 1, in[1], in[2]);
                INDArray masked = m.broadcast(end - start, in[0], in[1], in[2])
                        .mul(image.broadcast(end - start, in[0], in[1], in[2])).castTo(model.dataType());
                int[] rows = new int[end - start];
                Arrays.fill(rows, i);
                INDArray scores = scored.forRows(rows).evaluate(model, masked);
                weights.get(NDArrayIndex.point(i), NDArrayIndex.interval(start, end))
                        .assign(scores.castTo(DataType.DOUBLE).reshape(end - start));
                Release.arrays(masked, scores);
                long done = (long) i * channels + end;
                progress.onProgress(NAME, done, total);
                ProgressListener.checkpoint(progress, NAME, done, total);
            }
        }
        if (paper) {
            weights.subiColumnVector(baseline.reshape(n, 1));
        } else {
            weights = Nd4j.nn().softmax(weights, 1);
        }
        return weightedSum(weights, activation);
    }

    /** The masks of one example's channels {@code [C, h, w]}, at the input size {@code [C, H, W]}, in [0, 1]. */
    private INDArray masks(INDArray channels, long height, long width) {
        if (variant == Variant.PAPER) {
            return Heatmaps.normalize(Heatmaps.upsample(channels, height, width), Normalization.MIN_MAX);
        }
        INDArray up = Heatmaps.upsampleAlignCorners(channels, height, width);
        long c = up.size(0);
        INDArray rows = up.reshape('c', c, height * width);
        INDArray min = rows.min(1).reshape(c, 1);
        INDArray max = rows.max(1).reshape(c, 1);
        return rows.subColumnVector(min).diviColumnVector(max.sub(min).addi(MASK_EPS)).reshape('c', c, height, width);
    }

    @Override public String toString() {
        return "ScoreCam[layer=" + layer + ", variant=" + variant + ", relu=" + relu + ", normalization="
                + normalization + ", batchSize=" + batchSize + "]";
    }

    /**
     * Builder: required {@code setModel}; optional {@code optLayer}, {@code optVariant}, {@code optBatchSize},
     * {@code optProgressListener} and the common options.
     */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private ProgressListener progress = ProgressListener.NONE;
        private Variant variant = Variant.PYTORCH_GRAD_CAM;

        private Builder() { }

        /**
         * Which definition of the weights to use (default {@link Variant#PYTORCH_GRAD_CAM}, pytorch-grad-cam's; see
         * {@link Variant#PAPER} for the paper's increase of confidence).
         *
         * @param variant the variant; not null
         * @return this builder
         */
        public Builder optVariant(Variant variant) { this.variant = variant; return this; }

        /** Masked images per forward pass (default 32). */
        public Builder optBatchSize(int batchSize) { this.batchSize = batchSize; return this; }

        /**
         * Receives masked images scored / total after every batch (default: none), and can cancel the call
         * ({@link ProgressListener#isCancelled()}).
         *
         * @param listener the listener; not null
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) { this.progress = listener; return this; }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code ScoreCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), the normalization is null, the
         *                                  batch size is not positive, or the progress listener is null
         * @throws NullPointerException     if the variant is null
         */
        public ScoreCam build() { return new ScoreCam(this); }
    }
}
