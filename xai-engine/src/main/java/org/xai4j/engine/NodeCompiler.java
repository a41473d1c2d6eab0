package org.xai4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one {@link LayerSpec} into the nodes that compute it (a layer with a fused activation becomes its linear part,
 * named {@code <layer>/linear}, and an activation node named after the layer), checking its shapes against its inputs
 * and converting its weights to the model's data type and layout.
 */
final class NodeCompiler {

    private NodeCompiler() { }

    static List<Node> compile(LayerSpec layer, List<String> inputs, List<long[]> shapes, DataType dataType) {
        String name = layer.name();
        String in = inputs.get(0);
        long[] shape = shapes.get(0);
        List<Node> out = new ArrayList<>();
        if (layer instanceof LayerSpec.Convolution c) {
            requireSpatial(name, shape);
            if (c.weights().size(1) != shape[0]) {
                throw new IllegalArgumentException("convolution '" + name + "' expects " + c.weights().size(1)
                        + " input channels but receives " + shape[0]);
            }
            // Dilated kernels run as undilated ones with zeros between the taps: the same sums, and M2.1's oneDNN float32
            // conv2d refuses every dilated convolution on channels-last arrays ("could not create a descriptor").
            INDArray dilated = zeroStuffed(c.weights(), 2, c.dilation());
            INDArray yxio = dilated.permute(2, 3, 1, 0).castTo(dataType).dup('c');
            INDArray bias = c.bias() == null ? null : c.bias().castTo(dataType).reshape(c.weights().size(0)).dup();
            long[] outShape = {c.weights().size(0),
                    spatialSize(shape[1], c.weights().size(2), c.stride()[0], c.padding()[0], c.dilation()[0], c.samePadding()),
                    spatialSize(shape[2], c.weights().size(3), c.stride()[1], c.padding()[1], c.dilation()[1], c.samePadding())};
            checkPositive(name, outShape);
            String linear = linearName(name, c.activation());
            out.add(new ConvolutionNode(in, linear, shape, outShape, yxio, bias, c.stride(), c.padding(), new int[] {1, 1},
                    c.samePadding()));
            addActivation(out, linear, name, outShape, c.activation(), c.alpha(), dataType);
        } else if (layer instanceof LayerSpec.DepthwiseConvolution d) {
            requireSpatial(name, shape);
            if (d.weights().size(2) != shape[0]) {
                throw new IllegalArgumentException("depthwise convolution '" + name + "' expects " + d.weights().size(2)
                        + " input channels but receives " + shape[0]);
            }
            long channels = d.weights().size(2) * d.weights().size(3);
            INDArray bias = d.bias() == null ? null : d.bias().castTo(dataType).reshape(channels).dup();
            long[] outShape = {channels,
                    spatialSize(shape[1], d.weights().size(0), d.stride()[0], d.padding()[0], d.dilation()[0], d.samePadding()),
                    spatialSize(shape[2], d.weights().size(1), d.stride()[1], d.padding()[1], d.dilation()[1], d.samePadding())};
            checkPositive(name, outShape);
            String linear = linearName(name, d.activation());
            out.add(new DepthwiseConvolutionNode(in, linear, shape, outShape,
                    zeroStuffed(d.weights(), 0, d.dilation()).castTo(dataType).dup('c'), bias,
                    d.stride(), d.padding(), new int[] {1, 1}, d.samePadding()));
            addActivation(out, linear, name, outShape, d.activation(), d.alpha(), dataType);
        } else if (layer instanceof LayerSpec.Pooling p) {
            requireSpatial(name, shape);
            long[] outShape = {shape[0],
                    spatialSize(shape[1], p.kernel()[0], p.stride()[0], p.padding()[0], 1, p.samePadding()),
                    spatialSize(shape[2], p.kernel()[1], p.stride()[1], p.padding()[1], 1, p.samePadding())};
            checkPositive(name, outShape);
            out.add(new PoolingNodes.Pooling(in, name, shape, outShape, p, dataType));
        } else if (layer instanceof LayerSpec.GlobalPooling g) {
            requireSpatial(name, shape);
            out.add(new PoolingNodes.GlobalPooling(in, name, shape, g.type()));
        } else if (layer instanceof LayerSpec.Dense d) {
            if (shape.length != 1) {
                throw new IllegalArgumentException("dense layer '" + name + "' receives a spatial activation of shape "
                        + Arrays.toString(shape) + "; add a Flatten or GlobalPooling layer before it");
            }
            if (d.weights().size(0) != shape[0]) {
                throw new IllegalArgumentException("dense layer '" + name + "' expects " + d.weights().size(0)
                        + " inputs but receives " + shape[0]);
            }
            String linear = linearName(name, d.activation());
            INDArray bias = d.bias() == null ? null : d.bias().castTo(dataType).reshape(d.weights().size(1)).dup();
            out.add(new DenseNode(in, linear, shape, d.weights().castTo(dataType).dup('c'), bias));
            addActivation(out, linear, name, out.get(0).outputShape, d.activation(), d.alpha(), dataType);
        } else if (layer instanceof LayerSpec.ChannelAffine a) {
            if (a.scale().length() != shape[0] || a.shift().length() != shape[0]) {
                throw new IllegalArgumentException("channel affine '" + name + "' has " + a.scale().length()
                        + " scales and " + a.shift().length() + " shifts for " + shape[0] + " channels");
            }
            String linear = linearName(name, a.activation());
            out.add(new PointwiseNodes.ChannelAffine(in, linear, shape, a.scale().castTo(dataType).dup(),
                    a.shift().castTo(dataType).dup()));
            addActivation(out, linear, name, shape, a.activation(), a.alpha(), dataType);
        } else if (layer instanceof LayerSpec.Activation a) {
            out.add(new PointwiseNodes.Activation(in, name, shape, a.function(), a.alpha(), dataType));
        } else if (layer instanceof LayerSpec.ScalarAffine a) {
            out.add(new PointwiseNodes.ScalarAffine(in, name, shape, a.scale(), a.shift()));
        } else if (layer instanceof LayerSpec.L2Normalize l) {
            out.add(new PointwiseNodes.L2Normalize(in, name, shape, l.epsilon()));
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
            out.add(new ShapeNodes.ChannelOrder(in, name, shape, o.order()));
        } else if (layer instanceof LayerSpec.Flatten f) {
            out.add(new ShapeNodes.Flatten(in, name, shape, f.channelsLast()));
        } else if (layer instanceof LayerSpec.Identity) {
            out.add(new ShapeNodes.Identity(in, name, shape));
        } else if (layer instanceof LayerSpec.ZeroPadding z) {
            requireSpatial(name, shape);
            out.add(new ShapeNodes.ZeroPadding(in, name, shape, z.padding()));
        } else if (layer instanceof LayerSpec.Cropping c) {
            requireSpatial(name, shape);
            ShapeNodes.Cropping node = new ShapeNodes.Cropping(in, name, shape, c.cropping());
            checkPositive(name, node.outputShape);
            out.add(node);
        } else if (layer instanceof LayerSpec.Upsampling u) {
            requireSpatial(name, shape);
            out.add(new ShapeNodes.Upsampling(in, name, shape, u.size()));
        } else if (layer instanceof LayerSpec.ElementWise e) {
            for (int i = 1; i < shapes.size(); i++) {
                if (!Arrays.equals(shapes.get(i), shape)) {
                    throw new IllegalArgumentException("element-wise layer '" + name + "' (" + e.op() + ") needs inputs "
                            + "of one shape, but " + inputs.get(0) + " has " + Arrays.toString(shape) + " and "
                            + inputs.get(i) + " has " + Arrays.toString(shapes.get(i)));
                }
            }
            out.add(new MergeNodes.ElementWise(inputs, name, shapes, e.op()));
        } else if (layer instanceof LayerSpec.Concat) {
            for (int i = 1; i < shapes.size(); i++) {
                long[] other = shapes.get(i);
                if (other.length != shape.length
                        || !Arrays.equals(Arrays.copyOfRange(other, 1, other.length), Arrays.copyOfRange(shape, 1, shape.length))) {
                    throw new IllegalArgumentException("concatenation '" + name + "' needs inputs that differ only in "
                            + "channels, but " + inputs.get(0) + " has " + Arrays.toString(shape) + " and "
                            + inputs.get(i) + " has " + Arrays.toString(other));
                }
            }
            out.add(new MergeNodes.Concat(inputs, name, shapes));
        } else if (layer instanceof LayerSpec.Clip c) {
            out.add(new BoundedActivationNodes.Clip(in, name, shape, c.min(), c.max()));
        } else if (layer instanceof LayerSpec.HardSigmoid h) {
            out.add(new BoundedActivationNodes.HardSigmoid(in, name, shape, h.alpha(), h.beta()));
        } else if (layer instanceof LayerSpec.HardSwish) {
            out.add(new BoundedActivationNodes.HardSwish(in, name, shape));
        } else if (layer instanceof LayerSpec.ChannelMean) {
            out.add(new MathNodes.ChannelMean(in, name, shape));
        } else if (layer instanceof LayerSpec.UnaryMath u) {
            out.add(new MathNodes.UnaryMath(in, name, shape, u.function(), u.exponent()));
        } else if (layer instanceof LayerSpec.Broadcast b) {
            out.add(new BroadcastNode(inputs, name, shapes, b.op()));
        } else if (layer instanceof LayerSpec.ChannelSlice c) {
            if (c.end() > shape[0]) {
                throw new IllegalArgumentException("channel slice '" + name + "' keeps channels [" + c.start() + ", "
                        + c.end() + ") of an input with " + shape[0]);
            }
            out.add(new ShapeNodes.ChannelSlice(in, name, shape, c.start(), c.end()));
        } else if (layer instanceof LayerSpec.ConstantPadding p) {
            requireSpatial(name, shape);
            out.add(new ShapeNodes.ConstantPadding(in, name, shape, p.padding(), p.value()));
        } else {
            throw new IllegalArgumentException("unsupported layer " + layer);
        }
        return out;
    }

    /**
     * A kernel whose spatial axes start at {@code firstSpatialAxis}, with {@code dilation - 1} zeros inserted between
     * its taps: an undilated kernel that computes the dilated convolution exactly. Returned unchanged for dilation 1.
     */
    static INDArray zeroStuffed(INDArray weights, int firstSpatialAxis, int[] dilation) {
        if (dilation[0] == 1 && dilation[1] == 1) {
            return weights;
        }
        long[] shape = weights.shape().clone();
        long kh = shape[firstSpatialAxis];
        long kw = shape[firstSpatialAxis + 1];
        shape[firstSpatialAxis] = (kh - 1) * dilation[0] + 1;
        shape[firstSpatialAxis + 1] = (kw - 1) * dilation[1] + 1;
        INDArray out = org.nd4j.linalg.factory.Nd4j.zeros(weights.dataType(), shape);
        org.nd4j.linalg.indexing.INDArrayIndex[] target = new org.nd4j.linalg.indexing.INDArrayIndex[4];
        Arrays.fill(target, org.nd4j.linalg.indexing.NDArrayIndex.all());
        target[firstSpatialAxis] = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dilation[0], shape[firstSpatialAxis]);
        target[firstSpatialAxis + 1] = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dilation[1],
                shape[firstSpatialAxis + 1]);
        out.get(target).assign(weights);
        return out;
    }

    private static String linearName(String name, ActivationFunction activation) {
        return activation == ActivationFunction.IDENTITY ? name : name + "/linear";
    }

    private static void addActivation(List<Node> out, String linear, String name, long[] shape,
                                      ActivationFunction function, double alpha, DataType dataType) {
        if (function != ActivationFunction.IDENTITY) {
            out.add(new PointwiseNodes.Activation(linear, name, shape, function, alpha, dataType));
        }
    }

    static long spatialSize(long in, long kernel, int stride, int padding, int dilation, boolean same) {
        if (same) {
            return (in + stride - 1) / stride;
        }
        long effective = (kernel - 1) * dilation + 1;
        return Math.floorDiv(in + 2L * padding - effective, stride) + 1;
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
