package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * One primitive operation of a compiled network: it reads one or more variables and writes one. Each node computes
 * its output with direct ND4J ops, builds the same op into a SameDiff graph for export, and computes the gradients of
 * its inputs from the gradient of its output with plain ND4J ops, never the gradient of a weight.
 */
abstract class Node {

    final List<String> inputs;
    final String output;
    /** Per-example shapes, without the batch dimension. */
    final List<long[]> inputShapes;
    final long[] outputShape;

    Node(List<String> inputs, String output, List<long[]> inputShapes, long[] outputShape) {
        this.inputs = List.copyOf(inputs);
        this.output = output;
        this.inputShapes = List.copyOf(inputShapes);
        this.outputShape = outputShape;
    }

    /** Adds this node's forward op to the graph. */
    abstract SDVariable forward(SameDiff sd, List<SDVariable> in);

    /**
     * Computes this node's output directly with ND4J ops, in the current workspace if one is open.
     *
     * @param in                the input batches, in the order of {@link #inputs}
     * @param mayOverwriteInput whether the first input is needed by no one else, so the output may be written over it
     */
    abstract INDArray apply(List<INDArray> in, boolean mayOverwriteInput);

    /**
     * Whether {@link #apply} may return its first input or a view of it (in-place ops, reshapes, identities), so that
     * writing over the output would also change that input.
     */
    boolean outputMayAliasInput() {
        return false;
    }

    /** The forward variables (inputs or the output) the backward pass reads. */
    List<String> backwardNeeds() {
        return List.of();
    }

    /**
     * The gradients with respect to this node's inputs, in the order of {@link #inputs}, given the gradient with
     * respect to its output and the forward values named by {@link #backwardNeeds()}. The node owns
     * {@code gradOutput} and may overwrite it or return it; the returned arrays must not share memory with each other
     * except as disjoint views of one buffer.
     */
    abstract List<INDArray> backward(INDArray gradOutput, Map<String, INDArray> forward);

    /** What the node computes, for profiles: {@code convolution}, {@code activation(RELU)}, ... */
    String operation() {
        String name = getClass().getSimpleName().replace("Node", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Releases the arrays this node owns (weights); the node must not be used afterwards. */
    void release() { }

    /**
     * The shape of a batch as the engine stores it: channels last, {@code [n, h, w, c]}, for per-example
     * {@code [c, h, w]} (oneDNN's convolutions and pooling run on NHWC without reordering their arrays), and
     * {@code [n, ...]} for other ranks.
     */
    static long[] withBatch(long n, long[] shape) {
        if (shape.length == 3) {
            return new long[] {n, shape[1], shape[2], shape[0]};
        }
        long[] full = new long[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return full;
    }

    /** The dimension holding the channels (features) of a batch in the engine's layout: the last. */
    static int channelAxis(INDArray batch) {
        return batch.rank() - 1;
    }

    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }

    /** Closes arrays that may be null. */
    static void close(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && array.closeable()) {
                array.close();
            }
        }
    }

    /** A node with one input: most layers. */
    abstract static class Unary extends Node {

        final String input;
        final long[] inputShape;

        Unary(String input, String output, long[] inputShape, long[] outputShape) {
            super(List.of(input), output, List.<long[]>of(inputShape), outputShape);
            this.input = input;
            this.inputShape = inputShape;
        }

        /** Adds this node's forward op, reading {@code in}, to the graph. */
        abstract SDVariable forward(SameDiff sd, SDVariable in);

        /** Computes the output from one input batch; see {@link Node#apply(List, boolean)}. */
        abstract INDArray apply(INDArray in, boolean mayOverwriteInput);

        /** The forward variable the backward pass reads ({@link #input} or {@link #output}), or null for none. */
        String backwardNeed() {
            return null;
        }

        /** The input gradient; may overwrite and return {@code gradOutput}. */
        abstract INDArray backward(INDArray gradOutput, INDArray forwardValue);

        @Override final SDVariable forward(SameDiff sd, List<SDVariable> in) {
            return forward(sd, in.get(0));
        }

        @Override final INDArray apply(List<INDArray> in, boolean mayOverwriteInput) {
            return apply(in.get(0), mayOverwriteInput);
        }

        @Override final List<String> backwardNeeds() {
            String need = backwardNeed();
            return need == null ? List.of() : List.of(need);
        }

        @Override final List<INDArray> backward(INDArray gradOutput, Map<String, INDArray> forward) {
            String need = backwardNeed();
            return List.of(backward(gradOutput, need == null ? null : forward.get(need)));
        }
    }
}
