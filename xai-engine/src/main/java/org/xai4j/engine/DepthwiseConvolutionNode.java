package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depthwise convolution plus bias: input channel {@code c} convolved with its own {@code multiplier} kernels gives
 * output channels {@code c * multiplier + m}. With one kernel per channel and stride 1 the input gradient is a depthwise
 * convolution of the output gradient with the spatially flipped kernel and "full" padding (the forward kernel's speed);
 * otherwise {@code depthwise_conv2d_bp}, whose weight gradient is discarded (a depthwise weight gradient costs about
 * one forward pass, as cheap as the layer itself).
 */
final class DepthwiseConvolutionNode extends WindowedNode {

    private final INDArray flippedKernel;

    /** {@code weights}: {@code [kH, kW, in, multiplier]}. */
    DepthwiseConvolutionNode(String input, String output, long[] inShape, long[] outShape, INDArray weights,
                             INDArray bias, int[] stride, int[] padding, int[] dilation, boolean same) {
        super("depthwise_conv2d", input, output, inShape, outShape, weights, bias, stride, padding, dilation, same);
        this.flippedKernel = weights.size(3) == 1 && flipIsExact() ? flipped(weights, false) : null;
    }

    @Override SDVariable forward(SameDiff sd, SDVariable in) {
        SDVariable w = sd.constant(output + "/kernel", weights);
        if (bias == null) {
            return sd.cnn.depthWiseConv2d(output, in, w, graphConfig().build());
        }
        return sd.cnn.depthWiseConv2d(output, in, w, sd.constant(output + "/bias", bias), graphConfig().build());
    }

    @Override String backwardNeed() {
        return flippedKernel != null ? null : input;
    }

    @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
        if (flippedKernel != null) {
            return flippedKernelGradient(gradOutput, flippedKernel);
        }
        INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(), withBatch(gradOutput.size(0), inputShape));
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

    @Override void release() {
        close(weights, bias, flippedKernel);
    }

    /**
     * This depthwise convolution followed by a per-channel affine map as one depthwise convolution (see
     * {@link WindowedNode#foldedParameters}); output channel {@code c * multiplier + m} is kernel {@code [.., c, m]}.
     */
    DepthwiseConvolutionNode foldedWith(PointwiseNodes.ChannelAffine affine) {
        INDArray[] folded = foldedParameters(affine);
        return new DepthwiseConvolutionNode(input, affine.output, inputShape, outputShape, folded[0], folded[1],
                stride, padding, dilation, same);
    }
}
