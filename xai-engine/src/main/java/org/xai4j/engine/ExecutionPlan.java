package org.xai4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes one kind of call runs, and in what order: the forward pass over the ancestors of what the call needs,
 * and for a gradient the nodes on the paths from where the gradient stops (the input, or a layer) to where it starts
 * (the objective's layer), backwards. It also records which forward values must survive until the backward pass and
 * when each value is read for the last time, so a node may write its output over an input nobody reads afterwards,
 * and folds a convolution into the batch normalization after it when the call needs nothing in between.
 * Plans depend only on the graph and the requested variables, so a model computes each once and reuses it.
 */
final class ExecutionPlan {

    private static final String INPUT = LayerInfo.MODEL_INPUT;

    /** The nodes of the forward pass, in execution order. */
    private final List<Node> forwardNodes;
    /** The nodes of the backward pass, in execution order (reverse topological); empty without a gradient. */
    private final List<Node> backwardNodes;
    /** Forward values that must not be overwritten: returned ones and those the backward pass reads. */
    private final Set<String> kept;
    /** The position in {@link #forwardNodes} of the last node reading each variable. */
    private final Map<String, Integer> lastReader;
    /** Variables that depend on the gradient's stopping point: only their gradients are accumulated. */
    private final Set<String> dependsOnStop;
    private final String gradientStart;
    private final String gradientStop;
    private final long elementsPerExample;

    private ExecutionPlan(List<Node> forwardNodes, List<Node> backwardNodes, Set<String> kept,
                          Map<String, Integer> lastReader, Set<String> dependsOnStop, String gradientStart,
                          String gradientStop, long elementsPerExample) {
        this.forwardNodes = forwardNodes;
        this.backwardNodes = backwardNodes;
        this.kept = kept;
        this.lastReader = lastReader;
        this.dependsOnStop = dependsOnStop;
        this.gradientStart = gradientStart;
        this.gradientStop = gradientStop;
        this.elementsPerExample = elementsPerExample;
    }

    static ExecutionPlan create(CompiledGraph graph, CompiledGraph.PlanKey key) {
        List<String> targets = new ArrayList<>(key.outputs());
        if (key.gradientStop() != null) {
            targets.add(key.gradientStop());
        }
        Set<String> ancestors = graph.ancestorsOf(targets);
        List<Integer> forward = new ArrayList<>();
        for (int i = 0; i < graph.nodeCount(); i++) {
            if (ancestors.contains(graph.node(i).output)) {
                forward.add(i);
            }
        }
        Set<String> kept = new HashSet<>(key.outputs());
        Set<String> dependsOnStop = new HashSet<>();
        List<Integer> backward = new ArrayList<>();
        if (key.gradientStart() != null) {
            kept.add(key.gradientStop());
            Set<String> startAncestors = graph.ancestorsOf(List.of(key.gradientStart()));
            dependsOnStop.add(key.gradientStop());
            for (int i : forward) {
                Node node = graph.node(i);
                if (node.inputs.stream().anyMatch(dependsOnStop::contains)) {
                    dependsOnStop.add(node.output);
                    if (startAncestors.contains(node.output)) {
                        backward.add(0, i);
                        kept.addAll(node.backwardNeeds());
                    }
                }
            }
        }
        // A convolution whose output only feeds a per-channel affine map, and is neither returned nor read by the
        // backward pass, runs folded with it: one node instead of two, forward and backward.
        Map<Integer, Node> folded = new HashMap<>();
        Set<Integer> absorbed = new HashSet<>();
        for (int i : forward) {
            Integer affine = graph.foldableAffineAfter(i);
            if (affine != null && forward.contains(affine) && !kept.contains(graph.node(i).output)) {
                folded.put(i, graph.foldedNode(i));
                absorbed.add(affine);
            }
        }
        List<Node> forwardNodes = new ArrayList<>();
        for (int i : forward) {
            if (!absorbed.contains(i)) {
                forwardNodes.add(folded.getOrDefault(i, graph.node(i)));
            }
        }
        List<Node> backwardNodes = new ArrayList<>();
        for (int i : backward) {
            if (!absorbed.contains(i)) {
                backwardNodes.add(folded.getOrDefault(i, graph.node(i)));
            }
        }
        Map<String, Integer> lastReader = new HashMap<>();
        long elements = Node.product(graph.spec().inputShape());
        for (int position = 0; position < forwardNodes.size(); position++) {
            Node node = forwardNodes.get(position);
            for (String read : node.inputs) {
                lastReader.merge(read, position, Math::max);
            }
            elements += Node.product(node.outputShape);
        }
        return new ExecutionPlan(List.copyOf(forwardNodes), List.copyOf(backwardNodes), kept, lastReader,
                dependsOnStop, key.gradientStart(), key.gradientStop(), elements);
    }

    /** Estimated bytes per example: every value of the forward pass and, for a gradient, about as much again. */
    long bytesPerExample(DataType type, boolean backward) {
        return elementsPerExample * type.width() * (backward ? 2 : 1);
    }

    /**
     * Runs the forward nodes and returns every value computed (values written over by a later node are stale, but no
     * one reads them). A node writes its output over its first input when no value sharing that input's memory is kept
     * or read by a later node. With a {@code profile} list, each node's wall time is appended to it.
     */
    Map<String, INDArray> forward(INDArray input, List<OperationProfile.Entry> profile) {
        return forward(input, Map.of(), profile);
    }

    /**
     * {@link #forward(INDArray, List)} with the values of some variables given instead of computed: every node after
     * them reads the given arrays (which the plan must keep, so that no node writes over them), while the nodes
     * computing them still run for any other reader.
     */
    Map<String, INDArray> forward(INDArray input, Map<String, INDArray> replaced, List<OperationProfile.Entry> profile) {
        for (String variable : replaced.keySet()) {
            if (!kept.contains(variable)) {
                throw new IllegalStateException("a replaced variable must be kept by the plan: " + variable);
            }
        }
        Map<String, INDArray> values = new HashMap<>();
        values.put(INPUT, input);
        // Each value's memory owner (itself unless it may alias its first input), and per owner whether any value
        // sharing that memory is kept, and the last node reading any of them.
        Map<String, String> owner = new HashMap<>();
        Map<String, Boolean> ownerKept = new HashMap<>();
        Map<String, Integer> ownerLastRead = new HashMap<>();
        owner.put(INPUT, INPUT);
        for (int i = 0; i < forwardNodes.size(); i++) {
            Node node = forwardNodes.get(i);
            List<INDArray> in = new ArrayList<>(node.inputs.size());
            for (String read : node.inputs) {
                in.add(values.get(read));
            }
            String memory = owner.get(node.inputs.get(0));
            boolean mayOverwrite = !INPUT.equals(memory) && !ownerKept.get(memory) && ownerLastRead.get(memory) <= i;
            long start = profile == null ? 0 : System.nanoTime();
            INDArray given = replaced.get(node.output);
            INDArray out = given != null ? given : node.apply(in, mayOverwrite);
            if (profile != null) {
                profile.add(new OperationProfile.Entry(node.output, node.operation(), "forward", System.nanoTime() - start));
            }
            values.put(node.output, out);
            String outputOwner = node.outputMayAliasInput() && given == null ? memory : node.output;
            owner.put(node.output, outputOwner);
            ownerKept.merge(outputOwner, kept.contains(node.output), Boolean::logicalOr);
            ownerLastRead.merge(outputOwner, lastReader.getOrDefault(node.output, -1), Math::max);
        }
        return values;
    }

    /**
     * Propagates {@code seed}, the gradient of the objective with respect to the start variable, back to the stop
     * variable, summing the gradients of values read by several nodes.
     *
     * @return the gradient with respect to the stop variable, or null if no path carries one
     */
    INDArray backward(INDArray seed, Map<String, INDArray> forward, List<OperationProfile.Entry> profile) {
        return backward(seed, forward, Set.of(), new HashMap<>(), profile);
    }

    /**
     * {@link #backward(INDArray, Map, List)} that also copies into {@code captured} the complete gradient of each
     * variable of {@code capture} on the way (a variable's gradient is complete when the node producing it is reached:
     * every reader comes later in topological order, so earlier in the backward pass). Variables no gradient reaches
     * are left out.
     */
    INDArray backward(INDArray seed, Map<String, INDArray> forward, Set<String> capture,
                      Map<String, INDArray> captured, List<OperationProfile.Entry> profile) {
        return backward(seed, forward, capture, captured, null, profile);
    }

    /**
     * {@link #backward(INDArray, Map, List)} where {@code rule} decides what each node propagates (a modified backward
     * pass, see {@link BackwardMode}); a null rule is the gradient.
     */
    INDArray backwardWith(INDArray seed, Map<String, INDArray> forward, BackwardMode.Rule rule) {
        return backward(seed, forward, Set.of(), new HashMap<>(), rule, null);
    }

    private INDArray backward(INDArray seed, Map<String, INDArray> forward, Set<String> capture,
                              Map<String, INDArray> captured, BackwardMode.Rule rule,
                              List<OperationProfile.Entry> profile) {
        Map<String, INDArray> gradients = new HashMap<>();
        gradients.put(gradientStart, seed);
        if (capture.contains(gradientStart)) {
            captured.put(gradientStart, seed.dup());
        }
        for (Node node : backwardNodes) {
            INDArray gradOutput = gradients.remove(node.output);
            if (gradOutput == null) {
                continue;
            }
            if (capture.contains(node.output) && !node.output.equals(gradientStart)) {
                // A copy: node backward functions may reuse their output gradient's memory.
                captured.put(node.output, gradOutput.dup());
            }
            long start = profile == null ? 0 : System.nanoTime();
            List<INDArray> gradInputs = rule == null ? node.backward(gradOutput, forward)
                    : rule.backward(node, gradOutput, forward);
            for (int k = 0; k < node.inputs.size(); k++) {
                String read = node.inputs.get(k);
                if (dependsOnStop.contains(read)) {
                    gradients.merge(read, gradInputs.get(k), INDArray::addi);
                }
            }
            if (profile != null) {
                profile.add(new OperationProfile.Entry(node.output, node.operation(), "backward", System.nanoTime() - start));
            }
        }
        return gradients.get(gradientStop);
    }
}
