package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Changes of shape or layout without arithmetic: channel order, flatten, identity, padding, cropping, upsampling. */
final class ShapeNodes {

    private ShapeNodes() { }

    /** Channel permutation. */
    static final class ChannelOrder extends Node.Unary {
        private final int[] order;
        private final int[] inverse;

        ChannelOrder(String input, String output, long[] shape, int[] order) {
            super(input, output, shape, shape);
            this.order = order;
            this.inverse = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                inverse[order[i]] = i;
            }
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return sd.gather(output, in, order, 1);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.createUninitialized(in.dataType(), in.shape());
            for (int c = 0; c < order.length; c++) {
                out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(c)).assign(
                        in.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(order[c])));
            }
            return out;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            INDArray gradInput = Nd4j.create(gradOutput.dataType(), gradOutput.shape());
            for (int c = 0; c < inverse.length; c++) {
                gradInput.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(c)).assign(
                        gradOutput.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                                NDArrayIndex.point(inverse[c])));
            }
            return gradInput;
        }
    }

    /** Flatten in channels-first or channels-last order. */
    static final class Flatten extends Node.Unary {
        private final boolean channelsLast;

        Flatten(String input, String output, long[] inShape, boolean channelsLast) {
            super(input, output, inShape, new long[] {product(inShape)});
            this.channelsLast = channelsLast;
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            SDVariable ordered = channelsLast && inputShape.length == 3 ? in.permute(0, 2, 3, 1) : in;
            return sd.reshape(output, ordered, -1, outputShape[0]);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            long n = in.size(0);
            // The engine stores batches channels last, so a channels-last flatten is a reshape.
            INDArray ordered = !channelsLast && inputShape.length == 3 ? in.permute(0, 3, 1, 2).dup('c') : in;
            return ordered.reshape('c', n, outputShape[0]);
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            long n = gradOutput.size(0);
            if (!channelsLast && inputShape.length == 3) {
                return gradOutput.reshape('c', n, inputShape[0], inputShape[1], inputShape[2])
                        .permute(0, 2, 3, 1).dup('c');
            }
            return gradOutput.reshape('c', withBatch(n, inputShape));
        }

    }

    /** Identity (dropout at inference). */
    static final class Identity extends Node.Unary {
        Identity(String input, String output, long[] shape) {
            super(input, output, shape, shape);
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return sd.identity(output, in);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            return in;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            return gradOutput;
        }
    }

    /** Zero padding of the spatial dimensions: the input gradient is the gradient's interior. */
    static final class ZeroPadding extends Node.Unary {
        private final int[] padding;

        ZeroPadding(String input, String output, long[] inShape, int[] padding) {
            super(input, output, inShape, new long[] {inShape[0], inShape[1] + padding[0] + padding[1],
                    inShape[2] + padding[2] + padding[3]});
            this.padding = padding.clone();
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            int[][] pads = {{0, 0}, {0, 0}, {padding[0], padding[1]}, {padding[2], padding[3]}};
            return sd.nn.pad(output, in, sd.constant(Nd4j.createFromArray(pads)), 0.0);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.zeros(in.dataType(), withBatch(in.size(0), outputShape));
            out.get(interior()).assign(in);
            return out;
        }

        private INDArrayIndex[] interior() {
            return new INDArrayIndex[] {NDArrayIndex.all(),
                    NDArrayIndex.interval(padding[0], padding[0] + inputShape[1]),
                    NDArrayIndex.interval(padding[2], padding[2] + inputShape[2]), NDArrayIndex.all()};
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            // A contiguous copy: M2.1's oneDNN kernels give wrong values for strided channels-last views.
            return gradOutput.get(interior()).dup('c');
        }
    }

    /** Cropping of the spatial dimensions: the input gradient is zero outside the kept window. */
    static final class Cropping extends Node.Unary {
        private final int[] cropping;

        Cropping(String input, String output, long[] inShape, int[] cropping) {
            super(input, output, inShape, new long[] {inShape[0], inShape[1] - cropping[0] - cropping[1],
                    inShape[2] - cropping[2] - cropping[3]});
            this.cropping = cropping.clone();
        }

        private INDArrayIndex[] window() {
            return new INDArrayIndex[] {NDArrayIndex.all(),
                    NDArrayIndex.interval(cropping[0], cropping[0] + outputShape[1]),
                    NDArrayIndex.interval(cropping[2], cropping[2] + outputShape[2]), NDArrayIndex.all()};
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return sd.slice(output, in, new int[] {0, 0, cropping[0], cropping[2]},
                    new int[] {-1, (int) outputShape[0], (int) outputShape[1], (int) outputShape[2]});
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            return in.get(window()).dup('c');
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            INDArray gradInput = Nd4j.zeros(gradOutput.dataType(), withBatch(gradOutput.size(0), inputShape));
            gradInput.get(window()).assign(gradOutput);
            return gradInput;
        }
    }

    /** Nearest-neighbour upsampling: the input gradient sums each block of repeated positions. */
    static final class Upsampling extends Node.Unary {
        private final int[] size;

        Upsampling(String input, String output, long[] inShape, int[] size) {
            super(input, output, inShape, new long[] {inShape[0], inShape[1] * size[0], inShape[2] * size[1]});
            this.size = size.clone();
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return sd.cnn.upsampling2d(output, in, size[0], size[1], true);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            return in.repeat(1, size[0]).repeat(2, size[1]);
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            long n = gradOutput.size(0);
            return gradOutput.dup('c').reshape('c', n, inputShape[1], size[0], inputShape[2], size[1], inputShape[0])
                    .sum(2, 4);
        }
    }

    /** Channels {@code [start, end)}: the input gradient is zero outside them. */
    static final class ChannelSlice extends Node.Unary {
        private final int start;
        private final int end;

        ChannelSlice(String input, String output, long[] inShape, int start, int end) {
            super(input, output, inShape, sliced(inShape, end - start));
            this.start = start;
            this.end = end;
        }

        private static long[] sliced(long[] shape, int channels) {
            long[] out = shape.clone();
            out[0] = channels;
            return out;
        }

        private INDArrayIndex[] channels(int rank) {
            INDArrayIndex[] index = new INDArrayIndex[rank];
            java.util.Arrays.fill(index, NDArrayIndex.all());
            index[rank - 1] = NDArrayIndex.interval(start, end);
            return index;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            int[] begin = new int[inputShape.length + 1];
            int[] size = new int[inputShape.length + 1];
            java.util.Arrays.fill(size, -1);
            begin[1] = start;
            size[1] = end - start;
            return sd.slice(output, in, begin, size);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            // A contiguous copy: M2.1's oneDNN kernels give wrong values for strided channels-last views.
            return in.get(channels(in.rank())).dup('c');
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            INDArray gradInput = Nd4j.zeros(gradOutput.dataType(), withBatch(gradOutput.size(0), inputShape));
            gradInput.get(channels(gradInput.rank())).assign(gradOutput);
            return gradInput;
        }
    }

    /** Padding of the spatial dimensions with a constant: the input gradient is the gradient's interior. */
    static final class ConstantPadding extends Node.Unary {
        private final int[] padding;
        private final double value;

        ConstantPadding(String input, String output, long[] inShape, int[] padding, double value) {
            super(input, output, inShape, new long[] {inShape[0], inShape[1] + padding[0] + padding[1],
                    inShape[2] + padding[2] + padding[3]});
            this.padding = padding.clone();
            this.value = value;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            int[][] pads = {{0, 0}, {0, 0}, {padding[0], padding[1]}, {padding[2], padding[3]}};
            return sd.nn.pad(output, in, sd.constant(Nd4j.createFromArray(pads)), value);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.valueArrayOf(withBatch(in.size(0), outputShape), value, in.dataType());
            out.get(interior()).assign(in);
            return out;
        }

        private INDArrayIndex[] interior() {
            return new INDArrayIndex[] {NDArrayIndex.all(),
                    NDArrayIndex.interval(padding[0], padding[0] + inputShape[1]),
                    NDArrayIndex.interval(padding[2], padding[2] + inputShape[2]), NDArrayIndex.all()};
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            return gradOutput.get(interior()).dup('c');
        }
    }
}
