package org.xai4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NetworkSpec} compiled into nodes, and the questions every pass of {@link Nd4jImageModel} asks of it: which
 * node produces and which nodes read a variable, the variable and {@link LayerInfo} of each layer, where the logits
 * are, and which nodes one kind of call runs ({@link ExecutionPlan}s, made once per kind and reused). The nodes hold
 * the weights; {@link #release()} frees them.
 */
final class CompiledGraph {

    static final String INPUT = LayerInfo.MODEL_INPUT;

    private final NetworkSpec spec;
    private final DataType dataType;
    private final List<Node> nodes = new ArrayList<>();
    /** Variable name to the index of the node producing it. */
    private final Map<String, Integer> nodeProducing = new HashMap<>();
    /** Variable name to the indices of the nodes reading it, ascending. */
    private final Map<String, List<Integer>> readers = new HashMap<>();
    /** Layer name to the variable holding its output (a fused activation's output, not the linear part). */
    private final Map<String, String> layerVariables = new LinkedHashMap<>();
    private final Map<String, LayerInfo> layerInfos = new LinkedHashMap<>();
    private final String logitsVariable;
    private final int numClasses;
    private final Map<PlanKey, ExecutionPlan> plans = new ConcurrentHashMap<>();
    /** Convolutions folded with the batch normalization after them, by the convolution's node index. */
    private final Map<Integer, Node> foldedNodes = new ConcurrentHashMap<>();

    /**
     * Compiles every layer of {@code spec} into nodes computing in {@code dataType}.
     *
     * @throws IllegalArgumentException if a layer's shapes do not fit its inputs, or the network does not end in one
     *                                  score per class
     */
    CompiledGraph(NetworkSpec spec, DataType dataType) {
        this.spec = spec;
        this.dataType = dataType;
        Map<String, long[]> shapes = new HashMap<>();
        shapes.put(INPUT, spec.inputShape());
        Map<String, String> variableOfLayer = new HashMap<>();
        variableOfLayer.put(INPUT, INPUT);
        for (LayerSpec layer : spec.layers()) {
            List<String> inputs = new ArrayList<>();
            List<long[]> inputShapes = new ArrayList<>();
            for (String read : spec.inputsOf(layer.name())) {
                String variable = variableOfLayer.get(read);
                inputs.add(variable);
                inputShapes.add(shapes.get(variable));
            }
            String last = null;
            List<Node> compiled;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                compiled = NodeCompiler.compile(layer, inputs, inputShapes, dataType);
            }
            for (Node node : compiled) {
                int index = nodes.size();
                nodeProducing.put(node.output, index);
                for (String read : node.inputs) {
                    readers.computeIfAbsent(read, k -> new ArrayList<>()).add(index);
                }
                nodes.add(node);
                shapes.put(node.output, node.outputShape);
                last = node.output;
            }
            variableOfLayer.put(layer.name(), last);
            layerVariables.put(layer.name(), last);
            layerInfos.put(layer.name(), new LayerInfo(layer.name(), kindOf(layer), shapes.get(last),
                    spec.inputsOf(layer.name())));
        }
        this.logitsVariable = findLogits();
        long[] logitsShape = shapes.get(logitsVariable);
        if (logitsShape.length != 1) {
            throw new IllegalArgumentException("network '" + spec.name() + "' must end in a layer with one score per "
                    + "class, but its output has per-example shape " + Arrays.toString(logitsShape));
        }
        this.numClasses = (int) logitsShape[0];
    }

    NetworkSpec spec() {
        return spec;
    }

    DataType dataType() {
        return dataType;
    }

    int numClasses() {
        return numClasses;
    }

    /** The variable holding the logits (before a final softmax). */
    String logitsVariable() {
        return logitsVariable;
    }

    List<String> layerNames() {
        return List.copyOf(layerVariables.keySet());
    }

    /**
     * Checks that a layer exists, naming the valid layers otherwise.
     *
     * @return the layer
     * @throws IllegalArgumentException if the graph has no such layer
     */
    String requireLayer(String layer) {
        // The engine's own check, not xai-core's internal one: modules never share internal packages.
        if (layer == null || !layerVariables.containsKey(layer)) {
            throw new IllegalArgumentException("unknown layer '" + layer + "'; valid names are "
                    + layerVariables.keySet());
        }
        return layer;
    }

    LayerInfo layerInfo(String layer) {
        return layerInfos.get(requireLayer(layer));
    }

    /** The variable holding a layer's output (its fused activation's output, if any). */
    String layerVariable(String layer) {
        return layerVariables.get(requireLayer(layer));
    }

    /** The variable an objective reads: its layer's output, or the logits. The objective was validated. */
    String objectiveVariable(Objective objective) {
        return objective.layer().map(layerVariables::get).orElse(logitsVariable);
    }

    /** The variable holding a layer's linear output: {@code <layer>/linear} when it has a fused activation. */
    String linearVariable(String layer) {
        String fused = layer + "/linear";
        return nodeProducing.containsKey(fused) ? fused : layerVariables.get(layer);
    }

    /** The plan for one kind of call, made on first use. */
    ExecutionPlan plan(PlanKey key) {
        return plans.computeIfAbsent(key, k -> ExecutionPlan.create(this, k));
    }

    /**
     * The convolution a channel objective on {@code variable} can be evaluated through one channel at a time: the
     * variable is that convolution's output, or an element-wise activation's whose input only it reads.
     */
    ConvolutionNode convolutionComputing(String variable) {
        Node producer = nodes.get(nodeProducing.get(variable));
        if (producer instanceof PointwiseNodes.Activation activation && !activation.isSoftmax()
                && readersOf(activation.input).size() == 1
                && nodes.get(nodeProducing.get(activation.input)) instanceof ConvolutionNode convolution) {
            return convolution;
        }
        return producer instanceof ConvolutionNode convolution ? convolution : null;
    }

    /** The variables the given ones are computed from, themselves included, and the model input. */
    java.util.Set<String> ancestorsOf(List<String> variables) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(variables);
        while (!todo.isEmpty()) {
            String variable = todo.pop();
            if (seen.add(variable) && nodeProducing.containsKey(variable)) {
                todo.addAll(nodes.get(nodeProducing.get(variable)).inputs);
            }
        }
        return seen;
    }

    /**
     * The per-channel affine node that alone reads the output of convolution node {@code index}, or null: a pair that
     * can run as one folded convolution.
     */
    Integer foldableAffineAfter(int index) {
        Node node = nodes.get(index);
        if (!(node instanceof ConvolutionNode || node instanceof DepthwiseConvolutionNode)) {
            return null;
        }
        List<Integer> reading = readersOf(node.output);
        if (reading.size() != 1 || !(nodes.get(reading.get(0)) instanceof PointwiseNodes.ChannelAffine)) {
            return null;
        }
        return reading.get(0);
    }

    /** Convolution node {@code index} folded with the affine node after it, made on first use. */
    Node foldedNode(int index) {
        return foldedNodes.computeIfAbsent(index, i -> {
            PointwiseNodes.ChannelAffine affine = (PointwiseNodes.ChannelAffine) nodes.get(foldableAffineAfter(i));
            Node node = nodes.get(i);
            // The folded weights belong to the model, never to a workspace the caller may have open.
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return node instanceof ConvolutionNode conv ? conv.foldedWith(affine)
                        : ((DepthwiseConvolutionNode) node).foldedWith(affine);
            }
        });
    }

    Integer producerOf(String variable) {
        return nodeProducing.get(variable);
    }

    List<Integer> readersOf(String variable) {
        return readers.getOrDefault(variable, List.of());
    }

    int nodeCount() {
        return nodes.size();
    }

    Node node(int index) {
        return nodes.get(index);
    }

    /** Every node, in topological order. */
    List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Frees the weights of every node, folded ones included, and forgets the plans that use them. */
    void release() {
        for (Node node : nodes) {
            node.release();
        }
        foldedNodes.values().forEach(Node::release);
        foldedNodes.clear();
        plans.clear();
    }

    /**
     * The logits: the output variable, or the input of a final softmax (looking through identities such as a loss
     * layer after the softmax).
     */
    private String findLogits() {
        String variable = layerVariables.get(spec.layers().get(spec.layers().size() - 1).name());
        while (true) {
            Node producer = nodes.get(nodeProducing.get(variable));
            if (producer instanceof ShapeNodes.Identity identity) {
                variable = identity.input;
            } else if (producer instanceof PointwiseNodes.Activation activation && activation.isSoftmax()) {
                return activation.input;
            } else {
                return variable;
            }
        }
    }

    private static LayerKind kindOf(LayerSpec layer) {
        if (layer instanceof LayerSpec.Convolution) {
            return LayerKind.CONVOLUTION;
        } else if (layer instanceof LayerSpec.DepthwiseConvolution) {
            return LayerKind.DEPTHWISE_CONVOLUTION;
        } else if (layer instanceof LayerSpec.Pooling) {
            return LayerKind.POOLING;
        } else if (layer instanceof LayerSpec.GlobalPooling) {
            return LayerKind.GLOBAL_POOLING;
        } else if (layer instanceof LayerSpec.Dense) {
            return LayerKind.DENSE;
        } else if (layer instanceof LayerSpec.ChannelAffine || layer instanceof LayerSpec.L2Normalize
                || layer instanceof LayerSpec.ChannelMean) {
            return LayerKind.NORMALIZATION;
        } else if (layer instanceof LayerSpec.Activation || layer instanceof LayerSpec.Clip
                || layer instanceof LayerSpec.HardSigmoid || layer instanceof LayerSpec.HardSwish
                || layer instanceof LayerSpec.UnaryMath) {
            return LayerKind.ACTIVATION;
        } else if (layer instanceof LayerSpec.ElementWise || layer instanceof LayerSpec.Concat
                || layer instanceof LayerSpec.Broadcast) {
            return LayerKind.MERGE;
        } else if (layer instanceof LayerSpec.ScalarAffine) {
            return LayerKind.SCALE;
        } else if (layer instanceof LayerSpec.Identity) {
            return LayerKind.IDENTITY;
        }
        return LayerKind.RESHAPE;
    }

    /** What a call computes: the variables it returns, and for a gradient where it starts and stops. */
    record PlanKey(List<String> outputs, String gradientStart, String gradientStop) { }
}
