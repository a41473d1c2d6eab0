package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.Objective;
import org.xai4j.internal.Checks;

/**
 * Score-CAM: gradient-free CAM whose channel weights are the model's score on the input masked by each channel.
 * Channel k's activation is bilinearly upsampled to the input size and min-max normalized to [0, 1] (a constant
 * channel gives an all-zero mask); the input is multiplied by it (zero elsewhere) and the objective is evaluated in
 * batched forward passes; the map is {@code ReLU(sum_k score_k A_k)}.
 *
 * <p>Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks", CVPR Workshops
 * 2020. As in the paper, a class-logit objective is scored by its softmax probability (pytorch-grad-cam instead takes
 * a softmax over channels of the logits); other objectives are scored by their own value.
 */
public final class ScoreCam extends AbstractCam {

    private final int batchSize;

    private ScoreCam(Builder b) {
        super(b);
        this.batchSize = Checks.positive(b.batchSize, "batch size");
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
        INDArray activation = model.activations(inputs, layer).castTo(DataType.DOUBLE);
        long n = activation.size(0);
        int channels = (int) activation.size(1);
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
            }
        }
        return weightedSum(weights, activation);
    }

    /** Builder: required {@code setModel}, {@code setLayer}; optional {@code optBatchSize} and the common options. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private int batchSize = 32;

        private Builder() { }

        /** Masked images per forward pass (default 32). */
        public Builder optBatchSize(int batchSize) { this.batchSize = batchSize; return this; }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code ScoreCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), the normalization is null, or the
         *                                  batch size is not positive
         */
        public ScoreCam build() { return new ScoreCam(this); }
    }
}
