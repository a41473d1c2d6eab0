package org.xai4j.onnx;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.LayerInfo;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An imported ONNX image classifier: the engine network and what the file declared about it. Layer names are the ONNX
 * node output names (the tensor names {@code --layer} accepts); the input is NCHW {@code [n, c, h, w]} as in PyTorch.
 *
 * @param spec       the network; its input shape is {@link #inputShape()}
 * @param inputName  the graph input's name in the file
 * @param outputName the graph output's name in the file (a layer of {@link #spec()})
 * @param opset      the default-domain opset the file was exported with
 * @param producer   the producer recorded in the file ({@code pytorch 1.13.0}, say), or empty
 * @param nodeLayers for each named ONNX node whose output is a layer, that layer ({@code /layer4/layer4.1/relu_1/Relu}
 *                   to {@code /layer4/layer4.1/relu_1/Relu_output_0})
 */
public record OnnxModel(NetworkSpec spec, String inputName, String outputName, long opset, String producer,
                        Map<String, String> nodeLayers) {

    /** Copies the node map. */
    public OnnxModel {
        nodeLayers = Map.copyOf(nodeLayers);
    }

    /**
     * The layer for a name a user gave: a layer (ONNX output tensor) name, or the name of the ONNX node computing it.
     *
     * @param name a tensor or node name
     * @return the layer name
     * @throws IllegalArgumentException if neither a layer nor a node has that name
     */
    public String layerNamed(String name) {
        if (spec.layers().stream().anyMatch(l -> l.name().equals(name))) {
            return name;
        }
        String layer = nodeLayers.get(name);
        if (layer == null) {
            throw new IllegalArgumentException("'" + name + "' is neither a layer (ONNX output tensor) nor an ONNX node of "
                    + spec.name() + "; layers are ONNX output names such as '"
                    + spec.layers().get(spec.layers().size() - 1).name() + "'");
        }
        return layer;
    }

    /** Name of the layer {@link #withNormalization} prepends. */
    public static final String NORMALIZATION_LAYER = "normalization";

    /**
     * One example's input shape, from the graph input.
     *
     * @return {@code [channels, height, width]}
     */
    public long[] inputShape() {
        return spec.inputShape();
    }

    /**
     * A float32 engine model of the network (no preprocessing).
     *
     * @return a new model; close it when done
     */
    public Nd4jImageModel imageModel() {
        return Nd4jImageModel.of(spec);
    }

    /**
     * The network with torchvision's ImageNet normalization of [0, 1] RGB in front: mean (0.485, 0.456, 0.406), std
     * (0.229, 0.224, 0.225), what {@code --preprocess imagenet} means for an ONNX model.
     *
     * @return a new network whose first layer is {@value #NORMALIZATION_LAYER}
     * @throws IllegalArgumentException if the input does not have three channels
     */
    public NetworkSpec withImageNetNormalization() {
        return withNormalization(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
    }

    /**
     * The network with a per-channel normalization {@code (x - mean[c]) / std[c]} in front, so that inputs (and
     * attributions) are in the un-normalized space: torchvision's ImageNet normalization of [0, 1] RGB is
     * {@code mean = (0.485, 0.456, 0.406)}, {@code std = (0.229, 0.224, 0.225)}.
     *
     * @param mean one value per input channel
     * @param std  one positive value per input channel
     * @return a new network whose first layer is {@value #NORMALIZATION_LAYER}
     * @throws IllegalArgumentException if the lengths differ from the channel count or a std is not positive
     */
    public NetworkSpec withNormalization(double[] mean, double[] std) {
        long channels = spec.inputShape()[0];
        if (mean == null || std == null || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("normalization needs " + channels + " means and standard deviations, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        double[] scale = new double[(int) channels];
        double[] shift = new double[(int) channels];
        for (int c = 0; c < channels; c++) {
            if (!(std[c] > 0) || !Double.isFinite(mean[c]) || !Double.isFinite(std[c])) {
                throw new IllegalArgumentException("normalization needs finite means and positive standard deviations, "
                        + "got mean " + Arrays.toString(mean) + " and std " + Arrays.toString(std));
            }
            scale[c] = 1.0 / std[c];
            shift[c] = -mean[c] / std[c];
        }
        if (spec.layers().stream().anyMatch(l -> l.name().equals(NORMALIZATION_LAYER))) {
            throw new IllegalArgumentException("network already has a layer named '" + NORMALIZATION_LAYER + "'");
        }
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new LayerSpec.ChannelAffine(NORMALIZATION_LAYER, Nd4j.create(scale, new long[] {channels}, DataType.DOUBLE),
                Nd4j.create(shift, new long[] {channels}, DataType.DOUBLE), ActivationFunction.IDENTITY, 0));
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        inputs.put(NORMALIZATION_LAYER, List.of(LayerInfo.MODEL_INPUT));
        for (LayerSpec layer : spec.layers()) {
            layers.add(layer);
            inputs.put(layer.name(), spec.inputsOf(layer.name()).stream()
                    .map(read -> read.equals(LayerInfo.MODEL_INPUT) ? NORMALIZATION_LAYER : read).toList());
        }
        return new NetworkSpec(spec.name(), spec.inputShape(), layers, inputs);
    }

    @Override public String toString() {
        return "OnnxModel[" + spec.name() + ", input " + inputName + Arrays.toString(inputShape()) + ", output "
                + outputName + ", opset " + opset + ", " + spec.layers().size() + " layers"
                + (producer.isEmpty() ? "" : ", " + producer) + "]";
    }
}
