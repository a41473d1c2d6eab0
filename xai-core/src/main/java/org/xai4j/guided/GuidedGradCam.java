package org.xai4j.guided;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.AttributionMethod;
import org.xai4j.LayerSelectors;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;

import java.util.Arrays;

/**
 * Guided Grad-CAM: guided backpropagation times the Grad-CAM map of a layer upsampled to the input by nearest
 * neighbor, {@code GB(x) * up(relu(sum_k mean(dF/dA_k) A_k))}, the map broadcast over the input channels. Equal to
 * Captum 0.8.0's {@code GuidedGradCam} with its defaults: the layer's output, {@code interpolate_mode="nearest"}
 * (PyTorch's rule: output pixel {@code i} reads input pixel {@code floor(i * in / out)}), Grad-CAM weights the mean
 * of the plain gradient over the layer's positions, and a ReLU on the map.
 *
 * <p>Selvaraju, Cogswell, Das, Vedantam, Parikh and Batra, "Grad-CAM: Visual Explanations from Deep Networks via
 * Gradient-based Localization", ICCV 2017, arXiv:1610.02391.
 *
 * <p>Needs an {@link Nd4jImageModel}: guided backpropagation is a backward mode of its engine.
 */
public final class GuidedGradCam implements AttributionMethod {

    private static final String NAME = "GuidedGradCam";
    private final Nd4jImageModel model;
    private final String layer;

    private GuidedGradCam(Builder b) {
        this.model = BackwardMode.engineModel(b.model, NAME);
        this.layer = b.layer != null ? Checks.oneOf(b.layer, model.layerNames(), "layer")
                : LayerSelectors.lastSpatialLayerBeforeGlobalPooling(model);
        long[] shape = model.layerShape(layer);
        if (shape.length != 3) {
            throw new IllegalArgumentException("Guided Grad-CAM needs a spatial layer with per-example shape "
                    + "[channels, height, width], but layer '" + layer + "' has shape " + Arrays.toString(shape));
        }
    }

    /**
     * Starts configuring Guided Grad-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() {
        return model;
    }

    /** The layer whose Grad-CAM map weights the guided gradient. */
    public String layer() {
        return layer;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        ImageModel.LayerGradient layerGradient = model.layerGradient(inputs, objective, layer);
        INDArray activation = layerGradient.activation();
        // Grad-CAM: channel weights are the mean gradient over positions; the map their weighted sum, rectified.
        INDArray weights = layerGradient.gradient().mean(2, 3);
        long n = activation.size(0);
        long channels = activation.size(1);
        INDArray cam = activation.mul(weights.reshape(n, channels, 1, 1)).sum(1);
        Transforms.relu(cam, false);
        INDArray upsampled = nearest(cam, inputs.size(2), inputs.size(3));
        INDArray guided = model.gradient(inputs, objective, BackwardMode.guided()).inputGradient();
        INDArray values = guided.muli(upsampled.reshape(n, 1, inputs.size(2), inputs.size(3))
                .broadcast(guided.shape()).castTo(guided.dataType()));
        return new Attribution(NAME, values, objective, null, 0, null, 2 * n);
    }

    /**
     * PyTorch's {@code interpolate(mode="nearest")}: output pixel {@code (i, j)} reads input pixel
     * {@code (floor(i * h / height), floor(j * w / width))}.
     */
    static INDArray nearest(INDArray maps, long height, long width) {
        long n = maps.size(0);
        long h = maps.size(1);
        long w = maps.size(2);
        INDArray rowsPicked = Nd4j.create(maps.dataType(), n, height, w);
        for (long i = 0; i < height; i++) {
            long source = Math.min((long) Math.floor(i * (double) h / height), h - 1);
            rowsPicked.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all())
                    .assign(maps.get(NDArrayIndex.all(), NDArrayIndex.point(source), NDArrayIndex.all()));
        }
        INDArray result = Nd4j.create(maps.dataType(), n, height, width);
        for (long j = 0; j < width; j++) {
            long source = Math.min((long) Math.floor(j * (double) w / width), w - 1);
            result.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j))
                    .assign(rowsPicked.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(source)));
        }
        return result;
    }

    @Override public String toString() {
        return "GuidedGradCam[layer=" + layer + "]";
    }

    /** Builder: required {@link #setModel}; optional {@link #optLayer}. */
    public static final class Builder {
        private ImageModel model;
        private String layer;

        private Builder() { }

        /**
         * The model to explain (required): an {@link Nd4jImageModel}.
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(ImageModel model) {
            this.model = model;
            return this;
        }

        /**
         * The layer whose Grad-CAM map is used (its output, as Captum's default {@code attribute_to_layer_input=False}).
         * Default: {@link LayerSelectors#lastSpatialLayerBeforeGlobalPooling}, the CAMs' default layer.
         *
         * @param layer a spatial layer of the model
         * @return this builder
         */
        public Builder optLayer(String layer) {
            this.layer = layer;
            return this;
        }

        /**
         * Builds the method.
         *
         * @return the configured method
         * @throws NullPointerException     if no model was set
         * @throws IllegalArgumentException if the model is not an {@link Nd4jImageModel}, or the layer is unknown or
         *                                  not spatial
         */
        public GuidedGradCam build() {
            return new GuidedGradCam(this);
        }
    }
}
