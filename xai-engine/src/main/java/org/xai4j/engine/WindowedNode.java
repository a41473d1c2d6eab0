package org.xai4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What plain and depthwise convolutions share: a kernel sliding over the input with a stride, padding and dilation,
 * ND4J's integer arguments for that geometry (channels last), the SameDiff configuration (channels first), and the
 * stride-1 input gradient as a convolution of the output gradient with the spatially flipped kernel.
 */
abstract class WindowedNode extends Node.Unary {

    /** The forward op: {@code conv2d} or {@code depthwise_conv2d}. */
    final String op;
    /** The kernel in ND4J's {@code [kH, kW, in, out]} (or {@code [kH, kW, in, multiplier]}) layout. */
    final INDArray weights;
    final INDArray bias;
    final int[] kernel;
    final int[] stride;
    final int[] padding;
    final int[] dilation;
    final boolean same;

    WindowedNode(String op, String input, String output, long[] inShape, long[] outShape, INDArray weights,
                 INDArray bias, int[] stride, int[] padding, int[] dilation, boolean same) {
        super(input, output, inShape, outShape);
        this.op = op;
        this.weights = weights;
        this.bias = bias;
        this.kernel = new int[] {(int) weights.size(0), (int) weights.size(1)};
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.same = same;
    }

    /** The same geometry for the exported (NCHW) graph. */
    Conv2DConfig.Conv2DConfigBuilder graphConfig() {
        return Conv2DConfig.builder()
                .kH(kernel[0]).kW(kernel[1]).sH(stride[0]).sW(stride[1])
                .pH(same ? 0 : padding[0]).pW(same ? 0 : padding[1]).dH(dilation[0]).dW(dilation[1])
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NCHW");
    }

    /** The forward op on the engine's channels-last arrays. */
    @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
        INDArray out = Nd4j.createUninitialized(in.dataType(), withBatch(in.size(0), outputShape));
        DynamicCustomOp.DynamicCustomOpsBuilder builder = DynamicCustomOp.builder(op);
        builder = bias == null ? builder.addInputs(in, weights) : builder.addInputs(in, weights, bias);
        Nd4j.exec(builder.addOutputs(out).addIntegerArguments(arguments()).build());
        return out;
    }

    /** ND4J's integer arguments of the forward op, channels last. */
    int[] arguments() {
        return new int[] {kernel[0], kernel[1], stride[0], stride[1], same ? 0 : padding[0], same ? 0 : padding[1],
                dilation[0], dilation[1], same ? 1 : 0, 1, 0};
    }

    /** Whether a stride-1 flipped-kernel convolution with symmetric "full" padding reproduces the forward padding. */
    boolean flipIsExact() {
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

    /**
     * The input gradient of a stride-1 layer: the forward op applied to the output gradient with {@code flippedKernel}
     * and "full" padding, which writes every element of the input's shape.
     */
    INDArray flippedKernelGradient(INDArray gradOutput, INDArray flippedKernel) {
        INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(), withBatch(gradOutput.size(0), inputShape));
        int padH = same ? 0 : (kernel[0] - 1) * dilation[0] - padding[0];
        int padW = same ? 0 : (kernel[1] - 1) * dilation[1] - padding[1];
        Nd4j.exec(DynamicCustomOp.builder(op)
                .addInputs(gradOutput, flippedKernel)
                .addOutputs(gradInput)
                .addIntegerArguments(kernel[0], kernel[1], 1, 1, padH, padW, dilation[0], dilation[1], same ? 1 : 0, 1, 0)
                .build());
        return gradInput;
    }

    /**
     * The kernel with both spatial axes reversed, and with {@code transposeChannels} its last two axes swapped
     * ({@code [kH, kW, in, out]} to {@code [kH, kW, out, in]}).
     */
    static INDArray flipped(INDArray weights, boolean transposeChannels) {
        long kh = weights.size(0);
        long kw = weights.size(1);
        INDArray flipped = transposeChannels
                ? Nd4j.create(weights.dataType(), kh, kw, weights.size(3), weights.size(2))
                : Nd4j.create(weights.dataType(), weights.shape());
        for (long y = 0; y < kh; y++) {
            for (long x = 0; x < kw; x++) {
                INDArray tap = weights.get(NDArrayIndex.point(kh - 1 - y), NDArrayIndex.point(kw - 1 - x));
                flipped.get(NDArrayIndex.point(y), NDArrayIndex.point(x)).assign(transposeChannels ? tap.transpose() : tap);
            }
        }
        return flipped;
    }

    /**
     * The kernels and bias of this layer followed by a per-channel affine map (inference batch normalization), as
     * {@code [weights, bias]}: kernels of output channel {@code o} scaled by {@code scale[o]}, bias
     * {@code b * scale + shift}.
     */
    INDArray[] foldedParameters(PointwiseNodes.ChannelAffine affine) {
        INDArray scales = affine.scales();
        long channels = scales.length();
        INDArray folded = weights.reshape(-1, channels).mulRowVector(scales).reshape(weights.shape()).dup('c');
        INDArray foldedBias = (bias == null ? Nd4j.zeros(scales.dataType(), scales.shape()) : bias.mul(scales))
                .addi(affine.shifts());
        return new INDArray[] {folded, foldedBias};
    }
}
