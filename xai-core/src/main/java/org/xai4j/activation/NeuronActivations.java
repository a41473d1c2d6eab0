package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ActivationMapper;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.internal.Checks;

import java.util.Arrays;

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

    private NeuronActivations(ImageModel model, String layer, Normalization normalization) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        Checks.oneOf(layer, model.layerNames(), "layer");
        long[] shape = model.layerShape(layer);
        if (shape.length != 3) {
            throw new IllegalArgumentException("layer '" + layer + "' is not spatial (per-example shape "
                    + Arrays.toString(shape) + "); expected a [channels, height, width] layer");
        }
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must not be null; expected one of "
                    + Arrays.toString(Normalization.values()));
        }
        this.model = model;
        this.layer = layer;
        this.normalization = normalization;
    }

    /** Maps of {@code layer}, min-max normalized per image. */
    public static NeuronActivations of(ImageModel model, String layer) {
        return new NeuronActivations(model, layer, Normalization.MIN_MAX);
    }

    /** Maps of {@code layer} with the given normalization. */
    public static NeuronActivations of(ImageModel model, String layer, Normalization normalization) {
        return new NeuronActivations(model, layer, normalization);
    }

    @Override public ImageModel model() { return model; }

    @Override public String layer() { return layer; }

    /** All neurons' maps and spike totals for a batch, from one forward pass. */
    public LayerActivations activations(INDArray inputs) {
        Checks.imageBatch(inputs, model.inputShape(), "input");
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
        Checks.imageBatch(inputs, model.inputShape(), "input");
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
}
