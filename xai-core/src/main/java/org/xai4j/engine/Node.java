package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.enums.WeightsFormat;

/**
 * One primitive operation of a compiled network: it reads one variable and writes one. Each node builds its
 * forward op into the SameDiff graph and computes its input gradient from the output gradient with plain ND4J ops,
 * never the gradient of a weight.
 */
abstract class Node {

    final String input;
    final String output;
    /** Per-example shapes, without the batch dimension. */
    final long[] inputShape;
    final long[] outputShape;

    Node(String input, String output, long[] inputShape, long[] outputShape) {
        this.input = input;
        this.output = output;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
    }

    /** Adds this node's forward op to the graph. */
    abstract SDVariable forward(SameDiff sd, SDVariable in);

    /**
     * Computes this node's output directly with ND4J ops, in the current workspace if one is open, the same as
     * {@link #forward(SameDiff, SDVariable)} does in the graph.
     *
     * @param in               the input batch
     * @param mayOverwriteInput whether the input is needed by no one else, so the output may be written over it
     */
    abstract INDArray apply(INDArray in, boolean mayOverwriteInput);

    /**
     * Whether {@link #apply} may return its input array or a view of it (in-place ops, reshapes, identities), so that
     * writing over the output would also change the input.
     */
    boolean outputMayAliasInput() {
        return false;
    }

    /** The forward variable the backward pass reads (this node's input or output), or null for none. */
    String backwardNeeds() {
        return null;
    }

    /**
     * The gradient with respect to this node's input, given the gradient with respect to its output and the
     * forward value named by {@link #backwardNeeds()}. May overwrite {@code gradOutput}.
     */
    abstract INDArray backward(INDArray gradOutput, INDArray forwardValue);

    static long[] withBatch(long n, long[] shape) {
        long[] full = new long[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return full;
    }

    /**
     * Convolution plus bias. For stride 1 the input gradient is itself a convolution of the output gradient with the
     * spatially flipped kernel, input and output channels swapped, and "full" padding (k - 1) * d - p: on the oneDNN
     * build this runs at forward-convolution speed (M2.1's deconv2d and conv2d_bp are 15x and 1.5x slower there).
     * Strided or asymmetrically padded convolutions fall back to conv2d_bp and discard its weight gradient.
     */
    static final class Convolution extends Node {
        private final INDArray weightsYxio;
        private final INDArray bias;
        private final INDArray gradientKernel;
        private final int[] kernel;
        private final int[] stride;
        private final int[] padding;
        private final int[] dilation;
        private final boolean same;

        Convolution(String input, String output, long[] inShape, long[] outShape, INDArray weightsYxio, INDArray bias,
                    int[] stride, int[] padding, int[] dilation, boolean same) {
            super(input, output, inShape, outShape);
            this.weightsYxio = weightsYxio;
            this.bias = bias;
            this.kernel = new int[] {(int) weightsYxio.size(0), (int) weightsYxio.size(1)};
            this.stride = stride;
            this.padding = padding;
            this.dilation = dilation;
            this.same = same;
            this.gradientKernel = gradientAsConvolution() ? flippedTransposed(weightsYxio) : null;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            Conv2DConfig config = Conv2DConfig.builder()
                    .kH(kernel[0]).kW(kernel[1]).sH(stride[0]).sW(stride[1])
                    .pH(same ? 0 : padding[0]).pW(same ? 0 : padding[1]).dH(dilation[0]).dW(dilation[1])
                    .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
                    .dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
            SDVariable w = sd.constant(output + "/kernel", weightsYxio);
            if (bias == null) {
                return sd.cnn.conv2d(output, in, w, config);
            }
            return sd.cnn.conv2d(output, in, w, sd.constant(output + "/bias", bias), config);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.createUninitialized(in.dataType(), withBatch(in.size(0), outputShape));
            DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
            op = bias == null ? op.addInputs(in, weightsYxio) : op.addInputs(in, weightsYxio, bias);
            Nd4j.exec(op.addOutputs(out)
                    .addIntegerArguments(kernel[0], kernel[1], stride[0], stride[1], same ? 0 : padding[0],
                            same ? 0 : padding[1], dilation[0], dilation[1], same ? 1 : 0, 0, 0)
                    .build());
            return out;
        }

        /** Stride 1 with symmetric padding: the input gradient is a plain convolution. */
        private boolean gradientAsConvolution() {
            if (stride[0] != 1 || stride[1] != 1) {
                return false;
            }
            for (int axis = 0; axis < 2; axis++) {
                int reach = (kernel[axis] - 1) * dilation[axis];
                if (same ? reach % 2 != 0 : padding[axis] > reach) {
                    return false;
                }
            }
            return true;
        }

        /** [kH, kW, in, out] to [kH, kW, out, in] with both spatial axes reversed. */
        private static INDArray flippedTransposed(INDArray yxio) {
            long kh = yxio.size(0);
            long kw = yxio.size(1);
            INDArray flipped = Nd4j.create(yxio.dataType(), kh, kw, yxio.size(3), yxio.size(2));
            for (long y = 0; y < kh; y++) {
                for (long x = 0; x < kw; x++) {
                    flipped.get(NDArrayIndex.point(y), NDArrayIndex.point(x)).assign(
                            yxio.get(NDArrayIndex.point(kh - 1 - y), NDArrayIndex.point(kw - 1 - x)).transpose());
                }
            }
            return flipped;
        }

        @Override String backwardNeeds() {
            return gradientKernel != null ? null : input;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
            long n = gradOutput.size(0);
            // Every element is written by the convolution: no need to zero-fill a buffer that can be 100 MB.
            INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(), withBatch(n, inputShape));
            if (gradientKernel != null) {
                int padH = same ? 0 : (kernel[0] - 1) * dilation[0] - padding[0];
                int padW = same ? 0 : (kernel[1] - 1) * dilation[1] - padding[1];
                Nd4j.exec(DynamicCustomOp.builder("conv2d")
                        .addInputs(gradOutput, gradientKernel)
                        .addOutputs(gradInput)
                        .addIntegerArguments(kernel[0], kernel[1], 1, 1, padH, padW, dilation[0], dilation[1],
                                same ? 1 : 0, 0, 0)
                        .build());
                return gradInput;
            }
            INDArray gradWeights = Nd4j.create(gradOutput.dataType(), weightsYxio.shape());
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(forwardInput, weightsYxio, gradOutput)
                    .addOutputs(gradInput, gradWeights)
                    .addIntegerArguments(kernel[0], kernel[1], stride[0], stride[1],
                            same ? 0 : padding[0], same ? 0 : padding[1], dilation[0], dilation[1], same ? 1 : 0, 0, 0)
                    .build());
            gradWeights.close();
            return gradInput;
        }
    }

    /** Element-wise activation. */
    static final class Activation extends Node {
        private final ActivationFunction function;
        private final double alpha;

        Activation(String input, String output, long[] shape, ActivationFunction function, double alpha) {
            super(input, output, shape, shape);
            this.function = function;
            this.alpha = alpha;
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return switch (function) {
                case IDENTITY -> sd.identity(output, in);
                case RELU -> sd.nn.relu(output, in, 0.0);
                case RELU6 -> sd.nn.relu6(output, in, 0.0);
                case LEAKY_RELU -> sd.nn.leakyRelu(output, in, alpha);
                case ELU -> sd.math.step(in, 0.0).mul(in).add(output, sd.math.step(in.neg(), 0.0)
                        .mul(sd.math.exp(sd.math.min(in, sd.zerosLike(in))).sub(1.0)).mul(alpha));
                case SWISH -> in.mul(output, sd.nn.sigmoid(in));
                case HARD_SIGMOID -> sd.nn.hardSigmoid(output, in);
                case TANH -> sd.nn.tanh(output, in);
                case SIGMOID -> sd.nn.sigmoid(output, in);
                case SOFTPLUS -> sd.nn.softplus(output, in);
                case SOFTMAX -> sd.nn.softmax(output, in, 1);
            };
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            boolean copy = !mayOverwriteInput;
            return switch (function) {
                case IDENTITY -> in;
                case RELU -> Transforms.relu(in, copy);
                case RELU6 -> Transforms.relu6(in, copy);
                case LEAKY_RELU -> Transforms.leakyRelu(in, alpha, copy);
                case ELU -> {
                    // alpha * (exp(min(x, 0)) - 1) + max(x, 0): exact for any alpha, and no overflow for large x.
                    INDArray negative = Transforms.min(in, 0.0, true);
                    Transforms.exp(negative, false).subi(1.0).muli(alpha);
                    INDArray out = Transforms.max(in, 0.0, copy);
                    yield out.addi(negative);
                }
                case SWISH -> {
                    INDArray sigmoid = Transforms.sigmoid(in, true);
                    yield copy ? in.mul(sigmoid) : in.muli(sigmoid);
                }
                case HARD_SIGMOID -> Transforms.hardSigmoid(in, copy);
                case TANH -> Transforms.tanh(in, copy);
                case SIGMOID -> Transforms.sigmoid(in, copy);
                case SOFTPLUS -> Transforms.softPlus(in, copy);
                case SOFTMAX -> {
                    INDArray out = copy ? in.dup() : in;
                    out.subiColumnVector(out.max(true, 1));
                    Transforms.exp(out, false);
                    yield out.diviColumnVector(out.sum(true, 1));
                }
            };
        }

        @Override String backwardNeeds() {
            return switch (function) {
                case IDENTITY -> null;
                case RELU, RELU6, TANH, SIGMOID, SOFTMAX -> output;
                case LEAKY_RELU, ELU, SWISH, HARD_SIGMOID, SOFTPLUS -> input;
            };
        }

        @Override INDArray backward(INDArray grad, INDArray value) {
            switch (function) {
                case IDENTITY -> { }
                case RELU -> Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(value, grad).addOutputs(grad)
                        .addFloatingPointArguments(0.0).build());
                case RELU6 -> grad.muli(value.gt(0.0).castTo(grad.dataType()).muli(value.lt(6.0).castTo(grad.dataType())));
                case LEAKY_RELU -> grad.muli(Transforms.step(value.dup()).muli(1 - alpha).addi(alpha));
                case ELU -> {
                    // d/dx: 1 for x > 0, alpha * exp(x) otherwise.
                    INDArray positive = value.gt(0.0).castTo(grad.dataType());
                    INDArray negativePart = Transforms.exp(Transforms.min(value, 0.0, true), false).muli(alpha)
                            .muli(positive.rsub(1.0));
                    grad.muli(positive.addi(negativePart));
                }
                case SWISH -> {
                    // d/dx x s(x) = s(x) (1 + x (1 - s(x)))
                    INDArray sigmoid = Transforms.sigmoid(value, true);
                    grad.muli(sigmoid.rsub(1.0).muli(value).addi(1.0).muli(sigmoid));
                }
                case HARD_SIGMOID -> grad.muli(value.gt(-2.5).castTo(grad.dataType())
                        .muli(value.lt(2.5).castTo(grad.dataType())).muli(0.2));
                case TANH -> grad.muli(value.mul(value).rsubi(1.0));
                case SIGMOID -> grad.muli(value.rsub(1.0).muli(value));
                case SOFTPLUS -> grad.muli(Transforms.sigmoid(value, true));
                case SOFTMAX -> {
                    // dz = p * (g - sum(g * p))
                    INDArray dot = grad.mul(value).sum(true, 1);
                    grad.subiColumnVector(dot).muli(value);
                }
            }
            return grad;
        }
    }

    /** Max or average pooling. */
    static final class Pooling extends Node {
        private final LayerSpec.Pooling spec;

        Pooling(String input, String output, long[] inShape, long[] outShape, LayerSpec.Pooling spec) {
            super(input, output, inShape, outShape);
            this.spec = spec;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            Pooling2DConfig config = Pooling2DConfig.builder()
                    .kH(spec.kernel()[0]).kW(spec.kernel()[1]).sH(spec.stride()[0]).sW(spec.stride()[1])
                    .pH(spec.samePadding() ? 0 : spec.padding()[0]).pW(spec.samePadding() ? 0 : spec.padding()[1])
                    .dH(1).dW(1)
                    .paddingMode(spec.samePadding() ? PaddingMode.SAME : PaddingMode.VALID)
                    .type(spec.type() == LayerSpec.PoolingType.MAX ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                    .divisor(spec.averageIncludesPadding() ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING)
                    .isNHWC(false).build();
            return spec.type() == LayerSpec.PoolingType.MAX
                    ? sd.cnn.maxPooling2d(output, in, config)
                    : sd.cnn.avgPooling2d(output, in, config);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.createUninitialized(in.dataType(), withBatch(in.size(0), outputShape));
            boolean max = spec.type() == LayerSpec.PoolingType.MAX;
            Nd4j.exec(DynamicCustomOp.builder(max ? "maxpool2d" : "avgpool2d")
                    .addInputs(in)
                    .addOutputs(out)
                    .addIntegerArguments(integerArguments())
                    .build());
            return out;
        }

        private int[] integerArguments() {
            boolean max = spec.type() == LayerSpec.PoolingType.MAX;
            int extra = max ? 0 : (spec.averageIncludesPadding() ? 1 : 0);
            return new int[] {spec.kernel()[0], spec.kernel()[1], spec.stride()[0], spec.stride()[1],
                    spec.samePadding() ? 0 : spec.padding()[0], spec.samePadding() ? 0 : spec.padding()[1],
                    1, 1, spec.samePadding() ? 1 : 0, extra, 0};
        }

        @Override String backwardNeeds() {
            return input;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
            INDArray gradInput = Nd4j.create(gradOutput.dataType(), forwardInput.shape());
            boolean max = spec.type() == LayerSpec.PoolingType.MAX;
            Nd4j.exec(DynamicCustomOp.builder(max ? "maxpool2d_bp" : "avgpool2d_bp")
                    .addInputs(forwardInput, gradOutput)
                    .addOutputs(gradInput)
                    .addIntegerArguments(integerArguments())
                    .build());
            return gradInput;
        }
    }

    /** Global max or average pooling, [n,c,h,w] to [n,c]. */
    static final class GlobalPooling extends Node {
        private final LayerSpec.PoolingType type;

        GlobalPooling(String input, String output, long[] inShape, LayerSpec.PoolingType type) {
            super(input, output, inShape, new long[] {inShape[0]});
            this.type = type;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return type == LayerSpec.PoolingType.MAX ? sd.max(output, in, 2, 3) : sd.mean(output, in, 2, 3);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            return type == LayerSpec.PoolingType.MAX ? in.max(2, 3) : in.mean(2, 3);
        }

        @Override String backwardNeeds() {
            return type == LayerSpec.PoolingType.MAX ? input : null;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
            long n = gradOutput.size(0);
            long positions = inputShape[1] * inputShape[2];
            INDArray grad4 = gradOutput.reshape(n, inputShape[0], 1, 1);
            if (type == LayerSpec.PoolingType.AVG) {
                return Nd4j.zeros(gradOutput.dataType(), withBatch(n, inputShape)).addi(grad4.div(positions));
            }
            // Ties split nothing: every maximal position gets the gradient, as for a sub-gradient choice.
            INDArray max = forwardInput.max(true, 2, 3);
            INDArray mask = forwardInput.eq(max).castTo(gradOutput.dataType());
            return mask.muli(grad4);
        }
    }

    /** Fully connected layer plus bias: the input gradient is the output gradient times the transposed weights. */
    static final class Dense extends Node {
        private final INDArray weights;
        private final INDArray bias;

        Dense(String input, String output, long[] inShape, INDArray weights, INDArray bias) {
            super(input, output, inShape, new long[] {weights.size(1)});
            this.weights = weights;
            this.bias = bias;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            SDVariable w = sd.constant(output + "/kernel", weights);
            if (bias == null) {
                return sd.mmul(output, in, w);
            }
            // Not sd.nn.linear: its oneDNN float32 kernel (xw_plus_b) corrupts state between calls in M2.1.
            return sd.mmul(in, w).add(output, sd.constant(output + "/bias", bias));
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.createUninitialized(in.dataType(), in.size(0), weights.size(1));
            Nd4j.gemm(in, weights, out, false, false, 1.0, 0.0);
            return bias == null ? out : out.addiRowVector(bias);
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            // gemm with a transpose flag: mmul on a transposed view would copy the weights (400 MB for VGG16's fc1).
            INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(), gradOutput.size(0), weights.size(0));
            return Nd4j.gemm(gradOutput, weights, gradInput, false, true, 1.0, 0.0);
        }
    }

    /** Per-channel scale and shift. */
    static final class ChannelAffine extends Node {
        private final INDArray scale;
        private final INDArray shift;

        ChannelAffine(String input, String output, long[] shape, INDArray scale, INDArray shift) {
            super(input, output, shape, shape);
            long[] broadcast = shape.length == 3 ? new long[] {1, shape[0], 1, 1} : new long[] {1, shape[0]};
            this.scale = scale.reshape(broadcast);
            this.shift = shift.reshape(broadcast);
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return in.mul(sd.constant(output + "/scale", scale)).add(output, sd.constant(output + "/shift", shift));
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            return (mayOverwriteInput ? in.muli(scale) : in.mul(scale)).addi(shift);
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            return gradOutput.muli(scale);
        }
    }

    /** Channel permutation. */
    static final class ChannelOrder extends Node {
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
                out.get(NDArrayIndex.all(), NDArrayIndex.point(c)).assign(
                        in.get(NDArrayIndex.all(), NDArrayIndex.point(order[c])));
            }
            return out;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            INDArray gradInput = Nd4j.create(gradOutput.dataType(), gradOutput.shape());
            for (int c = 0; c < inverse.length; c++) {
                gradInput.get(NDArrayIndex.all(), NDArrayIndex.point(c)).assign(
                        gradOutput.get(NDArrayIndex.all(), NDArrayIndex.point(inverse[c])));
            }
            return gradInput;
        }
    }

    /** Flatten in channels-first or channels-last order. */
    static final class Flatten extends Node {
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
            INDArray ordered = channelsLast && inputShape.length == 3 ? in.permute(0, 2, 3, 1).dup('c') : in;
            return ordered.reshape('c', n, outputShape[0]);
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            long n = gradOutput.size(0);
            if (channelsLast && inputShape.length == 3) {
                return gradOutput.reshape('c', n, inputShape[1], inputShape[2], inputShape[0])
                        .permute(0, 3, 1, 2).dup('c');
            }
            return gradOutput.reshape('c', withBatch(n, inputShape));
        }

        static long product(long[] shape) {
            long p = 1;
            for (long d : shape) {
                p *= d;
            }
            return p;
        }
    }

    /** Identity (dropout at inference). */
    static final class Identity extends Node {
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
}
