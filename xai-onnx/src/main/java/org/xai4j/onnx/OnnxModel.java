package org.xai4j.onnx;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerInfo;
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

    @Override public String toString() {
        return "OnnxModel[" + spec.name() + ", input " + inputName + Arrays.toString(inputShape()) + ", output "
                + outputName + ", opset " + opset + ", " + spec.layers().size() + " layers"
                + (producer.isEmpty() ? "" : ", " + producer) + "]";
    }
}
