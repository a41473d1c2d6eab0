package org.xai4j.onnx;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.onnx.proto.OnnxProto.AttributeProto;
import org.xai4j.onnx.proto.OnnxProto.GraphProto;
import org.xai4j.onnx.proto.OnnxProto.ModelProto;
import org.xai4j.onnx.proto.OnnxProto.NodeProto;
import org.xai4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.xai4j.onnx.proto.OnnxProto.TensorProto;
import org.xai4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.xai4j.onnx.proto.OnnxProto.ValueInfoProto;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts one ONNX graph into a {@link NetworkSpec}. Nodes are visited in a topological order computed here (a file's
 * own order is not trusted); values are either constants (initializers, {@code Constant} nodes and everything computed
 * from them alone, such as the {@code Shape}/{@code Gather}/{@code Concat} chains that build reshape targets, folded
 * here with the batch size taken as 1) or activations computed by engine layers. Activations have per-example shape
 * {@code [c, h, w]} or {@code [f]}, or {@code [h, w, c]} between ConvNeXt's permutes (a flag: the engine stores images
 * channels-last anyway). One more form, a channel axis factored into several axes, lives only between the
 * {@code Reshape}, {@code Transpose} and {@code Reshape} of a channel shuffle and becomes one channel permutation.
 * Anything else (ViT's attention, whose export moves the batch axis with {@code Transpose(perm = [1, 0, 2])}) is
 * refused with the node named.
 */
final class OnnxConverter {

    static final List<String> SUPPORTED = List.of("Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat",
            "Constant", "ConstantOfShape", "Conv", "Div", "Dropout", "Elu", "Erf", "Expand", "Flatten", "Gather", "Gemm",
            "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "HardSwish", "Identity", "LayerNormalization",
            "LeakyRelu", "MatMul", "MaxPool", "Mul", "Pad", "Pow", "ReduceMean", "Relu", "Reshape", "Shape", "Sigmoid",
            "Slice", "Softmax", "Softplus", "Split", "Sqrt", "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze");

    /** The operators that may read a channels-last activation (between ConvNeXt's two permutes). */
    private static final Set<String> CHANNELS_LAST_READERS = Set.of("Identity", "Dropout", "Cast", "Add", "Sub", "Mul",
            "Div", "Relu", "Sigmoid", "Tanh", "Softplus", "LeakyRelu", "Elu", "HardSigmoid", "HardSwish", "Clip",
            "Transpose", "LayerNormalization", "ReduceMean", "Pow", "Sqrt", "Erf", "MatMul");

    /** A value of the graph. */
    private sealed interface Value { }

    /** Known at import. */
    private record Const(ConstTensor tensor) implements Value { }

    /**
     * Computed by engine layer {@code layer}; {@code shape} is the ONNX per-example shape. With {@code vector} the engine
     * holds {@code [c]} where ONNX has {@code [c, 1, 1]} (a global pooling read only by flattening nodes). With
     * {@code channelsLast} ONNX has {@code [h, w, c]} (after ConvNeXt's permute) where the engine holds
     * {@code [c, h, w]}: the engine stores images channels-last anyway, so the permute itself costs nothing.
     */
    private record Dyn(String layer, long[] shape, boolean vector, boolean channelsLast) implements Value {
        Dyn(String layer, long[] shape, boolean vector) {
            this(layer, shape, vector, false);
        }

        long[] engineShape() {
            if (channelsLast) {
                return new long[] {shape[2], shape[0], shape[1]};
            }
            return vector ? new long[] {shape[0]} : shape;
        }

        /** The channel count: the last ONNX axis when channels-last, else the first. */
        long channels() {
            return channelsLast ? shape[2] : shape[0];
        }
    }

    /**
     * The channels of layer {@code layer} ({@code [c, h, w]}) viewed as axes {@code dims} (product c) before
     * {@code h, w}; factored channel {@code i} (row-major over {@code dims}) is source channel {@code source[i]}.
     */
    private record ChannelView(String layer, long[] dims, int[] source, long h, long w) implements Value { }

    private final Path file;
    private final ModelProto model;
    private final GraphProto graph;
    private final OnnxImportOptions options;
    private final TensorReader tensors;
    private long opset = -1;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private String inputName;
    /** Graph inputs other than the image bound to constants (ONNX conformance cases feed weights as inputs). */
    private Map<String, TensorProto> boundInputs = Map.of();
    /** Whether a spatial output is flattened to [n, c*h*w] (conformance cases of single image operators). */
    private boolean flattenOutput;
    /** The oldest default-domain opset read. */
    private long minOpset = OnnxModels.MIN_OPSET;

    OnnxConverter(Path file, ModelProto model, OnnxImportOptions options) throws OnnxImportException {
        this.file = file;
        this.model = model;
        this.graph = model.getGraph();
        this.options = options;
        this.tensors = new TensorReader(file, options.maxFileBytes());
        for (OperatorSetIdProto set : model.getOpsetImportList()) {
            String domain = set.getDomain();
            if (domain.isEmpty() || domain.equals("ai.onnx")) {
                opset = set.getVersion();
            }
        }
        if (!model.hasGraph() || graph.getNodeCount() == 0) {
            throw fail("has no graph (or an empty one); expected an ONNX image classifier");
        }
    }

    /**
     * For ONNX's conformance data only: binds graph inputs to constants and lets single-operator graphs with spatial
     * outputs through, flattened, so the engine can run them.
     */
    OnnxConverter forConformance(Map<String, TensorProto> bound, long oldestOpset) {
        this.boundInputs = Map.copyOf(bound);
        this.flattenOutput = true;
        this.minOpset = oldestOpset;
        return this;
    }

    OnnxModel convert() throws OnnxImportException {
        if (opset < minOpset || opset > OnnxModels.MAX_OPSET) {
            throw fail("uses opset " + (opset < 0 ? "(none declared)" : opset) + " of the default domain; supported are "
                    + OnnxModels.MIN_OPSET + " to " + OnnxModels.MAX_OPSET + " (re-export with torch.onnx.export(..., "
                    + "opset_version=17))");
        }
        if (graph.getNodeCount() > options.maxNodes()) {
            throw fail("has " + graph.getNodeCount() + " nodes, more than the limit of " + options.maxNodes()
                    + " (OnnxImportOptions.optMaxNodes)");
        }
        if (graph.getSparseInitializerCount() > 0) {
            throw fail("has sparse initializers, which the importer does not read");
        }
        for (TensorProto t : graph.getInitializerList()) {
            values.put(t.getName(), new Const(tensors.read(t)));
        }
        for (Map.Entry<String, TensorProto> e : boundInputs.entrySet()) {
            values.put(e.getKey(), new Const(tensors.read(e.getValue())));
        }
        List<ValueInfoProto> dynamicInputs = graph.getInputList().stream()
                .filter(v -> !values.containsKey(v.getName())).toList();
        if (dynamicInputs.size() != 1) {
            throw fail("has " + dynamicInputs.size() + " graph inputs besides its initializers "
                    + dynamicInputs.stream().map(ValueInfoProto::getName).toList()
                    + "; expected exactly one image input [n, c, h, w]");
        }
        if (graph.getOutputCount() != 1) {
            throw fail("has " + graph.getOutputCount() + " graph outputs; expected one (the class scores)");
        }
        ValueInfoProto input = dynamicInputs.get(0);
        inputName = input.getName();
        long[] shape = imageShape(input);
        NetworkSpec.GraphBuilder graphBuilder = NetworkSpec.graph(graph.getName().isEmpty()
                ? file.getFileName().toString() : graph.getName(), shape);
        return new Conversion(graphBuilder, shape).run();
    }

    /** The per-example shape {@code [c, h, w]} of the image input. */
    private long[] imageShape(ValueInfoProto input) throws OnnxImportException {
        if (!input.getType().hasTensorType()) {
            throw fail("input '" + input.getName() + "' is not a tensor");
        }
        int elem = input.getType().getTensorType().getElemType();
        if (elem != 1 && elem != 11 && elem != 10) {
            throw fail("input '" + input.getName() + "' has element type " + elem + "; expected FLOAT (1)");
        }
        TensorShapeProto s = input.getType().getTensorType().getShape();
        if (flattenOutput && s.getDimCount() == 2 && s.getDim(1).getDimValue() > 0) {
            // Conformance only: a [n, f] input runs as an image [f, 1, 1] flattened by the first layer.
            return new long[] {s.getDim(1).getDimValue(), 1, 1};
        }
        if (s.getDimCount() != 4) {
            throw fail("input '" + input.getName() + "' has rank " + s.getDimCount() + "; expected an image batch "
                    + "[n, c, h, w]");
        }
        long[] dims = new long[3];
        int[] given = {0, options.inputHeight(), options.inputWidth()};
        String[] names = {"channels", "height", "width"};
        for (int i = 0; i < 3; i++) {
            TensorShapeProto.Dimension d = s.getDim(i + 1);
            if (d.hasDimValue() && d.getDimValue() > 0) {
                dims[i] = d.getDimValue();
            } else if (given[i] > 0) {
                dims[i] = given[i];
            } else {
                throw fail("input '" + input.getName() + "' leaves its " + names[i] + " symbolic ('" + d.getDimParam()
                        + "'); " + (i == 0 ? "the channel count must be fixed" : "give the size with "
                        + "OnnxImportOptions.optInputSize(height, width)"));
            }
            if (dims[i] > 1 << 16) {
                throw fail("input '" + input.getName() + "' declares " + names[i] + " " + dims[i] + "; at most 65536");
            }
        }
        return dims;
    }

    private OnnxImportException fail(String what) {
        return new OnnxImportException("ONNX file " + file + " " + what);
    }

    /** The conversion of the graph's nodes, in topological order. */
    private final class Conversion {
        private final NetworkSpec.GraphBuilder builder;
        private final long[] imageShape;
        private final Set<String> names = new HashSet<>();
        private NodeProto node;

        Conversion(NetworkSpec.GraphBuilder builder, long[] imageShape) {
            this.builder = builder;
            this.imageShape = imageShape;
            names.add(LayerInfo.MODEL_INPUT);
        }

        OnnxModel run() throws OnnxImportException {
            values.put(inputName, new Dyn(LayerInfo.MODEL_INPUT, imageShape, false));
            if (graph.getInputList().stream().anyMatch(v -> v.getName().equals(inputName)
                    && v.getType().getTensorType().getShape().getDimCount() == 2)) {
                String flat = inputName + "#features";
                names.add(flat);
                builder.add(new LayerSpec.Flatten(flat, false), LayerInfo.MODEL_INPUT);
                values.put(inputName, new Dyn(flat, new long[] {imageShape[0]}, false));
            }
            List<NodeProto> order = topologicalOrder();
            String output = graph.getOutput(0).getName();
            Set<NodeProto> needed = ancestors(order, output);
            List<String> unsupported = new ArrayList<>();
            Set<String> missing = new TreeSet<>();
            for (NodeProto n : order) {
                if (needed.contains(n) && (!SUPPORTED.contains(n.getOpType())
                        || !(n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")))) {
                    missing.add(n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + "." + n.getOpType());
                    if (unsupported.size() < 10) {
                        unsupported.add(n.getOpType() + " (node '" + n.getName() + "')");
                    }
                }
            }
            if (!missing.isEmpty()) {
                throw fail("uses operators the engine does not run: " + missing + ", e.g. " + unsupported + ", at opset "
                        + opset + "; supported operators: " + SUPPORTED);
            }
            for (NodeProto n : order) {
                if (!needed.contains(n)) {
                    continue;
                }
                node = n;
                try {
                    convertNode(n);
                } catch (IllegalArgumentException | IllegalStateException | ArithmeticException
                         | IndexOutOfBoundsException e) {
                    // A malformed node (shapes or attributes that contradict each other) is refused like any other.
                    throw unsupported("is malformed: " + e.getMessage());
                }
            }
            Value out = values.get(output);
            if (flattenOutput && out instanceof Dyn spatial && spatial.engineShape().length == 3) {
                node = null;
                String name = output + "#flat";
                names.add(name);
                builder.add(new LayerSpec.Flatten(name, false), spatial.layer);
                out = new Dyn(name, new long[] {Arrays.stream(spatial.shape).reduce(1, (p, q) -> p * q)}, false);
            }
            if (!(out instanceof Dyn d) || d.engineShape().length != 1) {
                throw fail("output '" + output + "' has per-example shape " + describe(out) + "; expected one score per "
                        + "class [n, classes] (an image classifier)");
            }
            String last = d.layer;
            if (LayerInfo.MODEL_INPUT.equals(last)) {
                throw fail("output '" + output + "' is the input itself");
            }
            NetworkSpec spec;
            try {
                spec = pruned(builder.build(), last);
            } catch (IllegalArgumentException e) {
                throw fail("does not form a valid network: " + e.getMessage());
            }
            Set<String> layers = new HashSet<>();
            spec.layers().forEach(l -> layers.add(l.name()));
            Map<String, String> nodeLayers = new LinkedHashMap<>();
            for (NodeProto n : order) {
                if (!n.getName().isEmpty() && n.getOutputCount() > 0 && values.get(n.getOutput(0)) instanceof Dyn produced
                        && layers.contains(produced.layer) && !layers.contains(n.getName())) {
                    nodeLayers.putIfAbsent(n.getName(), produced.layer);
                }
            }
            return new OnnxModel(spec, inputName, output, opset,
                    (model.getProducerName() + " " + model.getProducerVersion()).trim(), nodeLayers);
        }

        /** The network restricted to the layers the output depends on, the output last. */
        private NetworkSpec pruned(NetworkSpec all, String last) {
            Set<String> keep = new HashSet<>();
            ArrayDeque<String> todo = new ArrayDeque<>(List.of(last));
            while (!todo.isEmpty()) {
                String layer = todo.pop();
                if (!layer.equals(LayerInfo.MODEL_INPUT) && keep.add(layer)) {
                    todo.addAll(all.inputsOf(layer));
                }
            }
            List<LayerSpec> layers = new ArrayList<>();
            Map<String, List<String>> inputs = new LinkedHashMap<>();
            for (LayerSpec layer : all.layers()) {
                if (keep.contains(layer.name())) {
                    layers.add(layer);
                    inputs.put(layer.name(), all.inputsOf(layer.name()));
                }
            }
            return new NetworkSpec(all.name(), all.inputShape(), layers, inputs);
        }

        /** Kahn's algorithm over the tensors nodes read and write; refuses undefined inputs, duplicates and cycles. */
        private List<NodeProto> topologicalOrder() throws OnnxImportException {
            Map<String, Integer> producer = new HashMap<>();
            List<NodeProto> nodes = graph.getNodeList();
            for (int i = 0; i < nodes.size(); i++) {
                NodeProto n = nodes.get(i);
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.hasG() || a.getGraphsCount() > 0) {
                        throw fail("node '" + n.getName() + "' (" + n.getOpType() + ", opset " + opset + ") has a subgraph "
                                + "attribute '" + a.getName() + "'; control flow is not supported");
                    }
                }
                for (String o : n.getOutputList()) {
                    if (o.isEmpty()) {
                        continue;
                    }
                    if (producer.put(o, i) != null || values.containsKey(o)) {
                        throw fail("defines tensor '" + o + "' twice (node '" + n.getName() + "')");
                    }
                }
            }
            int[] pending = new int[nodes.size()];
            Map<Integer, List<Integer>> next = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                for (String in : nodes.get(i).getInputList()) {
                    if (in.isEmpty() || values.containsKey(in)) {
                        continue;
                    }
                    Integer p = producer.get(in);
                    if (p == null) {
                        throw fail("node '" + nodes.get(i).getName() + "' (" + nodes.get(i).getOpType() + ") reads '" + in
                                + "', which no node, initializer or graph input defines");
                    }
                    pending[i]++;
                    next.computeIfAbsent(p, k -> new ArrayList<>()).add(i);
                }
            }
            ArrayDeque<Integer> ready = new ArrayDeque<>();
            int[] depth = new int[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                if (pending[i] == 0) {
                    ready.add(i);
                    depth[i] = 1;
                }
            }
            List<NodeProto> order = new ArrayList<>();
            while (!ready.isEmpty()) {
                int i = ready.poll();
                order.add(nodes.get(i));
                if (depth[i] > options.maxDepth()) {
                    throw fail("has a chain of more than " + options.maxDepth() + " nodes (at node '" + nodes.get(i).getName()
                            + "'); the limit is OnnxImportOptions.optMaxDepth");
                }
                for (int j : next.getOrDefault(i, List.of())) {
                    depth[j] = Math.max(depth[j], depth[i] + 1);
                    if (--pending[j] == 0) {
                        ready.add(j);
                    }
                }
            }
            if (order.size() != nodes.size()) {
                List<String> cyclic = new ArrayList<>();
                for (int i = 0; i < nodes.size() && cyclic.size() < 10; i++) {
                    if (pending[i] > 0) {
                        cyclic.add(nodes.get(i).getName() + " (" + nodes.get(i).getOpType() + ")");
                    }
                }
                throw fail("has a cycle: nodes " + cyclic + " wait on each other; an ONNX graph must be acyclic");
            }
            for (NodeProto n : order) {
                for (String in : n.getInputList()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            return order;
        }

        private Set<NodeProto> ancestors(List<NodeProto> order, String output) throws OnnxImportException {
            Map<String, NodeProto> producer = new HashMap<>();
            for (NodeProto n : order) {
                for (String o : n.getOutputList()) {
                    producer.put(o, n);
                }
            }
            if (!producer.containsKey(output) && !values.containsKey(output)) {
                throw fail("declares output '" + output + "', which no node computes");
            }
            Set<NodeProto> needed = new HashSet<>();
            ArrayDeque<String> todo = new ArrayDeque<>(List.of(output));
            while (!todo.isEmpty()) {
                NodeProto n = producer.get(todo.pop());
                if (n != null && needed.add(n)) {
                    n.getInputList().stream().filter(s -> !s.isEmpty()).forEach(todo::add);
                }
            }
            return needed;
        }

        // ---------------------------------------------------------------------------------------------------------
        // Helpers

        private OnnxImportException unsupported(String what) {
            return fail("node '" + node.getName() + "' (" + node.getOpType() + ", opset " + opset + ") " + what
                    + "; supported operators: " + SUPPORTED);
        }

        private String layerName(String tensor) {
            String name = tensor.isEmpty() ? node.getName() : tensor;
            String candidate = name;
            for (int i = 1; names.contains(candidate); i++) {
                candidate = name + "#" + i;
            }
            names.add(candidate);
            return candidate;
        }

        private Dyn add(LayerSpec layer, long[] shape, boolean vector, String... inputs) {
            builder.add(layer, inputs);
            return new Dyn(layer.name(), shape, vector);
        }

        /** Adds a shape-preserving layer reading {@code x}; the result keeps x's shape and layout. */
        private Dyn same(LayerSpec layer, Dyn x) {
            builder.add(layer, x.layer);
            return new Dyn(layer.name(), x.shape, x.vector, x.channelsLast);
        }

        private void define(String tensor, Value value) {
            if (!tensor.isEmpty()) {
                values.put(tensor, value);
            }
        }

        private Value input(int i) throws OnnxImportException {
            if (i >= node.getInputCount() || node.getInput(i).isEmpty()) {
                return null;
            }
            Value v = values.get(node.getInput(i));
            if (v == null) {
                throw unsupported("reads '" + node.getInput(i) + "', which is undefined");
            }
            return v;
        }

        private Dyn dyn(int i) throws OnnxImportException {
            Value v = input(i);
            if (v instanceof ChannelView) {
                throw unsupported("reads a channel-factored view '" + node.getInput(i) + "'; only Transpose and Reshape "
                        + "back to [n, c, h, w] may follow the Reshape of a channel shuffle");
            }
            if (!(v instanceof Dyn d)) {
                throw unsupported("reads input " + i + (v == null ? " which is missing" : " as a constant")
                        + "; expected a computed activation");
            }
            if (d.channelsLast && !CHANNELS_LAST_READERS.contains(node.getOpType())) {
                throw unsupported("reads a channels-last activation " + Arrays.toString(d.shape) + " (after a Transpose "
                        + "to [n, h, w, c]); only " + new TreeSet<>(CHANNELS_LAST_READERS) + " may read one");
            }
            return d;
        }

        private ConstTensor constant(int i, String what) throws OnnxImportException {
            Value v = input(i);
            if (!(v instanceof Const c)) {
                throw unsupported("needs its " + what + " (input " + i + ") as a constant (initializer or Constant), got "
                        + (v == null ? "none" : "a computed tensor"));
            }
            return c.tensor;
        }

        private AttributeProto attribute(String name) {
            for (AttributeProto a : node.getAttributeList()) {
                if (a.getName().equals(name)) {
                    return a;
                }
            }
            return null;
        }

        private long intAttr(String name, long dflt) {
            AttributeProto a = attribute(name);
            return a == null ? dflt : a.getI();
        }

        private double floatAttr(String name, double dflt) {
            AttributeProto a = attribute(name);
            return a == null ? dflt : a.getF();
        }

        private String stringAttr(String name, String dflt) {
            AttributeProto a = attribute(name);
            return a == null ? dflt : a.getS().toStringUtf8();
        }

        private long[] intsAttr(String name, long[] dflt) {
            AttributeProto a = attribute(name);
            return a == null ? dflt : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }

        private void requireOutputs(int used) throws OnnxImportException {
            for (int i = used; i < node.getOutputCount(); i++) {
                String o = node.getOutput(i);
                if (!o.isEmpty() && consumers.containsKey(o) || graph.getOutput(0).getName().equals(o)) {
                    throw unsupported("has its output " + i + " ('" + o + "') read; only the first output is supported");
                }
            }
        }

        private String out() {
            return node.getOutput(0);
        }

        private String describe(Value v) {
            if (v instanceof Dyn d) {
                return Arrays.toString(d.shape);
            }
            if (v instanceof Const c) {
                return "constant " + Arrays.toString(c.tensor.shape);
            }
            return String.valueOf(v);
        }

        private int[] ints2(long[] v, String what) throws OnnxImportException {
            if (v.length != 2) {
                throw unsupported("has " + what + " " + Arrays.toString(v) + "; only 2-D (NCHW) windows are supported");
            }
            return new int[] {Math.toIntExact(v[0]), Math.toIntExact(v[1])};
        }

        // ---------------------------------------------------------------------------------------------------------
        // Nodes

        private void convertNode(NodeProto n) throws OnnxImportException {
            switch (n.getOpType()) {
                case "Constant" -> define(out(), new Const(constantNode()));
                case "Identity", "Dropout" -> {
                    if (n.getOpType().equals("Dropout")) {
                        requireOutputs(1);
                        if (input(2) != null && constant(2, "training_mode").getDouble(0) != 0) {
                            throw unsupported("is in training mode (random); export the model with model.eval()");
                        }
                    }
                    Value v = input(0);
                    if (v instanceof Dyn) {
                        Dyn d = dyn(0);
                        define(out(), same(new LayerSpec.Identity(layerName(out())), d));
                    } else {
                        define(out(), v);
                    }
                }
                case "Cast" -> cast();
                case "Shape" -> shape();
                case "Gather" -> gather();
                case "Unsqueeze", "Squeeze" -> squeeze(n.getOpType().equals("Unsqueeze"));
                case "ConstantOfShape" -> constantOfShape();
                case "Concat" -> concat();
                case "Add", "Sub", "Mul", "Div" -> arithmetic(n.getOpType());
                case "Conv" -> conv();
                case "BatchNormalization" -> batchNorm();
                case "Relu" -> activation(ActivationFunction.RELU, 0);
                case "Sigmoid" -> activation(ActivationFunction.SIGMOID, 0);
                case "Tanh" -> activation(ActivationFunction.TANH, 0);
                case "Softplus" -> activation(ActivationFunction.SOFTPLUS, 0);
                case "LeakyRelu" -> activation(ActivationFunction.LEAKY_RELU, floatAttr("alpha", 0.01));
                case "Elu" -> activation(ActivationFunction.ELU, floatAttr("alpha", 1.0));
                case "HardSigmoid" -> {
                    Dyn x = dyn(0);
                    define(out(), same(new LayerSpec.HardSigmoid(layerName(out()), floatAttr("alpha", 0.2),
                            floatAttr("beta", 0.5)), x));
                }
                case "HardSwish" -> {
                    Dyn x = dyn(0);
                    define(out(), same(new LayerSpec.HardSwish(layerName(out())), x));
                }
                case "Clip" -> clip();
                case "Softmax" -> softmax();
                case "MaxPool", "AveragePool" -> pool(n.getOpType().equals("MaxPool"));
                case "GlobalAveragePool", "GlobalMaxPool" -> globalPool(n.getOpType().equals("GlobalMaxPool"), true);
                case "ReduceMean" -> reduceMean();
                case "Flatten" -> flatten();
                case "Reshape" -> reshape();
                case "Transpose" -> transpose();
                case "Split" -> split();
                case "Slice" -> slice();
                case "Pad" -> pad();
                case "Gemm" -> gemm();
                case "MatMul" -> matmul();
                case "LayerNormalization" -> layerNormalization();
                case "Pow" -> {
                    Dyn x = dyn(0);
                    ConstTensor e = constant(1, "exponent");
                    if (e.size() != 1) {
                        throw unsupported("raises to a non-scalar exponent " + Arrays.toString(e.shape));
                    }
                    define(out(), same(new LayerSpec.UnaryMath(layerName(out()), LayerSpec.MathFunction.POWER,
                            e.getDouble(0)), x));
                }
                case "Sqrt" -> define(out(), same(new LayerSpec.UnaryMath(layerName(out()), LayerSpec.MathFunction.SQRT, 0),
                        dyn(0)));
                case "Erf" -> define(out(), same(new LayerSpec.UnaryMath(layerName(out()), LayerSpec.MathFunction.ERF, 0),
                        dyn(0)));
                case "Expand" -> expand();
                default -> throw unsupported("is not supported");
            }
        }

        private ConstTensor constantNode() throws OnnxImportException {
            for (AttributeProto a : node.getAttributeList()) {
                switch (a.getName()) {
                    case "value" -> {
                        return tensors.read(a.getT());
                    }
                    case "value_float" -> {
                        return ConstTensor.ofDoubles(new long[0], new double[] {a.getF()});
                    }
                    case "value_floats" -> {
                        double[] v = a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
                        return ConstTensor.ofDoubles(new long[] {v.length}, v);
                    }
                    case "value_int" -> {
                        return ConstTensor.ofLongs(new long[0], new long[] {a.getI()});
                    }
                    case "value_ints" -> {
                        long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                        return ConstTensor.ofLongs(new long[] {v.length}, v);
                    }
                    default -> throw unsupported("has attribute '" + a.getName() + "'; supported are value, value_float(s) "
                            + "and value_int(s)");
                }
            }
            throw unsupported("has no value");
        }

        private void cast() throws OnnxImportException {
            long to = intAttr("to", 1);
            Value v = input(0);
            boolean floating = to == 1 || to == 10 || to == 11;
            if (v instanceof Const c) {
                if (to == 9) {
                    long[] b = new long[c.tensor.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = c.tensor.getDouble(i) != 0 ? 1 : 0;
                    }
                    define(out(), new Const(ConstTensor.ofLongs(c.tensor.shape, b)));
                } else {
                    define(out(), new Const(c.tensor.cast(!floating)));
                }
            } else if (floating) {
                Dyn d = dyn(0);
                define(out(), same(new LayerSpec.Identity(layerName(out())), d));
            } else {
                throw unsupported("casts an activation to non-floating type " + to);
            }
        }

        /** The full ONNX shape, batch 1 first, of a value. */
        private long[] fullShape(Value v) {
            long[] per;
            if (v instanceof Dyn d) {
                per = d.shape;
            } else if (v instanceof ChannelView cv) {
                per = new long[cv.dims.length + 2];
                System.arraycopy(cv.dims, 0, per, 0, cv.dims.length);
                per[cv.dims.length] = cv.h;
                per[cv.dims.length + 1] = cv.w;
            } else {
                return ((Const) v).tensor.shape;
            }
            long[] full = new long[per.length + 1];
            full[0] = 1;
            System.arraycopy(per, 0, full, 1, per.length);
            return full;
        }

        private void shape() throws OnnxImportException {
            long[] full = fullShape(input(0));
            int r = full.length;
            int start = (int) normalizeAxis(intAttr("start", 0), r, true);
            int end = attribute("end") == null ? r : (int) normalizeAxis(intAttr("end", r), r, true);
            long[] dims = Arrays.copyOfRange(full, start, Math.max(start, end));
            define(out(), new Const(ConstTensor.ofLongs(new long[] {dims.length}, dims)));
        }

        private long normalizeAxis(long axis, int rank, boolean clamp) throws OnnxImportException {
            long a = axis < 0 ? axis + rank : axis;
            if (clamp) {
                return Math.max(0, Math.min(rank, a));
            }
            if (a < 0 || a >= rank) {
                throw unsupported("has axis " + axis + " for a tensor of rank " + rank);
            }
            return a;
        }

        private void gather() throws OnnxImportException {
            ConstTensor data = constant(0, "data (Gather is folded only on constants, such as a Shape)");
            ConstTensor idx = constant(1, "indices");
            int axis = (int) normalizeAxis(intAttr("axis", 0), data.rank(), false);
            long dim = data.shape[axis];
            long outer = 1;
            for (int i = 0; i < axis; i++) {
                outer *= data.shape[i];
            }
            long inner = 1;
            for (int i = axis + 1; i < data.rank(); i++) {
                inner *= data.shape[i];
            }
            long[] shape = new long[data.rank() - 1 + idx.rank()];
            System.arraycopy(data.shape, 0, shape, 0, axis);
            System.arraycopy(idx.shape, 0, shape, axis, idx.rank());
            System.arraycopy(data.shape, axis + 1, shape, axis + idx.rank(), data.rank() - axis - 1);
            int count = idx.size();
            int size = Math.toIntExact(outer * count * inner);
            long[] li = data.isInteger() ? new long[size] : null;
            double[] di = data.isInteger() ? null : new double[size];
            int k = 0;
            for (long o = 0; o < outer; o++) {
                for (int j = 0; j < count; j++) {
                    long index = idx.getLong(j);
                    if (index < 0) {
                        index += dim;
                    }
                    if (index < 0 || index >= dim) {
                        throw unsupported("gathers index " + idx.getLong(j) + " from an axis of size " + dim);
                    }
                    for (long i = 0; i < inner; i++) {
                        int src = (int) ((o * dim + index) * inner + i);
                        if (li != null) {
                            li[k++] = data.ints[src];
                        } else {
                            di[k++] = data.doubles[src];
                        }
                    }
                }
            }
            define(out(), new Const(li != null ? ConstTensor.ofLongs(shape, li) : ConstTensor.ofDoubles(shape, di)));
        }

        private void squeeze(boolean unsqueeze) throws OnnxImportException {
            Value v = input(0);
            long[] axes = opset >= 13 ? (input(1) == null ? null : constant(1, "axes").longs()) : intsAttr("axes", null);
            if (!(v instanceof Const c)) {
                throw unsupported((unsqueeze ? "unsqueezes" : "squeezes") + " an activation; only constants (shape "
                        + "computations) are folded");
            }
            long[] shape = c.tensor.shape;
            List<Long> dims = new ArrayList<>();
            if (unsqueeze) {
                if (axes == null) {
                    throw unsupported("has no axes");
                }
                int rank = shape.length + axes.length;
                Set<Long> at = new HashSet<>();
                for (long a : axes) {
                    at.add(normalizeAxis(a, rank, false));
                }
                int j = 0;
                for (int i = 0; i < rank; i++) {
                    dims.add(at.contains((long) i) ? 1L : shape[j++]);
                }
            } else {
                Set<Long> at = new HashSet<>();
                if (axes != null) {
                    for (long a : axes) {
                        at.add(normalizeAxis(a, shape.length, false));
                    }
                }
                for (int i = 0; i < shape.length; i++) {
                    if (!(shape[i] == 1 && (axes == null || at.contains((long) i)))) {
                        dims.add(shape[i]);
                    }
                }
            }
            define(out(), new Const(c.tensor.reshape(dims.stream().mapToLong(Long::longValue).toArray())));
        }

        private void constantOfShape() throws OnnxImportException {
            long[] shape = constant(0, "shape").longs();
            long count = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw unsupported("has a negative dimension " + Arrays.toString(shape));
                }
                count = Math.multiplyExact(count, d);
            }
            if (count > 1 << 24) {
                throw unsupported("would fill " + count + " values; constant tensors are limited to 2^24");
            }
            AttributeProto a = attribute("value");
            ConstTensor value = a == null ? ConstTensor.ofDoubles(new long[0], new double[] {0}) : tensors.read(a.getT());
            if (value.isInteger()) {
                long[] v = new long[(int) count];
                Arrays.fill(v, value.getLong(0));
                define(out(), new Const(ConstTensor.ofLongs(shape, v)));
            } else {
                double[] v = new double[(int) count];
                Arrays.fill(v, value.getDouble(0));
                define(out(), new Const(ConstTensor.ofDoubles(shape, v)));
            }
        }

        private void concat() throws OnnxImportException {
            List<Value> in = new ArrayList<>();
            for (int i = 0; i < node.getInputCount(); i++) {
                in.add(input(i));
            }
            if (in.stream().allMatch(v -> v instanceof Const)) {
                List<ConstTensor> ts = in.stream().map(v -> ((Const) v).tensor).toList();
                if (ts.stream().anyMatch(t -> t.rank() != 1)) {
                    throw unsupported("concatenates constants of rank other than 1; only shape vectors are folded");
                }
                boolean integer = ts.stream().allMatch(ConstTensor::isInteger);
                int total = ts.stream().mapToInt(ConstTensor::size).sum();
                long[] li = new long[total];
                double[] di = new double[total];
                int k = 0;
                for (ConstTensor t : ts) {
                    for (int i = 0; i < t.size(); i++, k++) {
                        li[k] = t.getLong(i);
                        di[k] = t.getDouble(i);
                    }
                }
                define(out(), new Const(integer ? ConstTensor.ofLongs(new long[] {total}, li)
                        : ConstTensor.ofDoubles(new long[] {total}, di)));
                return;
            }
            List<String> reads = new ArrayList<>();
            long channels = 0;
            long[] first = null;
            for (int i = 0; i < in.size(); i++) {
                Dyn d = dyn(i);
                long[] s = d.engineShape();
                int rank = s.length + 1;
                long axis = normalizeAxis(intAttr("axis", 1), rank, false);
                if (axis != 1) {
                    throw unsupported("concatenates along axis " + intAttr("axis", 1) + " of rank-" + rank + " tensors; only "
                            + "the channel axis 1 is supported");
                }
                if (first == null) {
                    first = d.shape;
                } else if (d.shape.length != first.length || !Arrays.equals(Arrays.copyOfRange(d.shape, 1, d.shape.length),
                        Arrays.copyOfRange(first, 1, first.length)) || d.vector != ((Dyn) in.get(0)).vector) {
                    throw unsupported("concatenates " + Arrays.toString(first) + " and " + Arrays.toString(d.shape)
                            + ", which differ in more than channels");
                }
                channels += d.shape[0];
                reads.add(d.layer);
            }
            long[] shape = first.clone();
            shape[0] = channels;
            boolean vector = ((Dyn) in.get(0)).vector;
            if (reads.size() == 1) {
                define(out(), add(new LayerSpec.Identity(layerName(out())), shape, vector, reads.get(0)));
            } else {
                define(out(), add(new LayerSpec.Concat(layerName(out())), shape, vector, reads.toArray(new String[0])));
            }
        }

        private void arithmetic(String op) throws OnnxImportException {
            Value a = input(0);
            Value b = input(1);
            if (a instanceof Const ca && b instanceof Const cb) {
                define(out(), new Const(foldArithmetic(op, ca.tensor, cb.tensor)));
                return;
            }
            if (a instanceof Dyn da && b instanceof Dyn db) {
                if (da.channelsLast != db.channelsLast) {
                    throw unsupported("combines a channels-last activation with a channels-first one");
                }
                boolean same = Arrays.equals(da.shape, db.shape) && da.vector == db.vector;
                if (same && !op.equals("Div")) {
                    LayerSpec.ElementWiseOp e = switch (op) {
                        case "Add" -> LayerSpec.ElementWiseOp.ADD;
                        case "Sub" -> LayerSpec.ElementWiseOp.SUBTRACT;
                        default -> LayerSpec.ElementWiseOp.PRODUCT;
                    };
                    String name = layerName(out());
                    builder.add(new LayerSpec.ElementWise(name, e), da.layer, db.layer);
                    define(out(), new Dyn(name, da.shape, da.vector, da.channelsLast));
                    return;
                }
                if (da.vector || db.vector || da.shape.length != db.shape.length) {
                    throw unsupported("combines activations of shapes " + Arrays.toString(da.shape) + " and "
                            + Arrays.toString(db.shape) + "; broadcasting needs equal ranks");
                }
                long[] shape = new long[da.shape.length];
                for (int i = 0; i < shape.length; i++) {
                    if (da.shape[i] != db.shape[i] && da.shape[i] != 1 && db.shape[i] != 1) {
                        throw unsupported("combines activations of shapes " + Arrays.toString(da.shape) + " and "
                                + Arrays.toString(db.shape) + ", which do not broadcast");
                    }
                    shape[i] = Math.max(da.shape[i], db.shape[i]);
                }
                LayerSpec.BroadcastOp bop = switch (op) {
                    case "Add" -> LayerSpec.BroadcastOp.ADD;
                    case "Sub" -> LayerSpec.BroadcastOp.SUBTRACT;
                    case "Mul" -> LayerSpec.BroadcastOp.MULTIPLY;
                    default -> LayerSpec.BroadcastOp.DIVIDE;
                };
                String name = layerName(out());
                builder.add(new LayerSpec.Broadcast(name, bop), da.layer, db.layer);
                define(out(), new Dyn(name, shape, false, da.channelsLast));
                return;
            }
            boolean constantFirst = a instanceof Const;
            Dyn x = constantFirst ? dyn(1) : dyn(0);
            ConstTensor c = constantFirst ? ((Const) a).tensor : constant(1, "other operand");
            long[] full = fullShape(x);
            if (c.rank() > full.length) {
                throw unsupported("broadcasts a constant of shape " + Arrays.toString(c.shape) + " against an activation "
                        + Arrays.toString(x.shape) + ", which would change the activation's rank");
            }
            if (c.size() == 1) {
                double v = c.getDouble(0);
                double scale;
                double shift;
                switch (op) {
                    case "Add" -> { scale = 1; shift = v; }
                    case "Sub" -> { scale = constantFirst ? -1 : 1; shift = constantFirst ? v : -v; }
                    case "Mul" -> { scale = v; shift = 0; }
                    default -> {
                        if (constantFirst) {
                            throw unsupported("divides a constant by an activation; only activation / constant is supported");
                        }
                        scale = 1 / v;
                        shift = 0;
                    }
                }
                define(out(), same(new LayerSpec.ScalarAffine(layerName(out()), scale, shift), x));
                return;
            }
            // A per-channel constant: shape [C, 1, 1] / [1, C, 1, 1] against [n, C, H, W], or [C] / [1, C] against [n, C];
            // channels-last, [C] / [1, 1, C] against [n, H, W, C].
            long channels = x.channels();
            int channelAxis = x.channelsLast ? full.length - 1 : 1;
            int offset = full.length - c.rank();
            for (int i = 0; i < c.rank(); i++) {
                int axis = offset + i;
                long expected = axis == channelAxis ? channels : 1;
                if (c.shape[i] != expected && !(axis == channelAxis && c.shape[i] == 1)) {
                    throw unsupported("combines an activation " + Arrays.toString(x.shape) + " with a constant of shape "
                            + Arrays.toString(c.shape) + "; only scalars and per-channel constants are supported");
                }
            }
            if (offset > channelAxis) {
                throw unsupported("combines an activation " + Arrays.toString(x.shape) + " with a constant of shape "
                        + Arrays.toString(c.shape) + "; only scalars and per-channel constants are supported");
            }
            double[] per = new double[(int) channels];
            for (int ch = 0; ch < channels; ch++) {
                per[ch] = c.getDouble(c.size() == 1 ? 0 : ch);
            }
            double[] scale = new double[per.length];
            double[] shift = new double[per.length];
            for (int ch = 0; ch < per.length; ch++) {
                double v = per[ch];
                switch (op) {
                    case "Add" -> { scale[ch] = 1; shift[ch] = v; }
                    case "Sub" -> { scale[ch] = constantFirst ? -1 : 1; shift[ch] = constantFirst ? v : -v; }
                    case "Mul" -> { scale[ch] = v; shift[ch] = 0; }
                    default -> {
                        if (constantFirst) {
                            throw unsupported("divides a constant by an activation; only activation / constant is supported");
                        }
                        scale[ch] = 1 / v;
                        shift[ch] = 0;
                    }
                }
            }
            define(out(), same(new LayerSpec.ChannelAffine(layerName(out()), vector(scale), vector(shift),
                    ActivationFunction.IDENTITY, 0), x));
        }

        private INDArray vector(double[] v) {
            return Nd4j.create(v, new long[] {v.length}, DataType.DOUBLE);
        }

        private ConstTensor foldArithmetic(String op, ConstTensor a, ConstTensor b) throws OnnxImportException {
            int rank = Math.max(a.rank(), b.rank());
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                long da = i - (rank - a.rank()) >= 0 ? a.shape[i - (rank - a.rank())] : 1;
                long db = i - (rank - b.rank()) >= 0 ? b.shape[i - (rank - b.rank())] : 1;
                if (da != db && da != 1 && db != 1) {
                    throw unsupported("folds constants of shapes " + Arrays.toString(a.shape) + " and "
                            + Arrays.toString(b.shape) + ", which do not broadcast");
                }
                shape[i] = Math.max(da, db);
            }
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            if (count > 1 << 24) {
                throw unsupported("would fold " + count + " values; constant folding is limited to 2^24");
            }
            boolean integer = a.isInteger() && b.isInteger();
            long[] li = new long[(int) count];
            double[] di = new double[(int) count];
            long[] index = new long[rank];
            for (int k = 0; k < count; k++) {
                long rem = k;
                for (int i = rank - 1; i >= 0; i--) {
                    index[i] = rem % shape[i];
                    rem /= shape[i];
                }
                int ia = flatIndex(a, index, rank);
                int ib = flatIndex(b, index, rank);
                if (integer) {
                    long x = a.getLong(ia);
                    long y = b.getLong(ib);
                    li[k] = switch (op) {
                        case "Add" -> x + y;
                        case "Sub" -> x - y;
                        case "Mul" -> x * y;
                        default -> {
                            if (y == 0) {
                                throw unsupported("divides by zero while folding constants");
                            }
                            yield x / y; // ONNX's integer Div truncates toward zero, as Java's
                        }
                    };
                } else {
                    double x = a.getDouble(ia);
                    double y = b.getDouble(ib);
                    di[k] = switch (op) {
                        case "Add" -> x + y;
                        case "Sub" -> x - y;
                        case "Mul" -> x * y;
                        default -> x / y;
                    };
                }
            }
            return integer ? ConstTensor.ofLongs(shape, li) : ConstTensor.ofDoubles(shape, di);
        }

        private int flatIndex(ConstTensor t, long[] index, int rank) {
            int offset = rank - t.rank();
            long flat = 0;
            for (int i = 0; i < t.rank(); i++) {
                long d = t.shape[i];
                flat = flat * d + (d == 1 ? 0 : index[i + offset]);
            }
            return (int) flat;
        }

        private Dyn spatial(int i) throws OnnxImportException {
            Dyn x = dyn(i);
            if (x.vector || x.shape.length != 3) {
                throw unsupported("reads an activation of per-example shape " + Arrays.toString(x.shape)
                        + "; expected an image tensor [n, c, h, w]");
            }
            return x;
        }

        /** Explicit pads {@code [top, left, bottom, right]} after resolving {@code auto_pad}. */
        private long[] pads(long[] in, long[] kernel, long[] stride, long[] dilation) throws OnnxImportException {
            String auto = stringAttr("auto_pad", "NOTSET");
            long[] pads = intsAttr("pads", new long[4]);
            if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p < 0)) {
                throw unsupported("has pads " + Arrays.toString(pads) + "; expected four non-negative values");
            }
            switch (auto) {
                case "NOTSET" -> {
                    return pads;
                }
                case "VALID" -> {
                    return new long[4];
                }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    long[] out = new long[4];
                    for (int a = 0; a < 2; a++) {
                        long o = (in[a] + stride[a] - 1) / stride[a];
                        long total = Math.max(0, (o - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - in[a]);
                        long small = total / 2;
                        out[a] = auto.equals("SAME_UPPER") ? small : total - small;
                        out[a + 2] = total - out[a];
                    }
                    return out;
                }
                default -> throw unsupported("has auto_pad '" + auto + "'");
            }
        }

        private void conv() throws OnnxImportException {
            Dyn x = spatial(0);
            ConstTensor w = constant(1, "weights");
            ConstTensor b = input(2) == null ? null : constant(2, "bias");
            if (w.rank() != 4) {
                throw unsupported("has weights of shape " + Arrays.toString(w.shape) + "; only 2-D convolutions are "
                        + "supported");
            }
            long group = intAttr("group", 1);
            long outChannels = w.shape[0];
            long inPerGroup = w.shape[1];
            long channels = x.shape[0];
            if (group < 1 || inPerGroup * group != channels || outChannels % group != 0) {
                throw unsupported("has weights " + Arrays.toString(w.shape) + " and group " + group + " for an input with "
                        + channels + " channels");
            }
            long[] kernel = {w.shape[2], w.shape[3]};
            long[] declared = intsAttr("kernel_shape", kernel);
            if (!Arrays.equals(declared, kernel)) {
                throw unsupported("declares kernel_shape " + Arrays.toString(declared) + " but has weights "
                        + Arrays.toString(w.shape));
            }
            long[] stride = intsAttr("strides", new long[] {1, 1});
            long[] dilation = intsAttr("dilations", new long[] {1, 1});
            int[] s = ints2(stride, "strides");
            int[] d = ints2(dilation, "dilations");
            long[] in = {x.shape[1], x.shape[2]};
            long[] p = pads(in, kernel, stride, dilation);
            String read = x.layer;
            long[] inShape = x.shape;
            int[] symmetric = {(int) p[0], (int) p[1]};
            if (p[0] != p[2] || p[1] != p[3]) {
                String padName = layerName(out() + "#pad");
                builder.add(new LayerSpec.ZeroPadding(padName, new int[] {(int) p[0], (int) p[2], (int) p[1], (int) p[3]}),
                        read);
                read = padName;
                inShape = new long[] {channels, in[0] + p[0] + p[2], in[1] + p[1] + p[3]};
                symmetric = new int[] {0, 0};
            }
            long[] outShape = {outChannels,
                    (inShape[1] + 2L * symmetric[0] - ((kernel[0] - 1) * d[0] + 1)) / s[0] + 1,
                    (inShape[2] + 2L * symmetric[1] - ((kernel[1] - 1) * d[1] + 1)) / s[1] + 1};
            if (b != null && b.size() != outChannels) {
                throw unsupported("has a bias of " + b.size() + " values for " + outChannels + " output channels");
            }
            INDArray weights = w.toArray();
            INDArray bias = b == null ? null : b.toArray().reshape(outChannels);
            String name = layerName(out());
            LayerSpec layer;
            if (group == 1) {
                layer = new LayerSpec.Convolution(name, weights, bias, s, symmetric, d, false, ActivationFunction.IDENTITY, 0);
            } else if (group == channels && inPerGroup == 1) {
                long multiplier = outChannels / channels;
                // ONNX output channel c * m + j reads input channel c, as the engine's depthwise layout.
                INDArray depthwise = weights.reshape(channels, multiplier, kernel[0], kernel[1]).permute(2, 3, 0, 1).dup('c');
                layer = new LayerSpec.DepthwiseConvolution(name, depthwise, bias, s, symmetric, d, false,
                        ActivationFunction.IDENTITY, 0);
            } else {
                // Grouped convolution (RegNet, ResNeXt) as one convolution with block-diagonal weights: exact, at the cost
                // of multiplying the zeros between the groups.
                long outPerGroup = outChannels / group;
                INDArray full = Nd4j.zeros(DataType.DOUBLE, outChannels, channels, kernel[0], kernel[1]);
                for (long g = 0; g < group; g++) {
                    full.get(NDArrayIndex.interval(g * outPerGroup, (g + 1) * outPerGroup),
                            NDArrayIndex.interval(g * inPerGroup, (g + 1) * inPerGroup), NDArrayIndex.all(), NDArrayIndex.all())
                            .assign(weights.get(NDArrayIndex.interval(g * outPerGroup, (g + 1) * outPerGroup),
                                    NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
                }
                layer = new LayerSpec.Convolution(name, full, bias, s, symmetric, d, false, ActivationFunction.IDENTITY, 0);
            }
            if (outShape[1] <= 0 || outShape[2] <= 0) {
                throw unsupported("would produce an empty output " + Arrays.toString(outShape));
            }
            define(out(), add(layer, outShape, false, read));
        }

        private void batchNorm() throws OnnxImportException {
            Dyn x = dyn(0);
            if (intAttr("training_mode", 0) != 0 || intAttr("is_test", 1) == 0) {
                throw unsupported("is in training mode; export the model with model.eval()");
            }
            if (intAttr("spatial", 1) != 1) {
                throw unsupported("has spatial = 0 (per-position statistics); only per-channel statistics are supported");
            }
            requireOutputs(1);
            double[] gamma = constant(1, "scale").asDoubles();
            double[] beta = constant(2, "bias").asDoubles();
            double[] mean = constant(3, "mean").asDoubles();
            double[] var = constant(4, "variance").asDoubles();
            double eps = floatAttr("epsilon", 1e-5);
            long channels = x.shape[0];
            if (gamma.length != channels || beta.length != channels || mean.length != channels || var.length != channels) {
                throw unsupported("has parameters for " + gamma.length + " channels but its input has " + channels);
            }
            double[] scale = new double[gamma.length];
            double[] shift = new double[gamma.length];
            for (int c = 0; c < scale.length; c++) {
                scale[c] = gamma[c] / Math.sqrt(var[c] + eps);
                shift[c] = beta[c] - mean[c] * scale[c];
            }
            define(out(), add(new LayerSpec.ChannelAffine(layerName(out()), vector(scale), vector(shift),
                    ActivationFunction.IDENTITY, 0), x.shape, x.vector, x.layer));
        }

        private void activation(ActivationFunction f, double alpha) throws OnnxImportException {
            Dyn x = dyn(0);
            define(out(), same(new LayerSpec.Activation(layerName(out()), f, alpha), x));
        }

        private void clip() throws OnnxImportException {
            Dyn x = dyn(0);
            double min;
            double max;
            if (opset < 11) {
                min = floatAttr("min", Double.NEGATIVE_INFINITY);
                max = floatAttr("max", Double.POSITIVE_INFINITY);
            } else {
                min = input(1) == null ? Double.NEGATIVE_INFINITY : constant(1, "min").getDouble(0);
                max = input(2) == null ? Double.POSITIVE_INFINITY : constant(2, "max").getDouble(0);
            }
            if (min > max) {
                throw unsupported("clips to [" + min + ", " + max + "], an empty interval");
            }
            define(out(), same(new LayerSpec.Clip(layerName(out()), min, max), x));
        }

        private void softmax() throws OnnxImportException {
            Dyn x = dyn(0);
            long axis = normalizeAxis(intAttr("axis", opset >= 13 ? -1 : 1), x.shape.length + 1, false);
            if (x.engineShape().length != 1 || axis != 1) {
                throw unsupported("applies softmax on axis " + intAttr("axis", opset >= 13 ? -1 : 1) + " of per-example shape "
                        + Arrays.toString(x.shape) + "; only the class axis of [n, classes] is supported");
            }
            define(out(), add(new LayerSpec.Activation(layerName(out()), ActivationFunction.SOFTMAX, 0), x.shape, x.vector,
                    x.layer));
        }

        private void pool(boolean max) throws OnnxImportException {
            Dyn x = spatial(0);
            requireOutputs(1);
            long[] kernel = intsAttr("kernel_shape", null);
            if (kernel == null) {
                throw unsupported("has no kernel_shape");
            }
            int[] k = ints2(kernel, "kernel_shape");
            long[] stride = intsAttr("strides", new long[] {1, 1});
            int[] s = ints2(stride, "strides");
            long[] dil = intsAttr("dilations", new long[] {1, 1});
            if (dil[0] != 1 || dil[1] != 1) {
                throw unsupported("has dilations " + Arrays.toString(dil) + "; only 1 is supported for pooling");
            }
            if (intAttr("storage_order", 0) != 0) {
                throw unsupported("has storage_order 1");
            }
            boolean ceil = intAttr("ceil_mode", 0) != 0;
            boolean includePad = intAttr("count_include_pad", 0) != 0;
            long[] in = {x.shape[1], x.shape[2]};
            long[] p = pads(in, kernel, stride, dil);
            long[] outSize = new long[2];
            long[] extra = new long[2];
            for (int a = 0; a < 2; a++) {
                long span = in[a] + p[a] + p[a + 2] - k[a];
                if (span < 0) {
                    throw unsupported("has a kernel " + Arrays.toString(kernel) + " larger than its padded input");
                }
                long o = (ceil ? Math.floorDiv(span + s[a] - 1, s[a]) : Math.floorDiv(span, s[a])) + 1;
                // PyTorch and ONNX drop a last window that would start in the end padding.
                if (ceil && (o - 1) * s[a] >= in[a] + p[a]) {
                    o--;
                }
                outSize[a] = o;
                extra[a] = Math.max(0, (o - 1) * s[a] + k[a] - (in[a] + p[a] + p[a + 2]));
            }
            boolean asymmetric = p[0] != p[2] + extra[0] || p[1] != p[3] + extra[1];
            String read = x.layer;
            int[] padding = {(int) p[0], (int) p[1]};
            if (max && (asymmetric || p[0] > 0 || p[1] > 0)) {
                // Explicit -inf padding: padded positions never win the maximum, whatever the sign of the input.
                String padName = layerName(out() + "#pad");
                builder.add(new LayerSpec.ConstantPadding(padName, new int[] {(int) p[0], (int) (p[2] + extra[0]),
                        (int) p[1], (int) (p[3] + extra[1])}, Double.NEGATIVE_INFINITY), read);
                read = padName;
                padding = new int[] {0, 0};
            } else if (!max && asymmetric) {
                if (extra[0] > 0 || extra[1] > 0 || !includePad) {
                    throw unsupported("averages with asymmetric padding " + Arrays.toString(p) + (ceil ? " and ceil_mode" : "")
                            + "; only symmetric padding (or zero padding counted in the divisor) is supported");
                }
                String padName = layerName(out() + "#pad");
                builder.add(new LayerSpec.ZeroPadding(padName, new int[] {(int) p[0], (int) p[2], (int) p[1], (int) p[3]}),
                        read);
                read = padName;
                padding = new int[] {0, 0};
            }
            LayerSpec layer = new LayerSpec.Pooling(layerName(out()), max ? LayerSpec.PoolingType.MAX : LayerSpec.PoolingType.AVG,
                    k, s, padding, false, includePad);
            define(out(), add(layer, new long[] {x.shape[0], outSize[0], outSize[1]}, false, read));
        }

        /** Whether every reader of this node's output flattens it to [n, c] (Flatten, or Reshape to rank 2). */
        private boolean onlyFlattened() {
            List<NodeProto> readers = consumers.getOrDefault(out(), List.of());
            if (readers.isEmpty() || graph.getOutput(0).getName().equals(out())) {
                return false;
            }
            for (NodeProto r : readers) {
                boolean flat = r.getOpType().equals("Flatten") && (r.getAttributeCount() == 0
                        || r.getAttributeList().stream().allMatch(a -> !a.getName().equals("axis") || a.getI() == 1));
                boolean reshape2d = r.getOpType().equals("Reshape") && r.getInput(0).equals(out())
                        && values.get(r.getInput(1)) instanceof Const c && c.tensor.size() == 2;
                if (!flat && !reshape2d) {
                    return false;
                }
            }
            return true;
        }

        private void globalPool(boolean max, boolean keepDims) throws OnnxImportException {
            Dyn x = spatial(0);
            LayerSpec.PoolingType type = max ? LayerSpec.PoolingType.MAX : LayerSpec.PoolingType.AVG;
            long[] shape = {x.shape[0], 1, 1};
            if (!keepDims) {
                define(out(), add(new LayerSpec.GlobalPooling(layerName(out()), type), new long[] {x.shape[0]}, false,
                        x.layer));
            } else if (onlyFlattened()) {
                define(out(), add(new LayerSpec.GlobalPooling(layerName(out()), type), shape, true, x.layer));
            } else {
                // Read by spatial layers (squeeze-and-excitation): a pooling window over the whole map keeps [c, 1, 1].
                int[] k = {(int) x.shape[1], (int) x.shape[2]};
                define(out(), add(new LayerSpec.Pooling(layerName(out()), type, k, new int[] {1, 1}, new int[] {0, 0}, false,
                        false), shape, false, x.layer));
            }
        }

        private void reduceMean() throws OnnxImportException {
            Dyn x = dyn(0);
            long[] axes = intsAttr("axes", null);
            if (axes == null) {
                throw unsupported("has no axes; supported are the spatial axes [2, 3] and the channel axis");
            }
            int rank = x.shape.length + 1;
            Set<Long> set = new HashSet<>();
            for (long a : axes) {
                set.add(normalizeAxis(a, rank, false));
            }
            boolean keep = intAttr("keepdims", 1) != 0;
            long channelAxis = x.channelsLast ? rank - 1 : 1;
            if (set.equals(Set.of(channelAxis)) && keep && !x.vector) {
                // The mean over channels of a layer normalization (ONNX opset 13 spells LayerNorm out).
                long[] shape = x.shape.clone();
                shape[x.channelsLast ? shape.length - 1 : 0] = 1;
                String name = layerName(out());
                builder.add(new LayerSpec.ChannelMean(name), x.layer);
                define(out(), new Dyn(name, shape, false, x.channelsLast));
                return;
            }
            if (x.channelsLast || !set.equals(Set.of(2L, 3L))) {
                throw unsupported("reduces axes " + Arrays.toString(axes) + (keep ? "" : " without keepdims") + " of "
                        + Arrays.toString(x.shape) + "; supported are the spatial axes [2, 3] of [n, c, h, w] and the channel"
                        + " axis with keepdims");
            }
            spatial(0);
            globalPool(false, keep);
        }

        /** LayerNormalization over the channel axis: mean, centering, variance, square root, division, scale and shift. */
        private void layerNormalization() throws OnnxImportException {
            Dyn x = dyn(0);
            requireOutputs(1);
            int rank = x.shape.length + 1;
            long axis = normalizeAxis(intAttr("axis", -1), rank, false);
            boolean overChannels = x.channelsLast ? axis == rank - 1 : !x.vector && x.shape.length == 1 && axis == 1;
            if (!overChannels) {
                throw unsupported("normalizes from axis " + intAttr("axis", -1) + " of " + Arrays.toString(x.shape)
                        + "; only the channel axis is supported (channels-last after a Transpose, or [n, features])");
            }
            long channels = x.channels();
            double[] gamma = constant(1, "scale").asDoubles();
            double[] beta = input(2) == null ? new double[gamma.length] : constant(2, "bias").asDoubles();
            if (gamma.length != channels || beta.length != channels) {
                throw unsupported("has " + gamma.length + " scales and " + beta.length + " biases for " + channels
                        + " channels");
            }
            double eps = floatAttr("epsilon", 1e-5);
            String o = out();
            String mean = layerName(o + "#mean");
            builder.add(new LayerSpec.ChannelMean(mean), x.layer);
            String centered = layerName(o + "#centered");
            builder.add(new LayerSpec.Broadcast(centered, LayerSpec.BroadcastOp.SUBTRACT), x.layer, mean);
            String square = layerName(o + "#square");
            builder.add(new LayerSpec.UnaryMath(square, LayerSpec.MathFunction.POWER, 2), centered);
            String variance = layerName(o + "#variance");
            builder.add(new LayerSpec.ChannelMean(variance), square);
            String shifted = layerName(o + "#variance+eps");
            builder.add(new LayerSpec.ScalarAffine(shifted, 1, eps), variance);
            String std = layerName(o + "#std");
            builder.add(new LayerSpec.UnaryMath(std, LayerSpec.MathFunction.SQRT, 0), shifted);
            String normalized = layerName(o + "#normalized");
            builder.add(new LayerSpec.Broadcast(normalized, LayerSpec.BroadcastOp.DIVIDE), centered, std);
            String name = layerName(o);
            builder.add(new LayerSpec.ChannelAffine(name, vector(gamma), vector(beta), ActivationFunction.IDENTITY, 0),
                    normalized);
            define(o, new Dyn(name, x.shape, false, x.channelsLast));
        }

        private void flatten() throws OnnxImportException {
            Dyn x = dyn(0);
            long axis = normalizeAxis(intAttr("axis", 1), x.shape.length + 1, true);
            if (axis != 1) {
                throw unsupported("flattens from axis " + intAttr("axis", 1) + "; only axis 1 ([n, features]) is supported");
            }
            flattenTo(x);
        }

        private void flattenTo(Dyn x) {
            long size = Arrays.stream(x.shape).reduce(1, (p, q) -> p * q);
            if (x.vector || x.shape.length == 1) {
                define(out(), add(new LayerSpec.Identity(layerName(out())), new long[] {size}, false, x.layer));
            } else {
                define(out(), add(new LayerSpec.Flatten(layerName(out()), false), new long[] {size}, false, x.layer));
            }
        }

        /** A Reshape target resolved against an input of full shape {@code full} (batch 1), ONNX's 0 and -1 rules. */
        private long[] reshapeTarget(long[] full, ConstTensor target) throws OnnxImportException {
            long[] t = target.longs();
            boolean allowZero = intAttr("allowzero", 0) != 0;
            long total = Arrays.stream(full).reduce(1, (p, q) -> p * q);
            long known = 1;
            int infer = -1;
            long[] out = new long[t.length];
            for (int i = 0; i < t.length; i++) {
                if (t[i] == 0 && !allowZero) {
                    if (i >= full.length) {
                        throw unsupported("copies dimension " + i + " of a rank-" + full.length + " input");
                    }
                    out[i] = full[i];
                } else if (t[i] == -1) {
                    if (infer >= 0) {
                        throw unsupported("has two -1 dimensions in " + Arrays.toString(t));
                    }
                    infer = i;
                    continue;
                } else if (t[i] < 0) {
                    throw unsupported("has a negative dimension in " + Arrays.toString(t));
                } else {
                    out[i] = t[i];
                }
                known *= out[i];
            }
            if (infer >= 0) {
                if (known == 0 || total % known != 0) {
                    throw unsupported("cannot infer the -1 in " + Arrays.toString(t) + " for " + total + " values");
                }
                out[infer] = total / known;
            }
            if (Arrays.stream(out).reduce(1, (p, q) -> p * q) != total || out.length == 0 || out[0] != 1) {
                throw unsupported("reshapes " + Arrays.toString(full) + " to " + Arrays.toString(t) + ", which does not "
                        + "keep the batch dimension and the element count");
            }
            return Arrays.copyOfRange(out, 1, out.length);
        }

        private void reshape() throws OnnxImportException {
            Value v = input(0);
            ConstTensor target = constant(1, "target shape");
            if (v instanceof Const c) {
                long[] full = c.tensor.shape;
                long[] t = target.longs();
                long total = Arrays.stream(full).reduce(1, (p, q) -> p * q);
                long known = 1;
                int infer = -1;
                for (int i = 0; i < t.length; i++) {
                    if (t[i] == 0) {
                        t[i] = full[i];
                    }
                    if (t[i] == -1) {
                        infer = i;
                    } else {
                        known *= t[i];
                    }
                }
                if (infer >= 0) {
                    t[infer] = total / known;
                }
                define(out(), new Const(c.tensor.reshape(t)));
                return;
            }
            long[] per = reshapeTarget(fullShape(v), target);
            if (v instanceof ChannelView cv) {
                if (per.length != 3 || per[1] != cv.h || per[2] != cv.w) {
                    throw unsupported("reshapes a channel-factored view to " + Arrays.toString(per) + "; expected [c, h, w]"
                            + " (a channel shuffle)");
                }
                boolean identity = true;
                for (int i = 0; i < cv.source.length; i++) {
                    identity &= cv.source[i] == i;
                }
                long[] shape = {per[0], cv.h, cv.w};
                LayerSpec layer = identity ? new LayerSpec.Identity(layerName(out()))
                        : new LayerSpec.ChannelOrder(layerName(out()), cv.source.clone());
                define(out(), add(layer, shape, false, cv.layer));
                return;
            }
            Dyn x = (Dyn) v;
            if (Arrays.equals(per, x.shape)) {
                define(out(), add(new LayerSpec.Identity(layerName(out())), x.shape, x.vector, x.layer));
            } else if (per.length == 1) {
                flattenTo(x);
            } else if (!x.vector && x.shape.length == 3 && per.length > 3 && per[per.length - 2] == x.shape[1]
                    && per[per.length - 1] == x.shape[2]) {
                long[] dims = Arrays.copyOfRange(per, 0, per.length - 2);
                int[] source = new int[(int) x.shape[0]];
                for (int i = 0; i < source.length; i++) {
                    source[i] = i;
                }
                define(out(), new ChannelView(x.layer, dims, source, x.shape[1], x.shape[2]));
            } else {
                throw unsupported("reshapes " + Arrays.toString(x.shape) + " to " + Arrays.toString(per) + "; supported are "
                        + "flattening to [n, features], no-op reshapes, and the channel split of a channel shuffle");
            }
        }

        private void transpose() throws OnnxImportException {
            Value v = input(0);
            long[] full = fullShape(v);
            long[] perm = intsAttr("perm", null);
            if (perm == null) {
                perm = new long[full.length];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = perm.length - 1 - i;
                }
            }
            int r = full.length;
            boolean identity = true;
            for (int i = 0; i < perm.length; i++) {
                identity &= perm[i] == i;
            }
            if (v instanceof Dyn x && identity) {
                define(out(), same(new LayerSpec.Identity(layerName(out())), x));
                return;
            }
            if (v instanceof Dyn x && !x.vector && x.shape.length == 3 && perm.length == 4) {
                boolean toLast = !x.channelsLast && Arrays.equals(perm, new long[] {0, 2, 3, 1});
                boolean toFirst = x.channelsLast && Arrays.equals(perm, new long[] {0, 3, 1, 2});
                if (toLast || toFirst) {
                    // The engine stores images channels-last already: the permute only changes how ONNX indexes them.
                    long[] shape = toLast ? new long[] {x.shape[1], x.shape[2], x.shape[0]}
                            : new long[] {x.shape[2], x.shape[0], x.shape[1]};
                    String name = layerName(out());
                    builder.add(new LayerSpec.Identity(name), x.layer);
                    define(out(), new Dyn(name, shape, false, toLast));
                    return;
                }
            }
            if (!(v instanceof ChannelView cv) || perm.length != r || perm[0] != 0 || perm[r - 2] != r - 2
                    || perm[r - 1] != r - 1) {
                throw unsupported("transposes " + Arrays.toString(full) + " with perm " + Arrays.toString(perm)
                        + "; supported are the permutes to and from channels-last ([0, 2, 3, 1], [0, 3, 1, 2]) and the channel "
                        + "shuffle (permuting the factors of a reshaped channel axis)");
            }
            int k = cv.dims.length;
            int[] p = new int[k];
            long[] dims = new long[k];
            for (int j = 0; j < k; j++) {
                p[j] = (int) perm[j + 1] - 1;
                if (p[j] < 0 || p[j] >= k) {
                    throw unsupported("has perm " + Arrays.toString(perm));
                }
                dims[j] = cv.dims[p[j]];
            }
            int[] source = new int[cv.source.length];
            long[] newIndex = new long[k];
            long[] oldIndex = new long[k];
            for (int flat = 0; flat < source.length; flat++) {
                long rem = flat;
                for (int j = k - 1; j >= 0; j--) {
                    newIndex[j] = rem % dims[j];
                    rem /= dims[j];
                }
                for (int j = 0; j < k; j++) {
                    oldIndex[p[j]] = newIndex[j];
                }
                long old = 0;
                for (int j = 0; j < k; j++) {
                    old = old * cv.dims[j] + oldIndex[j];
                }
                source[flat] = cv.source[(int) old];
            }
            define(out(), new ChannelView(cv.layer, dims, source, cv.h, cv.w));
        }

        private void split() throws OnnxImportException {
            Dyn x = dyn(0);
            long axis = normalizeAxis(intAttr("axis", 0), x.shape.length + 1, false);
            if (axis != 1) {
                throw unsupported("splits axis " + intAttr("axis", 0) + "; only the channel axis 1 is supported");
            }
            long[] sizes;
            if (opset >= 13 && input(1) != null) {
                sizes = constant(1, "split sizes").longs();
            } else if (opset < 13 && attribute("split") != null) {
                sizes = intsAttr("split", null);
            } else {
                int parts = node.getOutputCount();
                if (x.shape[0] % parts != 0) {
                    throw unsupported("splits " + x.shape[0] + " channels into " + parts + " equal parts");
                }
                sizes = new long[parts];
                Arrays.fill(sizes, x.shape[0] / parts);
            }
            if (sizes.length != node.getOutputCount() || Arrays.stream(sizes).sum() != x.shape[0]
                    || Arrays.stream(sizes).anyMatch(q -> q <= 0)) {
                throw unsupported("splits " + x.shape[0] + " channels into " + Arrays.toString(sizes) + " for "
                        + node.getOutputCount() + " outputs");
            }
            long start = 0;
            for (int i = 0; i < sizes.length; i++) {
                String o = node.getOutput(i);
                if (!o.isEmpty()) {
                    long[] shape = x.shape.clone();
                    shape[0] = sizes[i];
                    define(o, add(new LayerSpec.ChannelSlice(layerName(o), (int) start, (int) (start + sizes[i])), shape,
                            x.vector, x.layer));
                }
                start += sizes[i];
            }
        }

        private void slice() throws OnnxImportException {
            Value v = input(0);
            long[] starts = constant(1, "starts").longs();
            long[] ends = constant(2, "ends").longs();
            long[] axes = input(3) == null ? null : constant(3, "axes").longs();
            long[] steps = input(4) == null ? null : constant(4, "steps").longs();
            long[] full = fullShape(v);
            int r = full.length;
            long[] begin = new long[r];
            long[] end = full.clone();
            for (int i = 0; i < starts.length; i++) {
                int axis = (int) normalizeAxis(axes == null ? i : axes[i], r, false);
                long step = steps == null ? 1 : steps[i];
                if (step != 1) {
                    throw unsupported("slices with step " + step + "; only step 1 is supported");
                }
                long dim = full[axis];
                long st = starts[i] < 0 ? starts[i] + dim : starts[i];
                long en = ends[i] < 0 ? ends[i] + dim : ends[i];
                begin[axis] = Math.max(0, Math.min(dim, st));
                end[axis] = Math.max(0, Math.min(dim, en));
                if (end[axis] <= begin[axis]) {
                    throw unsupported("slices axis " + axis + " to an empty range [" + starts[i] + ", " + ends[i] + ")");
                }
            }
            if (v instanceof Const c) {
                if (r != 1) {
                    throw unsupported("slices a constant of rank " + r + "; only shape vectors are folded");
                }
                int from = (int) begin[0];
                int to = (int) end[0];
                ConstTensor t = c.tensor;
                ConstTensor sliced = t.isInteger()
                        ? ConstTensor.ofLongs(new long[] {to - from}, Arrays.copyOfRange(t.ints, from, to))
                        : ConstTensor.ofDoubles(new long[] {to - from}, Arrays.copyOfRange(t.doubles, from, to));
                define(out(), new Const(sliced));
                return;
            }
            Dyn x = dyn(0);
            if (begin[0] != 0 || (x.vector && (r > 2 && (begin[2] != 0 || begin[3] != 0)))) {
                throw unsupported("slices the batch axis");
            }
            String read = x.layer;
            long[] shape = x.shape.clone();
            boolean any = false;
            if (begin[1] != 0 || end[1] != full[1]) {
                String name = r == 4 && (begin[2] != 0 || end[2] != full[2] || begin[3] != 0 || end[3] != full[3])
                        ? layerName(out() + "#channels") : layerName(out());
                builder.add(new LayerSpec.ChannelSlice(name, (int) begin[1], (int) end[1]), read);
                read = name;
                shape[0] = end[1] - begin[1];
                any = true;
            }
            if (r == 4 && (begin[2] != 0 || end[2] != full[2] || begin[3] != 0 || end[3] != full[3])) {
                if (x.vector) {
                    throw unsupported("crops a pooled vector");
                }
                String name = layerName(out());
                builder.add(new LayerSpec.Cropping(name, new int[] {(int) begin[2], (int) (full[2] - end[2]),
                        (int) begin[3], (int) (full[3] - end[3])}), read);
                read = name;
                shape[1] = end[2] - begin[2];
                shape[2] = end[3] - begin[3];
                any = true;
            } else if (r != 4 && r != 2) {
                throw unsupported("slices a tensor of rank " + r);
            }
            if (!any) {
                builder.add(new LayerSpec.Identity(layerName(out())), read);
                read = out();
            }
            define(out(), new Dyn(read, shape, x.vector));
        }

        private void pad() throws OnnxImportException {
            Dyn x = spatial(0);
            String mode = stringAttr("mode", "constant");
            if (!mode.equals("constant")) {
                throw unsupported("pads in mode '" + mode + "'; only constant (zero) padding is supported");
            }
            long[] pads = opset >= 11 ? constant(1, "pads").longs() : intsAttr("pads", null);
            double value = opset >= 11 ? (input(2) == null ? 0 : constant(2, "constant value").getDouble(0))
                    : floatAttr("value", 0);
            if (input(3) != null) {
                throw unsupported("has an axes input");
            }
            if (pads == null || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0
                    || Arrays.stream(pads).anyMatch(q -> q < 0)) {
                throw unsupported("has pads " + Arrays.toString(pads) + "; only non-negative padding of height and width "
                        + "is supported");
            }
            int[] p = {(int) pads[2], (int) pads[6], (int) pads[3], (int) pads[7]};
            long[] shape = {x.shape[0], x.shape[1] + p[0] + p[1], x.shape[2] + p[2] + p[3]};
            LayerSpec layer = value == 0 ? new LayerSpec.ZeroPadding(layerName(out()), p)
                    : new LayerSpec.ConstantPadding(layerName(out()), p, value);
            define(out(), add(layer, shape, false, x.layer));
        }

        private Dyn features(int i) throws OnnxImportException {
            Dyn x = dyn(i);
            if (x.shape.length != 1) {
                throw unsupported("multiplies an activation of per-example shape " + Arrays.toString(x.shape)
                        + "; only [n, features] inputs (after Flatten) are supported");
            }
            return x;
        }

        private void gemm() throws OnnxImportException {
            Dyn a = features(0);
            ConstTensor b = constant(1, "weights B");
            if (intAttr("transA", 0) != 0) {
                throw unsupported("has transA = 1; only transA = 0 is supported");
            }
            if (b.rank() != 2) {
                throw unsupported("has weights of shape " + Arrays.toString(b.shape));
            }
            double alpha = floatAttr("alpha", 1.0);
            double beta = floatAttr("beta", 1.0);
            INDArray w = b.toArray();
            if (intAttr("transB", 0) != 0) {
                w = w.transpose().dup('c');
            }
            if (w.size(0) != a.shape[0]) {
                throw unsupported("has weights " + Arrays.toString(w.shape()) + " for " + a.shape[0] + " input features");
            }
            long outputs = w.size(1);
            w.muli(alpha);
            INDArray bias = null;
            if (input(2) != null) {
                ConstTensor c = constant(2, "bias C");
                if (c.size() != 1 && c.size() != outputs || c.rank() == 2 && c.shape[0] != 1) {
                    throw unsupported("has a bias of shape " + Arrays.toString(c.shape) + " for " + outputs + " outputs");
                }
                bias = Nd4j.create(DataType.DOUBLE, outputs);
                for (int i = 0; i < outputs; i++) {
                    bias.putScalar(i, beta * c.getDouble(c.size() == 1 ? 0 : i));
                }
            }
            define(out(), add(new LayerSpec.Dense(layerName(out()), w, bias, ActivationFunction.IDENTITY, 0),
                    new long[] {outputs}, false, a.layer));
        }

        private void matmul() throws OnnxImportException {
            Value first = input(0);
            if (first instanceof Dyn x && x.channelsLast) {
                // [n, h, w, c] x [c, k]: a 1x1 convolution (ConvNeXt's pointwise Linear layers).
                ConstTensor b = constant(1, "right-hand matrix");
                if (b.rank() != 2 || b.shape[0] != x.channels()) {
                    throw unsupported("multiplies " + Arrays.toString(x.shape) + " by a constant of shape "
                            + Arrays.toString(b.shape));
                }
                INDArray w = b.toArray().transpose().reshape(b.shape[1], b.shape[0], 1, 1).dup('c');
                String name = layerName(out());
                builder.add(new LayerSpec.Convolution(name, w, null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                        false, ActivationFunction.IDENTITY, 0), x.layer);
                define(out(), new Dyn(name, new long[] {x.shape[0], x.shape[1], b.shape[1]}, false, true));
                return;
            }
            Dyn a = features(0);
            ConstTensor b = constant(1, "right-hand matrix");
            if (b.rank() != 2 || b.shape[0] != a.shape[0]) {
                throw unsupported("multiplies [n, " + a.shape[0] + "] by a constant of shape " + Arrays.toString(b.shape));
            }
            define(out(), add(new LayerSpec.Dense(layerName(out()), b.toArray(), null, ActivationFunction.IDENTITY, 0),
                    new long[] {b.shape[1]}, false, a.layer));
        }

        private void expand() throws OnnxImportException {
            Value v = input(0);
            long[] target = constant(1, "shape").longs();
            long[] full = fullShape(v);
            int rank = Math.max(full.length, target.length);
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                long a = i - (rank - full.length) >= 0 ? full[i - (rank - full.length)] : 1;
                long t = i - (rank - target.length) >= 0 ? target[i - (rank - target.length)] : 1;
                shape[i] = a == 1 ? t : a;
                if (t != 1 && t != a && a != 1) {
                    throw unsupported("expands " + Arrays.toString(full) + " to " + Arrays.toString(target));
                }
            }
            if (v instanceof Const c) {
                ConstTensor zeros = ConstTensor.ofLongs(shape, new long[(int) Arrays.stream(shape).reduce(1, (p, q) -> p * q)]);
                define(out(), new Const(foldArithmetic("Add", c.tensor, c.tensor.isInteger() ? zeros : zeros.cast(false))));
                return;
            }
            Dyn x = dyn(0);
            if (!Arrays.equals(shape, full)) {
                throw unsupported("expands an activation " + Arrays.toString(full) + " to " + Arrays.toString(shape)
                        + "; only no-op expansions of activations are supported");
            }
            define(out(), add(new LayerSpec.Identity(layerName(out())), x.shape, x.vector, x.layer));
        }
    }
}
