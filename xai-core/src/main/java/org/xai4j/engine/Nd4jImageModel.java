package org.xai4j.engine;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.ImageModel;
import org.xai4j.InsufficientMemoryException;
import org.xai4j.Objective;
import org.xai4j.ObjectiveGradient;
import org.xai4j.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link ImageModel} that runs a {@link NetworkSpec} with ND4J's native ops (oneDNN on the
 * {@code linux-x86_64-onednn} build) and computes input gradients with a hand-written, input-only backward pass. The
 * same network is available as a SameDiff graph ({@link #toSameDiff()}) for export; the two compute the same values
 * (tested for every layer kind).
 *
 * <h2>How weight gradients are avoided</h2>
 * A gradient request runs the forward pass once, keeping only the activations the backward pass needs (ReLU outputs,
 * pooling inputs), then walks the layers backwards with ops that produce the input gradient alone: for a stride-1
 * convolution, a convolution of the output gradient with the flipped, transposed kernel (oneDNN's fast forward
 * kernel; strided ones use {@code conv2d_bp}), {@code maxpool2d_bp}/{@code avgpool2d_bp}, {@code relu_bp}, a matrix
 * product with the transposed weights for dense layers, and a per-channel scale for batch normalization (whose
 * inference-time input gradient is just {@code gamma / sqrt(var + eps)}). Nothing the size of a weight tensor is
 * computed, and only the layers up to the objective's layer are evaluated. SameDiff's autodiff would also compute
 * every weight gradient, about twice the work.
 *
 * <h2>Memory</h2>
 * Forward activations and backward temporaries are allocated in an ND4J workspace that is reused from call to call
 * (per thread and model), so repeated calls do not allocate: the workspace keeps the size of the largest pass seen,
 * about twice the activation memory of one batch (roughly 1 GB for VGG16 at batch 8). An activation is written over
 * its input when nothing else needs that input (ReLU after a convolution). Results handed to callers are detached
 * copies that the caller owns. A batch whose estimated memory exceeds the machine's available memory is refused
 * before any work with an {@link org.xai4j.InsufficientMemoryException} that suggests a smaller batch.
 *
 * <h2>Threads</h2>
 * Calls on one model are serialized with a lock (the workspace and its arrays are reused by every call), so
 * concurrent use is safe and gives the same results as sequential calls, but does not run in parallel: the native
 * ops already use every core. Use one model per thread ({@link #copy()}) for parallel throughput on large machines.
 */
public final class Nd4jImageModel implements ImageModel {

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jImageModel.class);
    private static final String INPUT = "input";

    private final NetworkSpec spec;
    private final DataType dataType;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> nodeProducing = new HashMap<>();
    /** Layer name to the graph variable holding its output. */
    private final Map<String, String> layerVariables = new LinkedHashMap<>();
    private final Map<String, long[]> layerShapes = new LinkedHashMap<>();
    private final String logitsVariable;
    private final int numClasses;
    private final Object lock = new Object();
    private final String workspaceId = "xai4j-backward-" + System.identityHashCode(this);

    private static final WorkspaceConfiguration BACKWARD_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT).policySpill(SpillPolicy.REALLOCATE).build();

    private Nd4jImageModel(NetworkSpec spec, DataType dataType) {
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("data type must be a floating-point type, got " + dataType);
        }
        this.spec = spec;
        this.dataType = dataType;
        long[] shape = spec.inputShape();
        String currentName = INPUT;
        List<LayerSpec> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (INPUT.equals(layer.name())) {
                throw new IllegalArgumentException("layer name '" + INPUT + "' is reserved for the model input");
            }
            List<Node> layerNodes = compile(layer, currentName, shape);
            for (Node node : layerNodes) {
                nodeProducing.put(node.output, nodes.size());
                nodes.add(node);
                currentName = node.output;
                shape = node.outputShape;
            }
            layerVariables.put(layer.name(), currentName);
            layerShapes.put(layer.name(), shape.clone());
        }
        this.logitsVariable = findLogits(layers);
        long[] logitsShape = nodes.get(nodeProducing.get(logitsVariable)).outputShape;
        if (logitsShape.length != 1) {
            throw new IllegalArgumentException("network '" + spec.name() + "' must end in a dense layer with one score per "
                    + "class, but its output has per-example shape " + Arrays.toString(logitsShape));
        }
        this.numClasses = (int) logitsShape[0];
        LOG.debug("Built SameDiff model '{}' ({}): {} layers, {} ops, {} classes", spec.name(), dataType,
                layers.size(), nodes.size(), numClasses);
    }

    /** Builds a float32 model from a network description. */
    public static Nd4jImageModel of(NetworkSpec spec) {
        return new Nd4jImageModel(spec, DataType.FLOAT);
    }

    /** Builds a model that computes in the given floating-point type (DOUBLE for gradient checks). */
    public static Nd4jImageModel of(NetworkSpec spec, DataType dataType) {
        return new Nd4jImageModel(spec, dataType);
    }

    /** The network this model was built from. */
    public NetworkSpec spec() {
        return spec;
    }

    /** A model with the same weights computing in another type. */
    public Nd4jImageModel withDataType(DataType type) {
        return new Nd4jImageModel(spec, type);
    }

    /** An independent model with the same weights, for use on another thread without contention. */
    public Nd4jImageModel copy() {
        return new Nd4jImageModel(spec, dataType);
    }

    @Override public long[] inputShape() {
        return spec.inputShape();
    }

    @Override public List<String> layerNames() {
        return List.copyOf(layerVariables.keySet());
    }

    @Override public long[] layerShape(String layer) {
        Checks.oneOf(layer, layerVariables.keySet(), "layer");
        return layerShapes.get(layer).clone();
    }

    @Override public org.xai4j.LayerInfo layerInfo(String layer) {
        Checks.oneOf(layer, layerVariables.keySet(), "layer");
        LayerSpec spec = this.spec.layers().stream().filter(l -> l.name().equals(layer)).findFirst().orElseThrow();
        return new org.xai4j.LayerInfo(layer, org.xai4j.LayerKind.IDENTITY, layerShapes.get(layer), this.spec.inputsOf(layer));
    }

    @Override public void close() {
        if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(workspaceId)) {
            Nd4j.getWorkspaceManager().destroyWorkspace(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(workspaceId));
        }
    }

    @Override public int numClasses() {
        return numClasses;
    }

    @Override public DataType dataType() {
        return dataType;
    }

    @Override public INDArray logits(INDArray input) {
        return run(input, List.of(logitsVariable)).get(logitsVariable);
    }

    @Override public INDArray probabilities(INDArray input) {
        INDArray logits = logits(input);
        return Nd4j.nn().softmax(logits, 1);
    }

    @Override public INDArray activations(INDArray input, String layer) {
        return activations(input, List.of(layer)).get(layer);
    }

    @Override public Map<String, INDArray> activations(INDArray input, List<String> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("give at least one layer name; valid names are " + layerVariables.keySet());
        }
        List<String> variables = new ArrayList<>();
        for (String layer : layers) {
            variables.add(layerVariables.get(Checks.oneOf(layer, layerVariables.keySet(), "layer")));
        }
        Map<String, INDArray> byVariable = run(input, variables);
        Map<String, INDArray> result = new LinkedHashMap<>();
        for (String layer : layers) {
            result.put(layer, byVariable.get(layerVariables.get(layer)));
        }
        return result;
    }

    @Override public ObjectiveGradient gradient(INDArray input, Objective objective) {
        LayerGradient result = backpropagate(input, objective, null);
        return new ObjectiveGradient(result.values(), result.gradient());
    }

    @Override public LayerGradient layerGradient(INDArray input, Objective objective, String layer) {
        Checks.oneOf(layer, layerVariables.keySet(), "layer");
        return backpropagate(input, objective, layer);
    }

    /** Forward to the objective's layer, then backward down to {@code layer}'s output (null: to the input). */
    private LayerGradient backpropagate(INDArray input, Objective objective, String layer) {
        if (objective == null) {
            throw new IllegalArgumentException("objective must not be null");
        }
        Checks.imageBatch(input, spec.inputShape(), "input");
        objective.validate(this, input.size(0));
        String start = objective.layer().map(l -> layerVariables.get(l)).orElse(logitsVariable);
        int last = nodeProducing.get(start);
        String stopVariable = layer == null ? null : layerVariables.get(layer);
        int stop = layer == null ? -1 : nodeProducing.get(stopVariable);
        if (stop > last) {
            throw new IllegalArgumentException("objective " + objective + " reads a layer before '" + layer
                    + "'; expected the logits or a layer at or after '" + layer + "'");
        }
        Set<String> needed = new LinkedHashSet<>();
        needed.add(start);
        if (stopVariable != null) {
            needed.add(stopVariable);
        }
        for (int i = stop + 1; i <= last; i++) {
            String need = nodes.get(i).backwardNeeds();
            if (need != null && !INPUT.equals(need)) {
                needed.add(need);
            }
        }
        requireMemory(input.size(0), last, true);
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        INDArray values;
        INDArray grad;
        INDArray layerActivation = null;
        // One workspace, reused by every call, holds the forward activations and the backward's temporaries: fresh
        // 100 MB buffers per layer and call would cost page faults and garbage-collector pressure on every gradient.
        // The lock keeps concurrent calls from multiplying that memory.
        synchronized (lock) {
            try (MemoryWorkspace workspace = Nd4j.getWorkspaceManager()
                    .getAndActivateWorkspace(BACKWARD_WORKSPACE, workspaceId)) {
                Map<String, INDArray> forward;
                try {
                    forward = forwardPass(x, last, needed);
                } catch (OutOfMemoryError e) {
                    throw outOfMemory(input.size(0), last, true, e);
                }
                INDArray activation = forward.get(start);
                values = objective.values(activation).detach();
                grad = objective.seedGradient(activation);
                try {
                    for (int i = last; i > stop; i--) {
                        Node node = nodes.get(i);
                        String need = node.backwardNeeds();
                        grad = node.backward(grad, need == null ? null : forward.get(need));
                    }
                } catch (OutOfMemoryError e) {
                    throw outOfMemory(input.size(0), last, true, e);
                }
                grad = grad.detach();
                if (stopVariable != null) {
                    layerActivation = forward.get(stopVariable).detach();
                }
            }
        }
        return new LayerGradient(layerActivation == null ? x : layerActivation, values, grad);
    }

    /**
     * Runs nodes {@code 0..last} with direct ND4J ops and returns the values of the {@code kept} variables (and the
     * input). A node writes its output over its input when no kept variable computed before it shares that input's
     * memory: ReLU after a convolution then costs no allocation.
     */
    private Map<String, INDArray> forwardPass(INDArray x, int last, Set<String> kept) {
        Map<String, INDArray> values = new HashMap<>();
        // Variable name to the variable whose memory it uses (itself unless it is an alias of its input's).
        Map<String, String> memoryOwner = new HashMap<>();
        memoryOwner.put(INPUT, INPUT);
        values.put(INPUT, x);
        INDArray current = x;
        for (int i = 0; i <= last; i++) {
            Node node = nodes.get(i);
            String owner = memoryOwner.get(node.input);
            boolean mayOverwrite = !INPUT.equals(owner);
            for (String variable : kept) {
                if (mayOverwrite && owner.equals(memoryOwner.get(variable))) {
                    mayOverwrite = false;
                }
            }
            current = node.apply(current, mayOverwrite);
            memoryOwner.put(node.output, node.outputMayAliasInput() ? owner : node.output);
            if (kept.contains(node.output)) {
                values.put(node.output, current);
            }
        }
        return values;
    }

    @Override public String toString() {
        return "Nd4jImageModel[" + spec.name() + ", input=" + Arrays.toString(spec.inputShape()) + ", layers="
                + layerVariables.size() + ", classes=" + numClasses + ", " + dataType + "]";
    }

    /** Runs the forward pass up to the last requested variable and returns detached copies of them. */
    private Map<String, INDArray> run(INDArray input, List<String> variables) {
        Checks.imageBatch(input, spec.inputShape(), "input");
        int last = 0;
        for (String variable : variables) {
            last = Math.max(last, nodeProducing.get(variable));
        }
        requireMemory(input.size(0), last, false);
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        Map<String, INDArray> copies = new HashMap<>();
        synchronized (lock) {
            try (MemoryWorkspace workspace = Nd4j.getWorkspaceManager()
                    .getAndActivateWorkspace(BACKWARD_WORKSPACE, workspaceId)) {
                Map<String, INDArray> forward = forwardPass(x, last, new LinkedHashSet<>(variables));
                for (String variable : variables) {
                    copies.put(variable, forward.get(variable).detach());
                }
            } catch (OutOfMemoryError e) {
                throw outOfMemory(input.size(0), last, false, e);
            }
        }
        return copies;
    }

    /**
     * Builds this network as a new SameDiff graph: a placeholder {@code input} of shape {@code [-1, ...inputShape]},
     * the weights as constants, and one variable per layer named after it (activations of layers with a fused
     * activation are {@code <layer>/linear} before it). The graph computes the same values as this model; it is
     * meant for exporting ({@link SameDiff#save}) or inspecting the network, and belongs to the caller.
     *
     * @return a new graph
     */
    public SameDiff toSameDiff() {
        SameDiff graph = SameDiff.create();
        long[] shape = spec.inputShape();
        SDVariable current = graph.placeHolder(INPUT, dataType, -1, shape[0], shape[1], shape[2]);
        for (Node node : nodes) {
            current = node.forward(graph, current);
        }
        return graph;
    }

    /**
     * The graph variable holding a layer's output in {@link #toSameDiff()}.
     *
     * @param layer a layer name
     * @return the variable name
     * @throws IllegalArgumentException if the layer is unknown
     */
    public String graphVariable(String layer) {
        return layerVariables.get(Checks.oneOf(layer, layerVariables.keySet(), "layer"));
    }

    /**
     * Estimated bytes per example of evaluating nodes {@code 0..last}: every node's output (the forward pass keeps
     * them for the backward) and, with {@code backward}, about as much again for the gradients.
     */
    long bytesPerExample(int last, boolean backward) {
        long elements = Node.Flatten.product(spec.inputShape());
        for (int i = 0; i <= last; i++) {
            elements += Node.Flatten.product(nodes.get(i).outputShape);
        }
        return elements * dataType.width() * (backward ? 2 : 1);
    }

    /**
     * The estimated memory one input needs in a call: every layer's output and, for a gradient, about as much again
     * for the backward pass. A batch needs this times its size; calls whose batch needs more than the available
     * memory are refused with an {@link InsufficientMemoryException}.
     *
     * @param backward true for {@link #gradient}/{@link #layerGradient}, false for a forward pass
     * @return bytes per input
     */
    public long bytesPerExample(boolean backward) {
        return bytesPerExample(nodes.size() - 1, backward);
    }

    /** Refuses, before any allocation, a batch whose estimated memory exceeds the machine's available memory. */
    private void requireMemory(long batch, int last, boolean backward) {
        long available = Pointer.availablePhysicalBytes();
        if (available <= 0) {
            return;
        }
        // The workspace a previous call left behind is reused, so its size counts as available.
        if (backward && Nd4j.getWorkspaceManager().checkIfWorkspaceExists(workspaceId)) {
            available += Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(workspaceId).getCurrentSize();
        }
        long required = bytesPerExample(last, backward) * batch;
        if (required > available) {
            throw new InsufficientMemoryException(memoryMessage(batch, last, backward)
                    + " but only " + Pointer.formatBytes(available) + " are available", required, available, null);
        }
    }

    private InsufficientMemoryException outOfMemory(long batch, int last, boolean backward, OutOfMemoryError e) {
        return new InsufficientMemoryException(memoryMessage(batch, last, backward) + " and ran out of memory ("
                + e.getMessage() + ")", bytesPerExample(last, backward) * batch, 0, e);
    }

    private String memoryMessage(long batch, int last, boolean backward) {
        long perExample = bytesPerExample(last, backward);
        return (backward ? "the gradient" : "the forward pass") + " of a batch of " + batch + " inputs of shape "
                + Arrays.toString(spec.inputShape()) + " through '" + spec.name() + "' needs about "
                + Pointer.formatBytes(perExample * batch) + " (" + Pointer.formatBytes(perExample)
                + " per input); use a smaller batch (for Integrated Gradients and the other path methods a smaller "
                + "optInternalBatchSize) or smaller images. It";
    }

    private String findLogits(List<LayerSpec> layers) {
        LayerSpec last = layers.get(layers.size() - 1);
        Node lastNode = nodes.get(nodes.size() - 1);
        boolean endsInSoftmax = last instanceof LayerSpec.Activation a && a.function() == ActivationFunction.SOFTMAX
                || last instanceof LayerSpec.Dense d && d.activation() == ActivationFunction.SOFTMAX;
        return endsInSoftmax ? lastNode.input : lastNode.output;
    }

    private List<Node> compile(LayerSpec layer, String in, long[] shape) {
        String name = layer.name();
        List<Node> out = new ArrayList<>();
        if (layer instanceof LayerSpec.Convolution c) {
            requireSpatial(name, shape);
            if (c.weights().size(1) != shape[0]) {
                throw new IllegalArgumentException("convolution '" + name + "' expects " + c.weights().size(1)
                        + " input channels but receives " + shape[0]);
            }
            INDArray yxio = c.weights().permute(2, 3, 1, 0).castTo(dataType).dup('c');
            INDArray bias = c.bias() == null ? null : c.bias().castTo(dataType).reshape(c.weights().size(0)).dup();
            long[] outShape = {c.weights().size(0),
                    spatialSize(shape[1], c.weights().size(2), c.stride()[0], c.padding()[0], c.dilation()[0], c.samePadding()),
                    spatialSize(shape[2], c.weights().size(3), c.stride()[1], c.padding()[1], c.dilation()[1], c.samePadding())};
            checkPositive(name, outShape);
            String linear = c.activation() == ActivationFunction.IDENTITY ? name : name + "/linear";
            out.add(new Node.Convolution(in, linear, shape, outShape, yxio, bias, c.stride(), c.padding(), c.dilation(),
                    c.samePadding()));
            addActivation(out, linear, name, outShape, c.activation(), c.alpha());
        } else if (layer instanceof LayerSpec.Pooling p) {
            requireSpatial(name, shape);
            long[] outShape = {shape[0],
                    spatialSize(shape[1], p.kernel()[0], p.stride()[0], p.padding()[0], 1, p.samePadding()),
                    spatialSize(shape[2], p.kernel()[1], p.stride()[1], p.padding()[1], 1, p.samePadding())};
            checkPositive(name, outShape);
            out.add(new Node.Pooling(in, name, shape, outShape, p));
        } else if (layer instanceof LayerSpec.GlobalPooling g) {
            requireSpatial(name, shape);
            out.add(new Node.GlobalPooling(in, name, shape, g.type()));
        } else if (layer instanceof LayerSpec.Dense d) {
            if (shape.length != 1) {
                throw new IllegalArgumentException("dense layer '" + name + "' receives a spatial activation of shape "
                        + Arrays.toString(shape) + "; add a Flatten or GlobalPooling layer before it");
            }
            if (d.weights().size(0) != shape[0]) {
                throw new IllegalArgumentException("dense layer '" + name + "' expects " + d.weights().size(0)
                        + " inputs but receives " + shape[0]);
            }
            String linear = d.activation() == ActivationFunction.IDENTITY ? name : name + "/linear";
            INDArray bias = d.bias() == null ? null : d.bias().castTo(dataType).reshape(d.weights().size(1)).dup();
            out.add(new Node.Dense(in, linear, shape, d.weights().castTo(dataType).dup('c'), bias));
            addActivation(out, linear, name, out.get(0).outputShape, d.activation(), d.alpha());
        } else if (layer instanceof LayerSpec.ChannelAffine a) {
            if (a.scale().length() != shape[0] || a.shift().length() != shape[0]) {
                throw new IllegalArgumentException("channel affine '" + name + "' has " + a.scale().length()
                        + " scales and " + a.shift().length() + " shifts for " + shape[0] + " channels");
            }
            String linear = a.activation() == ActivationFunction.IDENTITY ? name : name + "/linear";
            out.add(new Node.ChannelAffine(in, linear, shape, a.scale().castTo(dataType).dup(),
                    a.shift().castTo(dataType).dup()));
            addActivation(out, linear, name, shape, a.activation(), a.alpha());
        } else if (layer instanceof LayerSpec.Activation a) {
            out.add(new Node.Activation(in, name, shape, a.function(), a.alpha()));
        } else if (layer instanceof LayerSpec.ChannelOrder o) {
            requireSpatial(name, shape);
            int[] sorted = o.order().clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                if (sorted[i] != i || sorted.length != shape[0]) {
                    throw new IllegalArgumentException("channel order " + Arrays.toString(o.order()) + " of '" + name
                            + "' is not a permutation of 0.." + (shape[0] - 1));
                }
            }
            out.add(new Node.ChannelOrder(in, name, shape, o.order()));
        } else if (layer instanceof LayerSpec.Flatten f) {
            out.add(new Node.Flatten(in, name, shape, f.channelsLast()));
        } else if (layer instanceof LayerSpec.Identity id) {
            out.add(new Node.Identity(in, name, shape));
        } else {
            throw new IllegalArgumentException("unsupported layer " + layer);
        }

        return out;
    }

    private static void addActivation(List<Node> out, String linear, String name, long[] shape,
                                      ActivationFunction function, double alpha) {
        if (function != ActivationFunction.IDENTITY) {
            out.add(new Node.Activation(linear, name, shape, function, alpha));
        }
    }

    private static long spatialSize(long in, long kernel, int stride, int padding, int dilation, boolean same) {
        if (same) {
            return (in + stride - 1) / stride;
        }
        long effective = (kernel - 1) * dilation + 1;
        return (in + 2L * padding - effective) / stride + 1;
    }

    private static void requireSpatial(String name, long[] shape) {
        if (shape.length != 3) {
            throw new IllegalArgumentException("layer '" + name + "' needs a spatial [channels, height, width] input, got "
                    + Arrays.toString(shape));
        }
    }

    private static void checkPositive(String name, long[] shape) {
        if (Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("layer '" + name + "' would produce an empty output " + Arrays.toString(shape)
                    + "; the input is too small for its kernel and stride");
        }
    }
}
