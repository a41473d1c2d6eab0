package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.Objective;
import org.xai4j.ProgressListener;
import org.xai4j.internal.Checks;
import org.xai4j.internal.Release;

/**
 * Score-CAM: gradient-free CAM whose channel weights are the model's score on the input masked by each channel.
 * Channel k's activation is bilinearly upsampled to the input size and min-max normalized to [0, 1] (a constant
 * channel gives an all-zero mask); the input is multiplied by it (zero elsewhere) and the objective is evaluated in
 * batched forward passes; the map is {@code ReLU(sum_k score_k A_k)}.
 *
 * <p>Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks", CVPR Workshops
 * 2020. As in the paper, a class-logit objective is scored by its softmax probability (pytorch-grad-cam instead takes
 * a softmax over channels of the logits); other objectives are scored by their own value.
 *
 * <p>One forward pass per channel makes it the slow CAM: after every batch of masked images the call reports progress
 * ({@link Builder#optProgressListener}) and stops with an {@link org.xai4j.ExplanationCancelledException} if its
 * thread was interrupted or the listener cancels.
 */
public final class ScoreCam extends AbstractCam {

    private static final String NAME = "ScoreCam";

    /** Masked inputs per model pass by default. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final int batchSize;
    private final ProgressListener progress;

    private ScoreCam(Builder b) {
        super(b);
        this.batchSize = Checks.positive(b.batchSize, "batch size");
        if (b.progress == null) {
            throw new IllegalArgumentException("progress listener must not be null (use ProgressListener.NONE)");
        }
        this.progress = b.progress;
    }

    /**
     * Starts configuring a Score-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray rawMaps(INDArray inputs, Objective objective) {
        Objective scored = objective instanceof Objective.ClassLogit logit
                ? Objective.classProbability(logit.targets()) : objective;
        long n = inputs.size(0);
        int channels = (int) model.layerShape(layer)[0];
        long total = n * channels;
        ProgressListener.checkpoint(progress, NAME, 0, total);
        INDArray activation = model.activations(inputs, layer).castTo(DataType.DOUBLE);
        ProgressListener.checkpoint(progress, NAME, 0, total);
        long[] in = model.inputShape();
        INDArray weights = Nd4j.zeros(DataType.DOUBLE, n, channels);
        for (int i = 0; i < n; i++) {
            INDArray masks = Heatmaps.normalize(Heatmaps.upsample(
                    activation.get(NDArrayIndex.point(i)), in[1], in[2]), Normalization.MIN_MAX);  // [C, H, W]
            INDArray image = inputs.get(NDArrayIndex.interval(i, i + 1)).castTo(DataType.DOUBLE);
            for (int start = 0; start < channels; start += batchSize) {
                int end = Math.min(channels, start + batchSize);
                INDArray m = masks.get(NDArrayIndex.interval(start, end)).reshape(end - start, 1, in[1], in[2]);
                INDArray masked = m.broadcast(end - start, in[0], in[1], in[2])
                        .mul(image.broadcast(end - start, in[0], in[1], in[2])).castTo(model.dataType());
                int[] rows = new int[end - start];
                java.util.Arrays.fill(rows, i);
                INDArray scores = scored.forRows(rows).evaluate(model, masked);
                weights.get(NDArrayIndex.point(i), NDArrayIndex.interval(start, end))
                        .assign(scores.castTo(DataType.DOUBLE).reshape(end - start));
                Release.arrays(masked, scores);
                long done = (long) i * channels + end;
                progress.onProgress(NAME, done, total);
                ProgressListener.checkpoint(progress, NAME, done, total);
            }
        }
        return weightedSum(weights, activation);
    }

    /**
     * Builder: required {@code setModel}; optional {@code optLayer}, {@code optBatchSize}, {@code optProgressListener}
     * and the common options.
     */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

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
         */
        public ScoreCam build() { return new ScoreCam(this); }
    }
}
