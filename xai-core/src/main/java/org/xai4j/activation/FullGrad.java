package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.ActivationMapper;
import org.xai4j.Predictions;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FullGrad: the input gradient times the input plus the bias gradients of every convolution and batch normalization,
 * each made visible at input resolution. With {@code G_l = dY/dZ_l} the gradient with respect to the linear output
 * {@code Z_l} of bias layer {@code l} (before its activation) and {@code b_l} its bias, the map is
 * {@code sum_c s(|x_c dY/dx_c|) + sum_l sum_c up(s(|b_l[c] G_l[c]|))}, where {@code s} min-max scales each channel
 * of each example as {@code (v - min) / (max(v - min) + 1e-7)} and {@code up} is bilinear upsampling
 * ({@link Heatmaps#upsample}); then the map is normalized. There is no final ReLU: every term is non-negative.
 *
 * <p>Srinivas and Fleuret, "Full-Gradient Representation for Neural Network Visualization", NeurIPS 2019. As
 * pytorch-grad-cam's {@code FullGrad} (commit 084273b): the bias layers are the convolutions with a bias and the batch
 * normalizations, whose bias is {@code beta - mean gamma / sqrt(var + eps)}, the shift of the engine's
 * {@link LayerSpec.ChannelAffine}. The default set of layers is every {@link LayerSpec.Convolution} and
 * {@link LayerSpec.DepthwiseConvolution} with a bias and every {@link LayerSpec.ChannelAffine} after a convolution
 * (an affine map before any convolution is the model's embedded preprocessing, which a PyTorch model would not hold);
 * dense layers are left out, as in pytorch-grad-cam. All gradients come from one forward and one backward pass
 * ({@link Nd4jImageModel#linearGradients}), so FullGrad needs an {@link Nd4jImageModel}.
 *
 * <p>The map is at input resolution: {@link ActivationMap#layer()} is {@value LayerInfo#MODEL_INPUT} and
 * {@link ActivationMap#raw()} is the unnormalized sum.
 */
public final class FullGrad implements ActivationMapper {

    /** pytorch-grad-cam's constant in {@code scale_cam_image}'s denominator. */
    static final double SCALE_EPS = 1e-7;

    private final Nd4jImageModel model;
    private final Map<String, INDArray> biases;
    private final Normalization normalization;

    private FullGrad(Builder b) {
        if (b.model == null) {
            throw new NullPointerException("model is required: call setModel");
        }
        if (!(b.model instanceof Nd4jImageModel engine)) {
            throw new IllegalArgumentException("FullGrad needs an Nd4jImageModel (bias gradients of inner layers), got "
                    + b.model.getClass().getName());
        }
        if (b.normalization == null) {
            throw new NullPointerException("normalization must not be null; expected one of "
                    + Arrays.toString(Normalization.values()));
        }
        Map<String, LayerSpec> specs = new LinkedHashMap<>();
        for (LayerSpec layer : engine.spec().layers()) {
            specs.put(layer.name(), layer);
        }
        List<String> chosen = b.layers != null ? b.layers : defaultLayers(engine, specs);
        Map<String, INDArray> bias = new LinkedHashMap<>();
        for (String name : chosen) {
            Checks.oneOf(name, engine.layerNames(), "layer");
            INDArray vector = biasOf(specs.get(name));
            if (vector == null) {
                throw new IllegalArgumentException("layer '" + name + "' has no bias; expected a convolution with a "
                        + "bias or a channel affine (batch normalization) layer");
            }
            if (engine.layerShape(name).length != 3) {
                throw new IllegalArgumentException("layer '" + name + "' is not spatial (per-example shape "
                        + Arrays.toString(engine.layerShape(name)) + "); expected [channels, height, width]");
            }
            bias.put(name, vector.castTo(DataType.DOUBLE).reshape(1, vector.length(), 1, 1).dup());
        }
        this.model = engine;
        this.biases = bias;
        this.normalization = b.normalization;
    }

    /**
     * Starts configuring FullGrad.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    /** The bias layers whose gradients enter the map, in network order. */
    public List<String> biasLayers() { return List.copyOf(biases.keySet()); }

    @Override public ImageModel model() { return model; }

    /** {@value LayerInfo#MODEL_INPUT}: the map is at the input's resolution. */
    @Override public String layer() { return LayerInfo.MODEL_INPUT; }

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
        Nd4jImageModel.LinearGradients g = model.linearGradients(inputs, objective, List.copyOf(biases.keySet()));
        long[] in = model.inputShape();
        INDArray x = inputs.castTo(DataType.DOUBLE);
        INDArray total = scaledChannels(Transforms.abs(g.inputGradient().castTo(DataType.DOUBLE).muli(x), false))
                .sum(1);
        for (Map.Entry<String, INDArray> e : biases.entrySet()) {
            INDArray gradient = g.byLayer().get(e.getKey()).castTo(DataType.DOUBLE);
            INDArray term = Transforms.abs(gradient.muli(e.getValue().broadcast(gradient.shape())), false);
            total.addi(Heatmaps.upsample(scaledChannels(term), in[1], in[2]).sum(1));
        }
        return new ActivationMap("FullGrad", LayerInfo.MODEL_INPUT, objective,
                Heatmaps.normalize(total, normalization), total, normalization);
    }

    /** Each channel of each example of {@code [n, c, h, w]} scaled to {@code (v - min) / (max(v - min) + 1e-7)}. */
    static INDArray scaledChannels(INDArray maps) {
        long[] shape = maps.shape();
        INDArray rows = maps.dup('c').reshape('c', shape[0] * shape[1], shape[2] * shape[3]);
        INDArray shifted = rows.subColumnVector(rows.min(1).reshape(rows.size(0), 1));
        INDArray scale = shifted.max(1).reshape(rows.size(0), 1).addi(SCALE_EPS);
        return shifted.diviColumnVector(scale).reshape('c', shape);
    }

    @Override public String toString() {
        return "FullGrad[biasLayers=" + biases.size() + " " + biases.keySet() + ", normalization=" + normalization + "]";
    }

    private static INDArray biasOf(LayerSpec layer) {
        if (layer instanceof LayerSpec.Convolution c) {
            return c.bias();
        } else if (layer instanceof LayerSpec.DepthwiseConvolution d) {
            return d.bias();
        } else if (layer instanceof LayerSpec.ChannelAffine a) {
            return a.shift();
        }
        return null;
    }

    private static boolean isConvolution(LayerSpec layer) {
        return layer instanceof LayerSpec.Convolution || layer instanceof LayerSpec.DepthwiseConvolution;
    }

    /** Convolutions with a bias, and channel affine maps with a convolution among their ancestors. */
    private static List<String> defaultLayers(Nd4jImageModel engine, Map<String, LayerSpec> specs) {
        List<String> layers = new ArrayList<>();
        Set<String> afterConvolution = new HashSet<>();
        for (LayerSpec layer : engine.spec().layers()) {
            boolean after = false;
            for (String read : engine.spec().inputsOf(layer.name())) {
                LayerSpec source = specs.get(read);
                after |= source != null && (isConvolution(source) || afterConvolution.contains(read));
            }
            if (after) {
                afterConvolution.add(layer.name());
            }
            boolean spatial = engine.layerShape(layer.name()).length == 3;
            if (spatial && isConvolution(layer) && biasOf(layer) != null) {
                layers.add(layer.name());
            } else if (spatial && layer instanceof LayerSpec.ChannelAffine && after) {
                layers.add(layer.name());
            }
        }
        return layers;
    }

    /** Builder: required {@code setModel} (an {@link Nd4jImageModel}); optional {@code optLayers}, {@code optNormalization}. */
    public static final class Builder {
        private ImageModel model;
        private List<String> layers;
        private Normalization normalization = Normalization.MIN_MAX;

        private Builder() { }

        /**
         * The model to explain (required; an {@link Nd4jImageModel}).
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(ImageModel model) { this.model = model; return this; }

        /**
         * The bias layers (default: every convolution with a bias and every batch normalization after a convolution,
         * as pytorch-grad-cam picks {@code Conv2d} and {@code BatchNorm2d} modules with a bias).
         *
         * @param layers convolution or channel affine layers with spatial outputs
         * @return this builder
         */
        public Builder optLayers(List<String> layers) {
            this.layers = layers == null ? null : List.copyOf(layers);
            return this;
        }

        /**
         * How the summed map is normalized per image (default {@link Normalization#MIN_MAX}, as pytorch-grad-cam's
         * final {@code scale_cam_image}).
         *
         * @param normalization the normalization
         * @return this builder
         */
        public Builder optNormalization(Normalization normalization) { this.normalization = normalization; return this; }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code FullGrad}
         * @throws IllegalArgumentException if the model is not an {@link Nd4jImageModel}, or a layer is unknown, not
         *                                  spatial or has no bias
         * @throws NullPointerException     if the model or the normalization is missing
         */
        public FullGrad build() { return new FullGrad(this); }
    }
}
