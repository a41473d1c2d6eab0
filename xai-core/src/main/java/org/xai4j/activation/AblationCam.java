package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ProgressListener;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;

import java.util.Arrays;

/**
 * Ablation-CAM: gradient-free channel weights from the drop of the score when a channel of the layer is ablated,
 * {@code w_k = (y - y_k) / y}, where {@code y} is the objective on the input and {@code y_k} the objective with
 * channel {@code k} of the layer's activation replaced by the ablation value; the map is {@code ReLU(sum_k w_k A_k)}.
 * The ablated activations go through the rest of the network in batches of {@link Builder#optBatchSize} channels
 * ({@link Nd4jImageModel#valuesWithActivation}): the layers before the ablated one run on the repeated input, so a
 * residual shortcut around the layer still carries the input's own values.
 *
 * <p>Desai and Ramaswamy, "Ablation-CAM: Visual Explanations for Deep Convolutional Network via Gradient-free
 * Localization", WACV 2020. As pytorch-grad-cam's {@code AblationCAM} with its default {@code AblationLayer} and
 * {@code ratio_channels_to_ablate=1} (commit 084273b): a channel is ablated to 0 when the example's activation has
 * minimum 0 (as after a ReLU, the common case), and otherwise to that minimum minus {@code 1e7}, "very negative".
 * One deliberate difference, in that second case only: pytorch-grad-cam takes the minimum over the whole batch of
 * ablated copies after earlier rows were already ablated, so row {@code r} of a batch gets {@code min - (r + 1) 1e7}
 * and a channel's weight depends on its position in the batch; xai4j gives every channel {@code min - 1e7}, the
 * library's intent, and its weights do not depend on the batch size. An objective of exactly 0 on the input gives
 * infinite weights, as in pytorch-grad-cam.
 *
 * <p>One forward pass per channel: after every batch the call reports progress ({@link Builder#optProgressListener})
 * and stops with an {@link org.xai4j.ExplanationCancelledException} if its thread was interrupted or the listener
 * cancels. It needs an {@link Nd4jImageModel} (the forward pass with a layer's activation replaced).
 */
public final class AblationCam extends AbstractCam {

    /** Ablated copies per model pass by default. */
    public static final int DEFAULT_BATCH_SIZE = 32;


    private static final String NAME = "AblationCam";
    /** pytorch-grad-cam's {@code ABLATION_VALUE}, subtracted from the minimum of activations that can be negative. */
    static final double ABLATION_OFFSET = 1e7;

    private final Nd4jImageModel engine;
    private final int batchSize;
    private final ProgressListener progress;

    private AblationCam(Builder b) {
        super(b);
        if (!(b.model instanceof Nd4jImageModel nd4j)) {
            throw new IllegalArgumentException("AblationCam needs an Nd4jImageModel (it runs the network with a layer's "
                    + "activation replaced), got " + b.model.getClass().getName());
        }
        this.engine = nd4j;
        this.batchSize = Checks.positive(b.batchSize, "batch size");
        if (b.progress == null) {
            throw new NullPointerException("progress listener must not be null (use ProgressListener.NONE)");
        }
        this.progress = b.progress;
    }

    /**
     * Starts configuring an Ablation-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray rawMaps(INDArray inputs, Objective objective) {
        long n = inputs.size(0);
        int channels = (int) model.layerShape(layer)[0];
        long total = n * channels;
        ProgressListener.checkpoint(progress, NAME, 0, total);
        INDArray activation = model.activations(inputs, layer);
        INDArray original = objective.evaluate(model, inputs).castTo(DataType.DOUBLE);
        ProgressListener.checkpoint(progress, NAME, 0, total);
        INDArray weights = Nd4j.zeros(DataType.DOUBLE, n, channels);
        for (int i = 0; i < n; i++) {
            INDArray own = activation.get(NDArrayIndex.interval(i, i + 1));
            double min = own.minNumber().doubleValue();
            double ablated = min == 0 ? 0 : min - ABLATION_OFFSET;
            INDArray image = inputs.get(NDArrayIndex.interval(i, i + 1));
            for (int start = 0; start < channels; start += batchSize) {
                int end = Math.min(channels, start + batchSize);
                int rows = end - start;
                long[] shape = own.shape().clone();
                shape[0] = rows;
                INDArray replacement = own.broadcast(shape).dup('c');
                for (int r = 0; r < rows; r++) {
                    replacement.get(NDArrayIndex.point(r), NDArrayIndex.point(start + r)).assign(ablated);
                }
                long[] inShape = image.shape().clone();
                inShape[0] = rows;
                int[] example = new int[rows];
                Arrays.fill(example, i);
                INDArray scores = engine.valuesWithActivation(image.broadcast(inShape).dup('c'),
                        objective.forRows(example), layer, replacement).castTo(DataType.DOUBLE);
                double y = original.getDouble(i);
                for (int r = 0; r < rows; r++) {
                    weights.putScalar(i, start + r, (y - scores.getDouble(r)) / y);
                }
                long done = (long) i * channels + end;
                progress.onProgress(NAME, done, total);
                ProgressListener.checkpoint(progress, NAME, done, total);
            }
        }
        return weightedSum(weights, activation);
    }

    @Override public String toString() {
        return "AblationCam[layer=" + layer + ", relu=" + relu + ", normalization=" + normalization + ", batchSize="
                + batchSize + "]";
    }

    /**
     * Builder: required {@code setModel} (an {@link Nd4jImageModel}); optional {@code optLayer}, {@code optBatchSize},
     * {@code optProgressListener} and the common options.
     */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

        /**
         * Ablated copies per forward pass (default 32, as pytorch-grad-cam).
         *
         * @param batchSize a positive count
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) { this.batchSize = batchSize; return this; }

        /**
         * Receives ablated channels scored / total after every batch (default: none), and can cancel the call
         * ({@link ProgressListener#isCancelled()}).
         *
         * @param listener the listener; not null
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) { this.progress = listener; return this; }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code AblationCam}
         * @throws IllegalArgumentException if the model is missing or not an {@link Nd4jImageModel}, the layer is
         *                                  unknown or not spatial ({@code [channels, height, width]}), or the batch
         *                                  size is not positive
         * @throws NullPointerException     if the normalization or the progress listener is null
         */
        public AblationCam build() { return new AblationCam(this); }
    }
}
