package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.engine.CompiledGraph.PlanKey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link ImageModel} that runs a {@link NetworkSpec} (a chain or any directed acyclic graph of layers) with ND4J's
 * native ops (oneDNN on the {@code linux-x86_64-onednn} build) and computes input gradients with a hand-written,
 * input-only backward pass. The same network is available as a SameDiff graph ({@link #toSameDiff()}) for export; the
 * two compute the same values (tested for every layer kind).
 *
 * <h2>How weight gradients are avoided</h2>
 * A gradient request runs the forward pass once over the layers the objective depends on, keeping only the
 * activations the backward pass needs (ReLU outputs, pooling inputs), then walks those layers backwards in reverse
 * topological order with ops that produce input gradients alone: for a convolution, a transposed convolution of the
 * output gradient ({@code deconv2d} in the form oneDNN runs at forward speed), {@code maxpool2d_bp}/{@code avgpool2d_bp},
 * {@code relu_bp}, a matrix product with the transposed weights for dense layers, a per-channel scale for batch
 * normalization (whose inference-time input gradient is just {@code gamma / sqrt(var + eps)}), and for a layer read by
 * several others the sum of their gradients. Nothing the size of a weight tensor is computed.
 *
 * <h2>Memory</h2>
 * Forward activations and backward temporaries are allocated in one ND4J workspace that belongs to the model and is
 * reused by every call from any thread, so repeated calls do not allocate: it keeps the size of the largest pass seen
 * (about twice the activation memory of one batch, roughly 1 GB for VGG16 at batch 8). The memory a model keeps is
 * therefore bounded per model, not per thread that called it. An activation is written over its input when no other
 * layer still reads that input (ReLU and batch normalization after a convolution, a residual sum). Results handed to
 * callers are detached copies that the caller owns and that outlive the model. A batch whose estimated memory exceeds
 * the machine's available memory is refused before any work with an {@link InsufficientMemoryException} that suggests
 * a smaller batch. {@link #close()} frees the workspace and the weights; {@link #releaseWorkingMemory()} frees only the
 * workspace, for a model that will sit idle.
 *
 * <h2>Threads</h2>
 * Every pass of one model runs on the model's own thread, one after the other, whichever thread calls (the workspace
 * and its arrays are reused by every call), so concurrent use is safe and gives the same results as sequential calls,
 * but does not run in parallel: the native ops already use every core. Running the passes on one thread keeps the
 * model's native memory with it: computed on each caller's thread, every thread of a pool, or every thread made per
 * request, would keep tens of MB in its own malloc arena and oneDNN scratch buffers. A caller interrupted while its
 * pass runs gets its result when the pass ends, with its interrupt flag set again. Use one model per thread
 * ({@link #copy()}) for parallel throughput on large machines.
 */
public final class Nd4jImageModel implements ReinitializableModel {

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jImageModel.class);
    private static final String INPUT = CompiledGraph.INPUT;

    /** The compiled network and the questions passes ask of it (layers, shapes, producers and readers, plans). */
    private final CompiledGraph graph;
    /** The model thread, lock and workspace every pass runs in, and the memory estimates that guard them. */
    private final ModelRuntime runtime;
    private final NetworkSpec spec;
    private final DataType dataType;

    private Nd4jImageModel(NetworkSpec spec, DataType dataType) {
        if (spec == null) {
            throw new NullPointerException("network spec must not be null");
        }
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("data type must be a floating-point type, got " + dataType);
        }
        this.spec = spec;
        this.dataType = dataType;
        this.graph = new CompiledGraph(spec, dataType);
        this.runtime = new ModelRuntime(graph);
        LOG.debug("Built model '{}' ({}): {} layers, {} ops, {} classes", spec.name(), dataType,
                spec.layers().size(), graph.nodeCount(), graph.numClasses());
    }

    /**
     * Builds a float32 model from a network description.
     *
     * @param spec the network
     * @return the model
     * @throws IllegalArgumentException if a layer's shapes do not fit its inputs
     */
    public static Nd4jImageModel of(NetworkSpec spec) {
        return new Nd4jImageModel(spec, DataType.FLOAT);
    }

    /**
     * Builds a model that computes in the given floating-point type (DOUBLE for gradient checks).
     *
     * @param spec     the network
     * @param dataType FLOAT, DOUBLE, ...
     * @return the model
     */
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
        return graph.layerNames();
    }

    @Override public LayerInfo layerInfo(String layer) {
        return graph.layerInfo(layer);
    }

    @Override public long[] layerShape(String layer) {
        return layerInfo(layer).shape();
    }

    @Override public int numClasses() {
        return graph.numClasses();
    }

    @Override public DataType dataType() {
        return dataType;
    }

    @Override public INDArray logits(INDArray input) {
        return run(input, List.of(graph.logitsVariable())).get(graph.logitsVariable());
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
            throw new IllegalArgumentException("give at least one layer name; valid names are " + graph.layerNames());
        }
        List<String> variables = new ArrayList<>();
        for (String layer : layers) {
            variables.add(graph.layerVariable(layer));
        }
        Map<String, INDArray> byVariable = run(input, variables);
        Map<String, INDArray> result = new LinkedHashMap<>();
        for (String layer : layers) {
            result.put(layer, byVariable.get(graph.layerVariable(layer)));
        }
        return result;
    }

    @Override public ObjectiveGradient gradient(INDArray input, Objective objective) {
        LayerGradient result = backpropagate(input, objective, null);
        return new ObjectiveGradient(result.values(), result.gradient());
    }

    /**
     * The input "gradient" of an objective under a modified backward pass: the same forward pass, and a backward pass
     * over the same nodes in which some nodes propagate what {@code mode} says instead of their gradient (guided
     * backpropagation, deconvolution, DeepLift's multipliers, LRP's relevance; see {@link BackwardMode}).
     *
     * @param input     a batch {@code [n, channels, height, width]}; for a mode that pairs references
     *                  ({@link BackwardMode#rescale}), the inputs followed by as many references
     * @param objective the objective, one target per row of {@code input}
     * @param mode      the backward mode
     * @return the objective value of every row and what the backward pass brought to the input, same shape as it
     * @throws IllegalArgumentException if the input does not fit the model, or a mode that pairs references gets an
     *                                  odd number of rows
     */
    public ObjectiveGradient gradient(INDArray input, Objective objective, BackwardMode mode) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        if (mode == null) {
            throw new NullPointerException("backward mode must not be null");
        }
        runtime.checkOpen();
        InputChecks.imageBatch(input, spec.inputShape(), "input");
        if (mode.pairsReferences() && input.size(0) % 2 != 0) {
            throw new IllegalArgumentException("backward mode " + mode + " needs the inputs followed by as many "
                    + "references, an even number of rows, got " + input.size(0));
        }
        objective.validate(this, input.size(0));
        String start = graph.objectiveVariable(objective);
        List<String> outputs = new ArrayList<>();
        outputs.add(start);
        if (mode.readsAllValues()) {
            // Kept values are never overwritten in place nor folded away: every node's input and output survives.
            java.util.Set<String> needed = graph.ancestorsOf(List.of(start));
            for (Node node : graph.nodes()) {
                if (needed.contains(node.output) && !node.output.equals(start)) {
                    outputs.add(node.output);
                }
            }
        }
        ExecutionPlan plan = graph.plan(new PlanKey(List.copyOf(outputs), start, INPUT));
        BackwardMode.Rule rule = mode.ruleFor(graph);
        long batch = input.size(0);
        runtime.requireMemory(batch, plan, true);
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        return runtime.inWorkspace(batch, plan, true, () -> {
            Map<String, INDArray> forward = plan.forward(toEngineLayout(x), null);
            INDArray activation = toCallerView(forward.get(start));
            INDArray values = objective.values(activation).detach();
            INDArray seed = toEngineLayout(objective.seedGradient(activation));
            INDArray grad = plan.backwardWith(seed, forward, rule);
            grad = grad == null ? Nd4j.zeros(dataType, x.shape()) : detachToCaller(grad);
            return new ObjectiveGradient(values, grad);
        });
    }

    @Override public LayerGradient layerGradient(INDArray input, Objective objective, String layer) {
        graph.requireLayer(layer);
        return backpropagate(input, objective, layer);
    }

    /**
     * Evaluates an objective with one layer's activation replaced: the forward pass runs as usual, except that every
     * layer reading {@code layer} reads {@code activation} instead (layers on other paths, such as a residual
     * shortcut around it, still see the input's own values). What ablation methods need (Ablation-CAM sets channels
     * of a layer to zero and measures the drop of the score).
     *
     * @param input      a batch {@code [n, channels, height, width]}
     * @param objective  the objective; it must read the logits or a layer after {@code layer}
     * @param layer      the layer whose output is replaced
     * @param activation the replacement, {@code [n, ...layerShape]}
     * @return the objective's value per example, {@code [n]}
     * @throws IllegalArgumentException if the layer is unknown, the objective does not depend on it, or the
     *                                  replacement's shape is not {@code [n, ...layerShape]}
     */
    public INDArray valuesWithActivation(INDArray input, Objective objective, String layer, INDArray activation) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        runtime.checkOpen();
        InputChecks.imageBatch(input, spec.inputShape(), "input");
        objective.validate(this, input.size(0));
        String variable = graph.layerVariable(layer);
        long[] expected = new long[layerShape(layer).length + 1];
        expected[0] = input.size(0);
        System.arraycopy(layerShape(layer), 0, expected, 1, expected.length - 1);
        if (activation == null || !Arrays.equals(activation.shape(), expected)) {
            throw new IllegalArgumentException("replacement activation of layer '" + layer + "' must have shape "
                    + Arrays.toString(expected) + ", got " + (activation == null ? "null" : Arrays.toString(activation.shape())));
        }
        String start = graph.objectiveVariable(objective);
        if (start.equals(variable) || !graph.ancestorsOf(List.of(start)).contains(variable)) {
            throw new IllegalArgumentException("objective " + objective + " does not depend on layer '" + layer
                    + "'; expected the logits or a layer after it");
        }
        ExecutionPlan plan = graph.plan(new PlanKey(List.of(start, variable), null, null));
        long batch = input.size(0);
        runtime.requireMemory(batch, plan, false);
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        INDArray replacement = activation.dataType() == dataType ? activation : activation.castTo(dataType);
        return runtime.inWorkspace(batch, plan, false, () -> {
            Map<String, INDArray> forward = plan.forward(toEngineLayout(x),
                    Map.of(variable, toEngineLayout(replacement)), null);
            return objective.values(toCallerView(forward.get(start))).detach();
        });
    }

    /**
     * The gradients of an objective with respect to the input and to the linear outputs of some layers (before a
     * fused activation: the convolution plus its bias, the affine map of a batch normalization), in one forward and
     * one backward pass. What FullGrad needs: the bias gradients of a layer are its bias times these gradients.
     *
     * @param input     a batch {@code [n, channels, height, width]}
     * @param objective the objective
     * @param layers    layers on the path from the input to the objective
     * @return the objective values, the input gradient and one gradient per layer (NCHW, like the layer's output;
     *         zero for a layer no gradient reaches)
     * @throws IllegalArgumentException if a layer is unknown
     */
    public LinearGradients linearGradients(INDArray input, Objective objective, List<String> layers) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        if (layers == null) {
            throw new NullPointerException("layers must not be null");
        }
        runtime.checkOpen();
        InputChecks.imageBatch(input, spec.inputShape(), "input");
        objective.validate(this, input.size(0));
        Map<String, String> linear = new LinkedHashMap<>();
        for (String layer : layers) {
            linear.put(layer, graph.linearVariable(graph.requireLayer(layer)));
        }
        String start = graph.objectiveVariable(objective);
        List<String> outputs = new ArrayList<>();
        outputs.add(start);
        outputs.addAll(new java.util.LinkedHashSet<>(linear.values()));
        ExecutionPlan plan = graph.plan(new PlanKey(List.copyOf(outputs), start, INPUT));
        long batch = input.size(0);
        runtime.requireMemory(batch, plan, true);
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        return runtime.inWorkspace(batch, plan, true, () -> {
            Map<String, INDArray> forward = plan.forward(toEngineLayout(x), null);
            INDArray activation = toCallerView(forward.get(start));
            INDArray values = objective.values(activation).detach();
            INDArray seed = toEngineLayout(objective.seedGradient(activation));
            Map<String, INDArray> captured = new HashMap<>();
            INDArray grad = plan.backward(seed, forward, new java.util.HashSet<>(linear.values()), captured, null);
            INDArray inputGradient = grad == null ? Nd4j.zeros(dataType, x.shape()) : detachToCaller(grad);
            Map<String, INDArray> byLayer = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : linear.entrySet()) {
                INDArray g = captured.get(e.getValue());
                byLayer.put(e.getKey(), g == null
                        ? detachToCaller(Nd4j.zeros(dataType, forward.get(e.getValue()).shape()))
                        : detachToCaller(g));
            }
            return new LinearGradients(values, inputGradient, byLayer);
        });
    }

    /**
     * What {@link #linearGradients} returns.
     *
     * @param values        objective value per example {@code [n]}
     * @param inputGradient {@code dY/dx}, same shape as the input
     * @param byLayer       per requested layer, {@code dY/dZ} for its linear output {@code Z} (before a fused
     *                      activation), same shape as the layer's output
     */
    public record LinearGradients(INDArray values, INDArray inputGradient, Map<String, INDArray> byLayer) {
        /** Keeps an unmodifiable copy of the map. */
        public LinearGradients {
            byLayer = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byLayer));
        }
    }

    /**
     * Computes {@link #gradient} once and measures each operation's wall time, forward and backward: where a call's
     * time goes. A diagnostic for tuning (batch size, data type) and for reporting; results are discarded.
     *
     * @param input     a batch {@code [n, channels, height, width]}
     * @param objective the objective
     * @return the time of every operation of the call
     */
    public OperationProfile profileGradient(INDArray input, Objective objective) {
        List<OperationProfile.Entry> profile = new ArrayList<>();
        LayerGradient result = backpropagate(input, objective, null, profile);
        result.gradient().close();
        return new OperationProfile(input.size(0), profile);
    }

    /** Forward to the objective's layer, then backward down to {@code layer}'s output (null: to the input). */
    private LayerGradient backpropagate(INDArray input, Objective objective, String layer) {
        return backpropagate(input, objective, layer, null);
    }

    private LayerGradient backpropagate(INDArray input, Objective objective, String layer,
                                        List<OperationProfile.Entry> profile) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        runtime.checkOpen();
        InputChecks.imageBatch(input, spec.inputShape(), "input");
        objective.validate(this, input.size(0));
        String start = graph.objectiveVariable(objective);
        String stop = layer == null ? INPUT : graph.layerVariable(layer);
        if (!INPUT.equals(stop) && !start.equals(stop) && !graph.ancestorsOf(List.of(start)).contains(stop)) {
            throw new IllegalArgumentException("objective " + objective + " does not depend on layer '" + layer
                    + "' (it reads a layer before '" + layer + "' or on another branch); expected the logits or a layer "
                    + "that reads '" + layer + "' directly or indirectly");
        }
        ExecutionPlan plan = graph.plan(new PlanKey(List.of(start), start, stop));
        long batch = input.size(0);
        runtime.requireMemory(batch, plan, true);
        java.util.Optional<int[]> oneChannel = objective.meanOfOneChannel();
        if (layer == null && profile == null && oneChannel.isPresent()) {
            ConvolutionNode convolution = graph.convolutionComputing(start);
            if (convolution != null) {
                return channelGradient(input, oneChannel.get(), start, convolution, batch, plan);
            }
        }
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        return runtime.inWorkspace(batch, plan, true, () -> {
            Map<String, INDArray> forward = plan.forward(toEngineLayout(x), profile);
            // Objectives read activations in the caller's layout (NCHW); a view costs no copy.
            INDArray activation = toCallerView(forward.get(start));
            INDArray values = objective.values(activation).detach();
            INDArray seed = toEngineLayout(objective.seedGradient(activation));
            INDArray grad = plan.backward(seed, forward, profile);
            if (grad == null) {
                // Reachable only through layers that pass no gradient (none today): the gradient is zero.
                grad = Nd4j.zeros(dataType, forward.get(stop).shape());
            }
            grad = detachToCaller(grad);
            INDArray layerActivation = layer == null ? x : detachToCaller(forward.get(stop));
            return new LayerGradient(layerActivation, values, grad);
        });
    }

    /** Runs the forward pass up to the requested variables and returns detached copies of them. */
    private Map<String, INDArray> run(INDArray input, List<String> variables) {
        runtime.checkOpen();
        InputChecks.imageBatch(input, spec.inputShape(), "input");
        ExecutionPlan plan = graph.plan(new PlanKey(List.copyOf(variables), null, null));
        long batch = input.size(0);
        runtime.requireMemory(batch, plan, false);
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        return runtime.inWorkspace(batch, plan, false, () -> {
            Map<String, INDArray> forward = plan.forward(toEngineLayout(x), null);
            Map<String, INDArray> copies = new HashMap<>();
            for (String variable : variables) {
                copies.put(variable, detachToCaller(forward.get(variable)));
            }
            return copies;
        });
    }

    /**
     * The input gradient of a channel mean on a convolution's output (or its activation's), computing that one output
     * channel per example instead of all of them: the objective depends on no other channel, so the result is the
     * full computation's (up to float summation order) at 1/C of the last layer's work. Feature visualization of a
     * layer's channels is this call, step after step.
     */
    private LayerGradient channelGradient(INDArray input, int[] channels, String start,
                                          ConvolutionNode convolution, long batch, ExecutionPlan fullPlan) {
        Node producer = graph.node(graph.producerOf(start));
        PointwiseNodes.Activation activation = producer instanceof PointwiseNodes.Activation a ? a : null;
        String convolutionInput = convolution.input;
        ExecutionPlan below = INPUT.equals(convolutionInput) ? null
                : graph.plan(new PlanKey(List.of(convolutionInput), convolutionInput, INPUT));
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        return runtime.inWorkspace(batch, fullPlan, true, () -> {
            INDArray engineInput = toEngineLayout(x);
            Map<String, INDArray> forward = below == null ? Map.of(INPUT, engineInput)
                    : below.forward(engineInput, null);
            INDArray inputs = forward.get(convolutionInput);
            INDArray gradInputs = Nd4j.createUninitialized(dataType, inputs.shape());
            INDArray values = Nd4j.createUninitializedDetached(dataType, batch);
            for (int i = 0; i < batch; i++) {
                ConvolutionNode single = convolution.singleChannel(channels[channels.length == 1 ? 0 : i]);
                INDArray example = inputs.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.all());
                INDArray linear = single.apply(example, false);
                INDArray out = linear;
                boolean needsInput = activation != null
                        && activation.input.equals(activation.backwardNeed());
                if (activation != null) {
                    out = activation.apply(linear, !needsInput);
                }
                values.putScalar(i, out.meanNumber().doubleValue());
                INDArray seed = Nd4j.valueArrayOf(out.shape(), 1.0 / out.length(), dataType);
                if (activation != null) {
                    seed = activation.backward(seed, activation.backwardNeed() == null ? null
                            : needsInput ? linear : out);
                }
                gradInputs.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).assign(single.backward(seed, example));
            }
            INDArray grad = detachToCaller(below == null ? gradInputs
                    : below.backward(gradInputs, forward, null));
            return new LayerGradient(x, values, grad);
        });
    }

    /** A batch in the engine's layout (channels last for images; see {@link Node#withBatch}), in the open workspace. */
    private static INDArray toEngineLayout(INDArray nchw) {
        return nchw.rank() == 4 ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
    }

    /** A view of an engine-layout batch in the caller's layout (NCHW for images). */
    private static INDArray toCallerView(INDArray engine) {
        return engine.rank() == 4 ? engine.permute(0, 3, 1, 2) : engine;
    }

    /** A copy in the caller's layout, outside every workspace: the caller owns it. */
    private static INDArray detachToCaller(INDArray engine) {
        INDArray view = toCallerView(engine);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return view.dup('c');
        }
    }

    /**
     * Frees the working memory the model keeps between calls (its workspace); the next call allocates it again. For a
     * model that will sit idle for a while; {@link #close()} also frees the weights.
     */
    public void releaseWorkingMemory() {
        runtime.releaseWorkingMemory();
    }

    /**
     * The bytes of working memory the model keeps between calls.
     *
     * @return the size of its workspace (0 before the first call and after {@link #releaseWorkingMemory()})
     */
    public long workingMemoryBytes() {
        return runtime.workingMemoryBytes();
    }

    @Override public void close() {
        runtime.close();
    }

    /**
     * Which kernels run each convolution, windowed pooling and element-wise activation: ND4J's ops ({@code nd4j...}),
     * or those of a {@link org.xai4j.engine.spi.KernelProvider} on the class path (see that interface for how one is
     * chosen).
     *
     * @return implementation descriptions keyed by the layer's variable, in execution order
     */
    public Map<String, String> kernelImplementations() {
        Map<String, String> implementations = new LinkedHashMap<>();
        for (Node node : graph.nodes()) {
            if (node instanceof ConvolutionNode convolution) {
                implementations.put(node.output, convolution.implementation());
            } else if (node instanceof PoolingNodes.Pooling pooling) {
                implementations.put(node.output, pooling.implementation());
            } else if (node instanceof PointwiseNodes.Activation activation) {
                implementations.put(node.output, activation.implementation());
            }
        }
        return implementations;
    }

    @Override public String toString() {
        return "Nd4jImageModel[" + spec.name() + ", input=" + Arrays.toString(spec.inputShape()) + ", layers="
                + graph.layerNames().size() + ", classes=" + graph.numClasses() + ", " + dataType
                + (runtime.isClosed() ? ", closed" : "") + "]";
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
        runtime.checkOpen();
        return SameDiffExport.of(graph);
    }

    /**
     * The graph variable holding a layer's output in {@link #toSameDiff()}.
     *
     * @param layer a layer name
     * @return the variable name
     * @throws IllegalArgumentException if the layer is unknown
     */
    public String graphVariable(String layer) {
        return graph.layerVariable(layer);
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
        return runtime.bytesPerExample(backward);
    }

    @Override public List<String> weightedLayers() {
        return LayerReinitialization.weightedLayers(spec());
    }

    @Override public Nd4jImageModel withReinitializedLayers(java.util.Set<String> layers, long seed) {
        java.util.Objects.requireNonNull(layers, "layers must not be null");
        return of(LayerReinitialization.reinitialize(spec(), layers, seed), dataType());
    }
}
