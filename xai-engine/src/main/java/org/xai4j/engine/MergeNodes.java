package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Nodes that combine several inputs: element-wise sums, products, averages and maxima, and concatenation. */
final class MergeNodes {

    private MergeNodes() { }

    /** An element-wise combination of inputs of one shape. */
    static final class ElementWise extends Node {
        private final LayerSpec.ElementWiseOp op;

        ElementWise(List<String> inputs, String output, List<long[]> shapes, LayerSpec.ElementWiseOp op) {
            super(inputs, output, shapes, shapes.get(0));
            this.op = op;
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        /** Whether this is a sum or an average, linear maps that LRP gives its epsilon rule ({@link BackwardMode}). */
        boolean isSumOrAverage() {
            return op == LayerSpec.ElementWiseOp.ADD || op == LayerSpec.ElementWiseOp.AVERAGE;
        }

        @Override SDVariable forward(SameDiff sd, List<SDVariable> in) {
            SDVariable result = in.get(0);
            boolean average = op == LayerSpec.ElementWiseOp.AVERAGE;
            for (int i = 1; i < in.size(); i++) {
                SDVariable next = in.get(i);
                String name = i == in.size() - 1 && !average ? output : output + "/partial" + i;
                result = switch (op) {
                    case ADD, AVERAGE -> result.add(name, next);
                    case SUBTRACT -> result.sub(name, next);
                    case PRODUCT -> result.mul(name, next);
                    case MAX -> sd.math.max(name, result, next);
                };
            }
            return average ? result.div(output, in.size()) : result;
        }

        @Override INDArray apply(List<INDArray> in, boolean mayOverwriteInput) {
            INDArray result = mayOverwriteInput ? in.get(0) : in.get(0).dup();
            for (int i = 1; i < in.size(); i++) {
                INDArray next = in.get(i);
                switch (op) {
                    case ADD, AVERAGE -> result.addi(next);
                    case SUBTRACT -> result.subi(next);
                    case PRODUCT -> result.muli(next);
                    case MAX -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.Max(result, next, result));
                }
            }
            return op == LayerSpec.ElementWiseOp.AVERAGE ? result.divi(in.size()) : result;
        }

        @Override List<String> backwardNeeds() {
            return op == LayerSpec.ElementWiseOp.PRODUCT || op == LayerSpec.ElementWiseOp.MAX ? inputs : List.of();
        }

        @Override List<INDArray> backward(INDArray gradOutput, Map<String, INDArray> forward) {
            int count = inputs.size();
            List<INDArray> grads = new ArrayList<>(count);
            switch (op) {
                case ADD -> {
                    grads.add(gradOutput);
                    for (int i = 1; i < count; i++) {
                        grads.add(gradOutput.dup());
                    }
                }
                case AVERAGE -> {
                    gradOutput.divi(count);
                    grads.add(gradOutput);
                    for (int i = 1; i < count; i++) {
                        grads.add(gradOutput.dup());
                    }
                }
                case SUBTRACT -> {
                    grads.add(gradOutput.dup());
                    grads.add(gradOutput.negi());
                }
                case PRODUCT -> {
                    for (int i = 0; i < count; i++) {
                        INDArray grad = gradOutput.dup();
                        for (int j = 0; j < count; j++) {
                            if (j != i) {
                                grad.muli(forward.get(inputs.get(j)));
                            }
                        }
                        grads.add(grad);
                    }
                }
                case MAX -> {
                    // The gradient goes to the first input that holds the maximum, as a sub-gradient choice.
                    INDArray max = forward.get(inputs.get(0)).dup();
                    for (int i = 1; i < count; i++) {
                        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.Max(max, forward.get(inputs.get(i)), max));
                    }
                    INDArray unclaimed = Nd4j.onesLike(max);
                    for (int i = 0; i < count; i++) {
                        INDArray holds = forward.get(inputs.get(i)).eq(max).castTo(gradOutput.dataType()).muli(unclaimed);
                        unclaimed.subi(holds);
                        grads.add(holds.muli(gradOutput));
                    }
                }
            }
            return grads;
        }
    }

    /** Concatenation along the channel (feature) dimension: the input gradients are copies of the matching slices. */
    static final class Concat extends Node {
        private final long[] offsets;

        Concat(List<String> inputs, String output, List<long[]> shapes) {
            super(inputs, output, shapes, concatenatedShape(shapes));
            offsets = new long[shapes.size() + 1];
            for (int i = 0; i < shapes.size(); i++) {
                offsets[i + 1] = offsets[i] + shapes.get(i)[0];
            }
        }

        static long[] concatenatedShape(List<long[]> shapes) {
            long[] shape = shapes.get(0).clone();
            shape[0] = 0;
            for (long[] s : shapes) {
                shape[0] += s[0];
            }
            return shape;
        }

        @Override SDVariable forward(SameDiff sd, List<SDVariable> in) {
            return sd.concat(output, 1, in.toArray(new SDVariable[0]));
        }

        @Override INDArray apply(List<INDArray> in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.createUninitialized(in.get(0).dataType(), withBatch(in.get(0).size(0), outputShape));
            for (int i = 0; i < in.size(); i++) {
                out.get(slice(i, outputShape.length + 1)).assign(in.get(i));
            }
            return out;
        }

        private INDArrayIndex[] slice(int input, int rank) {
            INDArrayIndex[] index = new INDArrayIndex[rank];
            Arrays.fill(index, NDArrayIndex.all());
            index[rank - 1] = NDArrayIndex.interval(offsets[input], offsets[input + 1]);
            return index;
        }

        @Override List<INDArray> backward(INDArray gradOutput, Map<String, INDArray> forward) {
            List<INDArray> grads = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                // Contiguous copies: M2.1's oneDNN kernels give wrong values for strided channels-last views.
                grads.add(gradOutput.get(slice(i, gradOutput.rank())).dup('c'));
            }
            return grads;
        }
    }
}
