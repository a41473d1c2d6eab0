package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ActivationMapper;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;

import java.util.Arrays;
import java.util.Objects;

/**
 * The seed study's "activation model": a spatial layer's per-neuron activation maps, their spike totals (the sum of
 * each map), the top-k neurons, and, as an {@link ActivationMapper}, the map of a chosen neuron per image.
 *
 * <p>Maps are the raw activations, bilinearly upsampled to the input size ({@link Heatmaps}), and normalized per image
 * with {@link Normalization#MIN_MAX} by default.
 */
public final class NeuronActivations implements ActivationMapper {

    private final ImageModel model;
    private final String layer;
    private final Normalization normalization;

    private NeuronActivations(Builder b) {
        Objects.requireNonNull(b.model, "model is required: call setModel");
        Objects.requireNonNull(b.layer, "layer is required: call setLayer");
        Checks.oneOf(b.layer, b.model.layerNames(), "layer");
        long[] shape = b.model.layerShape(b.layer);
        if (shape.length != 3) {
            throw new IllegalArgumentException("layer '" + b.layer + "' is not spatial (per-example shape "
                    + Arrays.toString(shape) + "); expected a [channels, height, width] layer");
        }
        this.model = b.model;
        this.layer = b.layer;
        this.normalization = Objects.requireNonNull(b.normalization, "normalization must not be null");
    }

    /**
     * Starts configuring neuron activation maps.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() { return model; }

    @Override public String layer() { return layer; }

    /** All neurons' maps and spike totals for a batch, from one forward pass. */
    public LayerActivations activations(INDArray inputs) {
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        INDArray a = model.activations(inputs, layer).castTo(DataType.DOUBLE);
        long[] in = model.inputShape();
        return new LayerActivations(layer, a, a.sum(2, 3), in[1], in[2]);
    }

    /** The map of neuron {@code neurons[i]} for image i (one neuron for all); no neurons: each image's top-spike neuron. */
    @Override public ActivationMap map(INDArray inputs, int... neurons) {
        if (neurons == null || neurons.length == 0) {
            LayerActivations all = activations(inputs);
            neurons = new int[all.size()];
            for (int i = 0; i < neurons.length; i++) {
                neurons[i] = all.topK(i, 1)[0];
            }
        }
        return map(inputs, Objective.channelMean(layer, neurons));
    }

    /** The map of the channel that a {@link Objective.ChannelMean} objective on this mapper's layer names, per image. */
    @Override public ActivationMap map(INDArray inputs, Objective objective) {
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        if (!(objective instanceof Objective.ChannelMean mean) || !mean.layerName().equals(layer)) {
            throw new IllegalArgumentException("neuron maps need a channel objective on layer '" + layer
                    + "' (Objective.channelMean(\"" + layer + "\", channels...)), got " + objective);
        }
        objective.validate(model, inputs.size(0));
        INDArray a = model.activations(inputs, layer).castTo(DataType.DOUBLE);
        long n = a.size(0);
        INDArray raw = org.nd4j.linalg.factory.Nd4j.create(DataType.DOUBLE, n, a.size(2), a.size(3));
        int[] channels = mean.channels();
        for (int i = 0; i < n; i++) {
            int c = channels.length == 1 ? channels[0] : channels[i];
            raw.get(NDArrayIndex.point(i)).assign(a.get(NDArrayIndex.point(i), NDArrayIndex.point(c)));
        }
        long[] in = model.inputShape();
        INDArray maps = Heatmaps.normalize(Heatmaps.upsample(raw, in[1], in[2]), normalization);
        return new ActivationMap("NeuronActivations", layer, objective, maps, raw, normalization);
    }

    @Override public String toString() {
        return "NeuronActivations[layer=" + layer + ", normalization=" + normalization + "]";
    }

    /** Builder: required {@link #setModel}, {@link #setLayer}; optional {@link #optNormalization}. */
    public static final class Builder {
        private ImageModel model;
        private String layer;
        private Normalization normalization = Normalization.MIN_MAX;

        private Builder() { }

        /**
         * The model (required).
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(ImageModel model) {
            this.model = model;
            return this;
        }

        /**
         * The spatial layer whose neurons are mapped (required).
         *
         * @param layer a layer with {@code [channels, height, width]} activations
         * @return this builder
         */
        public Builder setLayer(String layer) {
            this.layer = layer;
            return this;
        }

        /**
         * How each upsampled map is normalized (default {@link Normalization#MIN_MAX}; {@link Normalization#NONE} keeps
         * the raw activations).
         *
         * @param normalization the normalization
         * @return this builder
         */
        public Builder optNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /**
         * Builds the mapper.
         *
         * @return the configured mapper
         * @throws NullPointerException     if the model, the layer or the normalization is null
         * @throws IllegalArgumentException if the layer is unknown (the message lists the valid names) or not spatial
         */
        public NeuronActivations build() {
            return new NeuronActivations(this);
        }
    }
}
