package org.xai4j.engine;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An image network, framework-independent: the input shape and a directed acyclic graph of layers. Layers are listed
 * in topological order (every layer after the layers it reads); each reads the model input
 * ({@link LayerInfo#MODEL_INPUT}) or earlier layers. The last layer is the output. A chain (VGG) needs no explicit
 * inputs: the three-argument constructor connects each layer to the one before it.
 *
 * @param name       a label for logs and error messages
 * @param inputShape one example's shape {@code [channels, height, width]}
 * @param layers     the layers in topological order; names must be unique
 * @param inputs     for every layer, the names of the layers it reads, in order
 */
public record NetworkSpec(String name, long[] inputShape, List<LayerSpec> layers, Map<String, List<String>> inputs) {

    /** Checks the input shape, the layer names and the graph, and copies the arguments. */
    public NetworkSpec {
        if (inputShape == null || inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("input shape must be [channels, height, width] with positive sizes, got "
                    + Arrays.toString(inputShape));
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("network '" + name + "' has no layers");
        }
        if (inputs == null) {
            throw new IllegalArgumentException("network '" + name + "' needs the inputs of its layers (use the "
                    + "three-argument constructor for a chain)");
        }
        Set<String> seen = new HashSet<>();
        seen.add(LayerInfo.MODEL_INPUT);
        Map<String, List<String>> resolved = new LinkedHashMap<>();
        for (LayerSpec layer : layers) {
            String layerName = layer.name();
            if (layerName == null || layerName.isBlank() || LayerInfo.MODEL_INPUT.equals(layerName)) {
                throw new IllegalArgumentException("layer names must be non-blank and not '" + LayerInfo.MODEL_INPUT
                        + "' (the model input), got '" + layerName + "' in network '" + name + "'");
            }
            List<String> reads = inputs.get(layerName);
            if (reads == null || reads.isEmpty()) {
                throw new IllegalArgumentException("layer '" + layerName + "' of network '" + name + "' has no inputs");
            }
            for (String read : reads) {
                if (!seen.contains(read)) {
                    throw new IllegalArgumentException("layer '" + layerName + "' reads '" + read + "', which is not the "
                            + "model input or a layer listed before it; layers must be in topological order");
                }
            }
            checkArity(layer, reads);
            if (!seen.add(layerName)) {
                throw new IllegalArgumentException("layer names must be unique, got '" + layerName + "' twice in network '"
                        + name + "'");
            }
            resolved.put(layerName, List.copyOf(reads));
        }
        if (resolved.size() != inputs.size()) {
            Set<String> unknown = new HashSet<>(inputs.keySet());
            unknown.removeAll(resolved.keySet());
            throw new IllegalArgumentException("inputs are given for layers that network '" + name + "' lacks: " + unknown);
        }
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
        inputs = java.util.Collections.unmodifiableMap(resolved);
    }

    /**
     * A chain: each layer reads the one before it, the first reads the model input.
     *
     * @param name       a label for logs and error messages
     * @param inputShape one example's shape {@code [channels, height, width]}
     * @param layers     the layers, first to last
     */
    public NetworkSpec(String name, long[] inputShape, List<LayerSpec> layers) {
        this(name, inputShape, layers, chainInputs(layers));
    }

    /**
     * Starts a graph whose layers are added in topological order.
     *
     * @param name       a label for logs and error messages
     * @param inputShape one example's shape {@code [channels, height, width]}
     * @return a new builder
     */
    public static GraphBuilder graph(String name, long... inputShape) {
        return new GraphBuilder(name, inputShape);
    }

    /**
     * One example's shape.
     *
     * @return a copy of {@code [channels, height, width]}
     */
    @Override public long[] inputShape() { return inputShape.clone(); }

    /**
     * The layers a layer reads.
     *
     * @param layer a layer name
     * @return the names of its inputs, in order
     * @throws IllegalArgumentException if the layer is unknown
     */
    public List<String> inputsOf(String layer) {
        List<String> reads = inputs.get(layer);
        if (reads == null) {
            throw new IllegalArgumentException("unknown layer '" + layer + "'; valid names are " + inputs.keySet());
        }
        return reads;
    }

    /**
     * Whether every layer reads exactly the layer before it.
     *
     * @return true for a chain
     */
    public boolean isChain() {
        return inputs.equals(chainInputs(layers));
    }

    /**
     * The same graph with some layers replaced by layers of the same names (new weights, say).
     *
     * @param replacements the new layers; each name must be a layer of this network
     * @return a new network
     */
    public NetworkSpec withLayers(List<LayerSpec> replacements) {
        Map<String, LayerSpec> byName = new LinkedHashMap<>();
        for (LayerSpec replacement : replacements) {
            inputsOf(replacement.name());
            byName.put(replacement.name(), replacement);
        }
        List<LayerSpec> out = new ArrayList<>();
        for (LayerSpec layer : layers) {
            out.add(byName.getOrDefault(layer.name(), layer));
        }
        return new NetworkSpec(name, inputShape, out, inputs);
    }

    /**
     * The same network under another name.
     *
     * @param newName the new label
     * @return a new network
     */
    public NetworkSpec withName(String newName) {
        return new NetworkSpec(newName, inputShape, layers, inputs);
    }

    @Override public String toString() {
        return "NetworkSpec[" + name + ", input=" + Arrays.toString(inputShape) + ", layers=" + layers.size()
                + (isChain() ? "" : ", graph") + "]";
    }

    private static Map<String, List<String>> chainInputs(List<LayerSpec> layers) {
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        if (layers == null) {
            return inputs;
        }
        String previous = LayerInfo.MODEL_INPUT;
        for (LayerSpec layer : layers) {
            inputs.put(layer.name(), List.of(previous));
            previous = layer.name();
        }
        return inputs;
    }

    private static void checkArity(LayerSpec layer, List<String> reads) {
        boolean merge = layer instanceof LayerSpec.ElementWise || layer instanceof LayerSpec.Concat;
        if (layer instanceof LayerSpec.Broadcast && reads.size() != 2) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer + ") needs exactly two inputs, got "
                    + reads);
        }
        merge |= layer instanceof LayerSpec.Broadcast;
        if (merge && reads.size() < 2) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' combines inputs and needs at least two, got "
                    + reads);
        }
        if (layer instanceof LayerSpec.ElementWise e && e.op() == LayerSpec.ElementWiseOp.SUBTRACT && reads.size() != 2) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' subtracts and needs exactly two inputs, got "
                    + reads);
        }
        if (!merge && reads.size() != 1) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.getClass().getSimpleName()
                    + ") reads exactly one input, got " + reads);
        }
    }

    /** Collects the layers of a graph in topological order, with the layers each reads. */
    public static final class GraphBuilder {
        private final String name;
        private final long[] inputShape;
        private final List<LayerSpec> layers = new ArrayList<>();
        private final Map<String, List<String>> inputs = new LinkedHashMap<>();

        private GraphBuilder(String name, long[] inputShape) {
            this.name = name;
            this.inputShape = inputShape == null ? null : inputShape.clone();
        }

        /**
         * Adds a layer that reads the previously added layer (the model input for the first).
         *
         * @param layer the layer
         * @return this builder
         */
        public GraphBuilder add(LayerSpec layer) {
            String previous = layers.isEmpty() ? LayerInfo.MODEL_INPUT : layers.get(layers.size() - 1).name();
            return add(layer, previous);
        }

        /**
         * Adds a layer that reads the given layers ({@link LayerInfo#MODEL_INPUT} for the model input).
         *
         * @param layer     the layer
         * @param layerInputs the names of the layers it reads, in order
         * @return this builder
         */
        public GraphBuilder add(LayerSpec layer, String... layerInputs) {
            if (layer == null) {
                throw new NullPointerException("layer must not be null");
            }
            layers.add(layer);
            inputs.put(layer.name(), List.of(layerInputs));
            return this;
        }

        /**
         * Builds and validates the network.
         *
         * @return the network
         * @throws IllegalArgumentException if a name repeats, a layer reads an unknown or later layer, or a layer has
         *                                  the wrong number of inputs
         */
        public NetworkSpec build() {
            return new NetworkSpec(name, inputShape, layers, inputs);
        }
    }
}
