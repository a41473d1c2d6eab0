package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.ActivationMapper;
import org.xai4j.LayerSelectors;
import org.xai4j.Predictions;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;

import java.util.Arrays;

/** What the CAM methods share: the model, a spatial layer, the final ReLU and the normalization. */
abstract class AbstractCam implements ActivationMapper {

    final ImageModel model;
    final String layer;
    final boolean relu;
    final Normalization normalization;

    AbstractCam(Builder<?> b) {
        if (b.model == null) {
            throw new NullPointerException("model is required: call setModel");
        }
        String chosen = b.layer != null ? b.layer : LayerSelectors.lastSpatialLayerBeforeGlobalPooling(b.model);
        Checks.oneOf(chosen, b.model.layerNames(), "layer");
        long[] shape = b.model.layerShape(chosen);
        if (shape.length != 3) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs a spatial layer, but '" + chosen
                    + "' has per-example shape " + Arrays.toString(shape) + "; expected [channels, height, width]");
        }
        if (b.normalization == null) {
            throw new NullPointerException("normalization must not be null; expected one of "
                    + Arrays.toString(Normalization.values()));
        }
        this.model = b.model;
        this.layer = chosen;
        this.relu = b.relu;
        this.normalization = b.normalization;
    }

    @Override public ImageModel model() { return model; }

    @Override public String layer() { return layer; }

    @Override public ActivationMap map(INDArray inputs, int... targets) {
        return map(inputs, Objective.classLogit(targets == null || targets.length == 0
                ? Predictions.predictedClasses(model, inputs) : targets));
    }

    @Override public ActivationMap map(INDArray inputs, Objective objective) {
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        objective.validate(model, inputs.size(0));
        INDArray raw = rawMaps(inputs, objective).castTo(DataType.DOUBLE);
        if (relu) {
            raw = Transforms.relu(raw, false);
        }
        long[] in = model.inputShape();
        INDArray maps = Heatmaps.normalize(Heatmaps.upsample(raw, in[1], in[2]), normalization);
        return new ActivationMap(getClass().getSimpleName(), layer, objective, maps, raw, normalization);
    }

    /** The maps {@code [n, h, w]} at the layer's resolution, before the final ReLU. */
    abstract INDArray rawMaps(INDArray inputs, Objective objective);

    /** {@code sum_k weights[n, k] * a[n, k, h, w]}: {@code [n, h, w]}. */
    static INDArray weightedSum(INDArray weights, INDArray activation) {
        long n = activation.size(0);
        long c = activation.size(1);
        INDArray w = weights.castTo(DataType.DOUBLE).reshape(n, c, 1, 1);
        return activation.castTo(DataType.DOUBLE).mul(w.broadcast(activation.shape())).sum(1);
    }

    @Override public String toString() {
        return getClass().getSimpleName() + "[layer=" + layer + ", relu=" + relu + ", normalization=" + normalization + "]";
    }

    /** Builder shared by the CAMs: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, ... */
    @SuppressWarnings("unchecked")
    abstract static class Builder<B extends Builder<B>> {
        ImageModel model;
        String layer;
        boolean relu = true;
        Normalization normalization = Normalization.MIN_MAX;

        /** The model to explain (required). */
        public B setModel(ImageModel model) { this.model = model; return (B) this; }

        /**
         * The spatial layer to map (default: the last spatial layer before the network's head,
         * {@link LayerSelectors#lastSpatialLayerBeforeGlobalPooling}: {@code block5_conv3} of a VGG, the last residual
         * block's output of a ResNet).
         */
        public B optLayer(String layer) { this.layer = layer; return (B) this; }

        /**
         * Whether to apply a ReLU to the weighted sum (default true, as in the papers and pytorch-grad-cam; Captum's
         * LayerGradCam defaults to false).
         */
        public B optRelu(boolean relu) { this.relu = relu; return (B) this; }

        /** How the upsampled maps are normalized per image (default {@link Normalization#MIN_MAX}). */
        public B optNormalization(Normalization normalization) { this.normalization = normalization; return (B) this; }
    }
}
