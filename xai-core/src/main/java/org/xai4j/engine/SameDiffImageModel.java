package org.xai4j.engine;

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
import org.xai4j.Objective;
import org.xai4j.ObjectiveGradient;
import org.xai4j.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link ImageModel} that runs its forward pass as a SameDiff graph and its input gradient as a hand-written,
 * input-only backward pass.
 *
 * <h2>How weight gradients are avoided</h2>
 * Every weight is a SameDiff <em>constant</em>, so the graph has no trainable variable and SameDiff's autodiff is
 * never invoked. A gradient request runs the forward graph once, asking only for the activations the backward pass
 * needs (ReLU outputs, pooling inputs), then walks the layers backwards with ops that produce the input gradient
 * alone: a transposed convolution ({@code deconv2d}) of the output gradient for each convolution (on the oneDNN
 * build this is oneDNN's backward-data kernel), {@code maxpool2d_bp}/{@code avgpool2d_bp}, {@code relu_bp}, a matrix
 * product with the transposed weights for dense layers, and a per-channel scale for batch normalization (whose
 * inference-time input gradient is just {@code gamma / sqrt(var + eps)}). Nothing the size of a weight tensor is
 * computed. Only the layers up to the objective's layer are evaluated.
 *
 * <h2>Memory</h2>
 * The backward pass allocates its temporaries in an ND4J workspace that is reused from call to call (per thread and
 * model), so repeated gradients do not allocate: the workspace keeps the size of the largest backward pass seen,
 * about twice the activation memory of one batch (roughly 1 GB for VGG16 at batch 8). Activations handed to callers
 * are detached copies.
 *
 * <h2>Threads</h2>
 * A SameDiff session is not thread-safe; this class serializes calls on one model with a lock, so concurrent use is
 * safe and gives the same results as sequential calls, but does not run in parallel. Use one model per thread
 * ({@link #copy()}) for parallel throughput.
 */
public final class SameDiffImageModel implements ImageModel {

    private static final Logger LOG = LoggerFactory.getLogger(SameDiffImageModel.class);
    private static final String INPUT = "input";

    private final NetworkSpec spec;
    private final DataType dataType;
    private final SameDiff graph;
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

    private SameDiffImageModel(NetworkSpec spec, DataType dataType) {
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("data type must be a floating-point type, got " + dataType);
        }
        this.spec = spec;
        this.dataType = dataType;
        this.graph = SameDiff.create();
        long[] shape = spec.inputShape();
        SDVariable current = graph.placeHolder(INPUT, dataType, -1, shape[0], shape[1], shape[2]);
        String currentName = INPUT;
        List<LayerSpec> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (INPUT.equals(layer.name())) {
                throw new IllegalArgumentException("layer name '" + INPUT + "' is reserved for the model input");
            }
            List<Node> layerNodes = compile(layer, currentName, shape);
            for (Node node : layerNodes) {
                current = node.forward(graph, current);
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
    public static SameDiffImageModel of(NetworkSpec spec) {
        return new SameDiffImageModel(spec, DataType.FLOAT);
    }

    /** Builds a model that computes in the given floating-point type (DOUBLE for gradient checks). */
    public static SameDiffImageModel of(NetworkSpec spec, DataType dataType) {
        return new SameDiffImageModel(spec, dataType);
    }

    /** The network this model was built from. */
    public NetworkSpec spec() {
        return spec;
    }

    /** A model with the same weights computing in another type. */
    public SameDiffImageModel withDataType(DataType type) {
        return new SameDiffImageModel(spec, type);
    }

    /** An independent model with the same weights, for use on another thread without contention. */
    public SameDiffImageModel copy() {
        return new SameDiffImageModel(spec, dataType);
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
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        INDArray values;
        INDArray grad;
        INDArray layerActivation = null;
        // The forward arrays belong to the graph's session until the next call: keep the lock through the backward.
        synchronized (lock) {
            Map<String, INDArray> forward = graph.output(Collections.singletonMap(INPUT, x), new ArrayList<>(needed));
            INDArray activation = forward.get(start);
            values = objective.values(activation);
            grad = objective.seedGradient(activation);
            // The backward's temporaries live in a reused workspace: fresh 100 MB buffers per layer and call would
            // cost page faults and garbage-collector pressure on every gradient.
            try (MemoryWorkspace workspace = Nd4j.getWorkspaceManager()
                    .getAndActivateWorkspace(BACKWARD_WORKSPACE, workspaceId)) {
                for (int i = last; i > stop; i--) {
                    Node node = nodes.get(i);
                    String need = node.backwardNeeds();
                    INDArray value = need == null ? null : INPUT.equals(need) ? x : forward.get(need);
                    grad = node.backward(grad, value);
                }
                grad = grad.detach();
            }
            if (stopVariable != null) {
                layerActivation = forward.get(stopVariable).dup();
            }
        }
        return new LayerGradient(layerActivation == null ? x : layerActivation, values, grad);
    }

    @Override public String toString() {
        return "SameDiffImageModel[" + spec.name() + ", input=" + Arrays.toString(spec.inputShape()) + ", layers="
                + layerVariables.size() + ", classes=" + numClasses + ", " + dataType + "]";
    }

    /** Runs the graph and returns detached copies: the session may reuse its arrays on the next call. */
    private Map<String, INDArray> run(INDArray input, List<String> variables) {
        Checks.imageBatch(input, spec.inputShape(), "input");
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        Map<String, INDArray> copies = new HashMap<>();
        synchronized (lock) {
            graph.output(Collections.singletonMap(INPUT, x), variables).forEach((k, v) -> copies.put(k, v.dup()));
        }
        return copies;
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
