package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Depthwise convolution plus bias: input channel {@code c} convolved with its own {@code multiplier} kernels gives
 * output channels {@code c * multiplier + m}. With one kernel per channel and stride 1 the input gradient is a depthwise
 * convolution of the output gradient with the spatially flipped kernel and "full" padding (the forward kernel's speed);
 * otherwise {@code depthwise_conv2d_bp}, whose weight gradient is discarded (a depthwise weight gradient costs about
 * one forward pass, as cheap as the layer itself).
 */
final class DepthwiseConvolutionNode extends Node.Unary {

    /** {@code [kH, kW, in, multiplier]}. */
    private final INDArray weights;
    private final INDArray bias;
    private final INDArray flippedKernel;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean same;

    DepthwiseConvolutionNode(String input, String output, long[] inShape, long[] outShape, INDArray weights,
                             INDArray bias, int[] stride, int[] padding, int[] dilation, boolean same) {
        super(input, output, inShape, outShape);
        this.weights = weights;
        this.bias = bias;
        this.kernel = new int[] {(int) weights.size(0), (int) weights.size(1)};
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.same = same;
        this.flippedKernel = weights.size(3) == 1 && stride[0] == 1 && stride[1] == 1 && flipIsExact()
                ? flipped(weights) : null;
    }

    @Override SDVariable forward(SameDiff sd, SDVariable in) {
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(kernel[0]).kW(kernel[1]).sH(stride[0]).sW(stride[1])
                .pH(same ? 0 : padding[0]).pW(same ? 0 : padding[1]).dH(dilation[0]).dW(dilation[1])
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NCHW").build();
        SDVariable w = sd.constant(output + "/kernel", weights);
        if (bias == null) {
            return sd.cnn.depthWiseConv2d(output, in, w, config);
        }
        return sd.cnn.depthWiseConv2d(output, in, w, sd.constant(output + "/bias", bias), config);
    }

    @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
        INDArray out = Nd4j.createUninitialized(in.dataType(), withBatch(in.size(0), outputShape));
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("depthwise_conv2d");
        op = bias == null ? op.addInputs(in, weights) : op.addInputs(in, weights, bias);
        Nd4j.exec(op.addOutputs(out).addIntegerArguments(arguments()).build());
        return out;
    }

    private int[] arguments() {
        return new int[] {kernel[0], kernel[1], stride[0], stride[1], same ? 0 : padding[0], same ? 0 : padding[1],
                dilation[0], dilation[1], same ? 1 : 0, 1, 0};
    }

    private boolean flipIsExact() {
        for (int axis = 0; axis < 2; axis++) {
            int reach = (kernel[axis] - 1) * dilation[axis];
            if (same ? reach % 2 != 0 : padding[axis] > reach) {
                return false;
            }
        }
        return true;
    }

    @Override String backwardNeed() {
        return flippedKernel != null ? null : input;
    }

    @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
        long n = gradOutput.size(0);
        INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(), withBatch(n, inputShape));
        if (flippedKernel != null) {
            int padH = same ? 0 : (kernel[0] - 1) * dilation[0] - padding[0];
            int padW = same ? 0 : (kernel[1] - 1) * dilation[1] - padding[1];
            Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d")
                    .addInputs(gradOutput, flippedKernel)
                    .addOutputs(gradInput)
                    .addIntegerArguments(kernel[0], kernel[1], 1, 1, padH, padW, dilation[0], dilation[1],
                            same ? 1 : 0, 1, 0)
                    .build());
            return gradInput;
        }
        INDArray gradWeights = Nd4j.createUninitialized(gradOutput.dataType(), weights.shape());
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("depthwise_conv2d_bp");
        if (bias == null) {
            op.addInputs(forwardInput, weights, gradOutput).addOutputs(gradInput, gradWeights);
        } else {
            INDArray gradBias = Nd4j.createUninitialized(gradOutput.dataType(), bias.shape());
            op.addInputs(forwardInput, weights, bias, gradOutput).addOutputs(gradInput, gradWeights, gradBias);
        }
        Nd4j.exec(op.addIntegerArguments(arguments()).build());
        return gradInput;
    }

    /** Reverses both spatial axes of {@code [kH, kW, in, 1]}. */
    private static INDArray flipped(INDArray weights) {
        long kh = weights.size(0);
        long kw = weights.size(1);
        INDArray flipped = Nd4j.create(weights.dataType(), weights.shape());
        for (long y = 0; y < kh; y++) {
            for (long x = 0; x < kw; x++) {
                flipped.get(NDArrayIndex.point(y), NDArrayIndex.point(x)).assign(
                        weights.get(NDArrayIndex.point(kh - 1 - y), NDArrayIndex.point(kw - 1 - x)));
            }
        }
        return flipped;
    }

    @Override void release() {
        close(weights, bias, flippedKernel);
    }

    /**
     * This depthwise convolution followed by a per-channel affine map as one depthwise convolution (see
     * {@link ConvolutionNode#foldedWith}); output channel {@code c * multiplier + m} is kernel {@code [.., c, m]}.
     */
    DepthwiseConvolutionNode foldedWith(PointwiseNodes.ChannelAffine affine) {
        INDArray scales = affine.scales();
        long channels = weights.size(2) * weights.size(3);
        INDArray folded = weights.reshape(-1, channels).mulRowVector(scales).reshape(weights.shape());
        INDArray foldedBias = (bias == null ? Nd4j.zeros(scales.dataType(), scales.shape()) : bias.mul(scales))
                .addi(affine.shifts());
        return new DepthwiseConvolutionNode(input, affine.output, inputShape, outputShape, folded.dup('c'), foldedBias,
                stride, padding, dilation, same);
    }
}
