package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A binary element-wise operation whose two inputs broadcast against each other (NumPy rules on the per-example
 * shapes, which have equal rank). Both live in the engine's channels-last layout, where broadcasting
 * {@code [n, 1, 1, c]} against {@code [n, h, w, c]} is the same as {@code [c, 1, 1]} against {@code [c, h, w]}. The
 * gradient of an input is the output gradient times the partial derivative, summed over the dimensions along which
 * that input was repeated.
 */
final class BroadcastNode extends Node {

    private final LayerSpec.BroadcastOp op;

    BroadcastNode(List<String> inputs, String output, List<long[]> shapes, LayerSpec.BroadcastOp op) {
        super(inputs, output, shapes, broadcastShape(output, shapes.get(0), shapes.get(1)));
        this.op = op;
    }

    static long[] broadcastShape(String name, long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("broadcast layer '" + name + "' needs inputs of equal rank, got "
                    + Arrays.toString(a) + " and " + Arrays.toString(b));
        }
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && a[i] != 1 && b[i] != 1) {
                throw new IllegalArgumentException("broadcast layer '" + name + "': shapes " + Arrays.toString(a)
                        + " and " + Arrays.toString(b) + " do not broadcast (dimension " + i + ")");
            }
            out[i] = Math.max(a[i], b[i]);
        }
        return out;
    }

    @Override String operation() {
        return "broadcast " + op.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override SDVariable forward(SameDiff sd, List<SDVariable> in) {
        SDVariable a = in.get(0);
        SDVariable b = in.get(1);
        return switch (op) {
            case ADD -> a.add(output, b);
            case SUBTRACT -> a.sub(output, b);
            case MULTIPLY -> a.mul(output, b);
            case DIVIDE -> a.div(output, b);
        };
    }

    @Override INDArray apply(List<INDArray> in, boolean mayOverwriteInput) {
        INDArray a = in.get(0);
        INDArray b = in.get(1);
        long[] full = withBatch(a.size(0), outputShape);
        INDArray out;
        if (Arrays.equals(a.shape(), full)) {
            out = mayOverwriteInput ? a : a.dup();
        } else {
            out = Nd4j.zeros(a.dataType(), full).addi(a);
        }
        return switch (op) {
            case ADD -> out.addi(b);
            case SUBTRACT -> out.subi(b);
            case MULTIPLY -> out.muli(b);
            case DIVIDE -> out.divi(b);
        };
    }

    @Override boolean outputMayAliasInput() {
        return true;
    }

    @Override List<String> backwardNeeds() {
        return op == LayerSpec.BroadcastOp.MULTIPLY || op == LayerSpec.BroadcastOp.DIVIDE ? inputs : List.of();
    }

    @Override List<INDArray> backward(INDArray gradOutput, Map<String, INDArray> forward) {
        INDArray a = backwardNeeds().isEmpty() ? null : forward.get(inputs.get(0));
        INDArray b = backwardNeeds().isEmpty() ? null : forward.get(inputs.get(1));
        INDArray gradA;
        INDArray gradB;
        switch (op) {
            case ADD -> {
                gradA = gradOutput.dup();
                gradB = gradOutput;
            }
            case SUBTRACT -> {
                gradA = gradOutput.dup();
                gradB = gradOutput.negi();
            }
            case MULTIPLY -> {
                gradA = gradOutput.mul(b);
                gradB = gradOutput.muli(a);
            }
            case DIVIDE -> {
                // d(a/b)/da = 1/b; d(a/b)/db = -a/b^2 = -(g/b) * (a/b)
                gradA = gradOutput.div(b);
                gradB = gradA.mul(a).divi(b).negi();
            }
            default -> throw new IllegalStateException("unknown operation " + op);
        }
        List<INDArray> grads = new ArrayList<>(2);
        grads.add(reduceTo(gradA, inputShapes.get(0)));
        grads.add(reduceTo(gradB, inputShapes.get(1)));
        return grads;
    }

    /** Sums a full-size gradient over the dimensions along which an input of per-example shape {@code shape} was repeated. */
    private INDArray reduceTo(INDArray grad, long[] shape) {
        long[] target = withBatch(grad.size(0), shape);
        if (Arrays.equals(grad.shape(), target)) {
            return grad;
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = 1; i < target.length; i++) {
            if (target[i] == 1 && grad.size(i) != 1) {
                axes.add(i);
            }
        }
        return grad.sum(true, axes.stream().mapToInt(Integer::intValue).toArray()).reshape(target).dup('c');
    }
}
