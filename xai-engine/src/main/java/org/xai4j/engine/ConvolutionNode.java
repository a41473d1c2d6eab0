package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Convolution plus bias, with an input-only gradient. When a {@link org.xai4j.engine.spi.KernelProvider} is chosen
 * ({@link KernelChoice}) and has a kernel for the layer, that kernel computes both; otherwise
 * ND4J's ops do, with the input gradient as:
 * <ul>
 *   <li>stride 1 with symmetric "full" padding: a convolution of the output gradient with the spatially flipped,
 *       channel-transposed kernel (oneDNN's forward kernel, exactly the input's size);</li>
 *   <li>a strided 1x1 kernel: one matrix product with the transposed kernel, scattered to the pixels the stride
 *       reads;</li>
 *   <li>any other undilated convolution (strided, asymmetric SAME padding): a transposed convolution of the output
 *       gradient with the same kernel, {@code deconv2d} in VALID mode without padding on channels-first arrays - the
 *       only form M2.1 runs correctly on oneDNN, where it is about as fast as the forward convolution (with SAME mode
 *       it falls back to a generic kernel 15x slower) - cropped by the forward padding;</li>
 *   <li>dilated and strided: {@code conv2d_bp}, whose weight gradient is discarded.</li>
 * </ul>
 * The flipped kernel is preferred at stride 1 because oneDNN's transposed convolution reorders arrays with few
 * channels (an RGB input gradient) into 16-channel blocks, which costs about 100 MB of temporary memory at batch 16
 * on 224x224 images.
 */
final class ConvolutionNode extends WindowedNode {

    /** A provider's kernel for forward and input gradient, or null for ND4J's ops. */
    private final ConvolutionKernel provided;
    private final INDArray flippedKernel;
    private final boolean gradientByDeconvolution;
    /** A 1x1 kernel with a stride and no leading padding (ResNet's downsampling convolutions). */
    private final boolean pointwiseStrided;
    private final Map<Integer, ConvolutionNode> singleChannels = new ConcurrentHashMap<>();

    /** {@code weightsYxio}: {@code [kH, kW, in, out]}. */
    ConvolutionNode(String input, String output, long[] inShape, long[] outShape, INDArray weightsYxio, INDArray bias,
                    int[] stride, int[] padding, int[] dilation, boolean same) {
        super("conv2d", input, output, inShape, outShape, weightsYxio, bias, stride, padding, dilation, same);
        this.provided = KernelChoice.convolution(geometry(), weightsYxio, bias).orElse(null);
        boolean flip = provided == null && flipIsExact();
        this.flippedKernel = flip ? flipped(weightsYxio, true) : null;
        this.gradientByDeconvolution = provided == null && !flip && dilation[0] == 1 && dilation[1] == 1;
        this.pointwiseStrided = provided == null && !flip && kernel[0] == 1 && kernel[1] == 1 && leadingPadding(0) == 0
                && leadingPadding(1) == 0;
    }

    @Override String operation() {
        if (provided != null) {
            boolean strided = stride[0] != 1 || stride[1] != 1;
            return strided && kernel[0] == 1 && kernel[1] == 1 ? "strided 1x1 convolution"
                    : strided ? "strided convolution" : "convolution";
        }
        return flippedKernel != null ? "convolution" : pointwiseStrided ? "strided 1x1 convolution"
                : gradientByDeconvolution ? "strided convolution" : "dilated strided convolution";
    }

    @Override SDVariable forward(SameDiff sd, SDVariable in) {
        Conv2DConfig config = graphConfig().weightsFormat(WeightsFormat.YXIO).build();
        SDVariable w = sd.constant(output + "/kernel", weights);
        if (bias == null) {
            return sd.cnn.conv2d(output, in, w, config);
        }
        return sd.cnn.conv2d(output, in, w, sd.constant(output + "/bias", bias), config);
    }

    /** Which kernels run this layer: a provider's implementation names, or ND4J's. */
    String implementation() {
        return provided != null ? provided.implementation() : "nd4j conv2d, input gradient as " + operation();
    }

    /** This layer's shape for a kernel provider, with the padding resolved to rows and columns on each side. */
    private ConvolutionGeometry geometry() {
        return new ConvolutionGeometry(inputShape[1], inputShape[2], inputShape[0], outputShape[1], outputShape[2],
                outputShape[0], kernel[0], kernel[1], stride[0], stride[1], leadingPadding(0), leadingPadding(1),
                trailingPadding(0), trailingPadding(1), dilation[0], dilation[1]);
    }

    /**
     * The zero padding after the last row or column that the last window reaches; zero where the stride leaves the
     * last rows unread (VALID mode), since the window never gets there.
     */
    private int trailingPadding(int axis) {
        long in = inputShape[axis + 1];
        long out = outputShape[axis + 1];
        long effective = (long) (kernel[axis] - 1) * dilation[axis] + 1;
        return (int) Math.max((out - 1) * stride[axis] + effective - in - leadingPadding(axis), 0);
    }

    /** The zero padding before the first row and column, as TensorFlow's (and ND4J's) SAME mode places it. */
    private int leadingPadding(int axis) {
        if (!same) {
            return padding[axis];
        }
        long in = inputShape[axis + 1];
        long out = outputShape[axis + 1];
        long effective = (long) (kernel[axis] - 1) * dilation[axis] + 1;
        return (int) (Math.max((out - 1) * stride[axis] + effective - in, 0) / 2);
    }

    @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
        if (provided == null) {
            return super.apply(in, mayOverwriteInput);
        }
        INDArray out = Nd4j.createUninitialized(in.dataType(), withBatch(in.size(0), outputShape));
        provided.forward(in, out);
        return out;
    }

    @Override String backwardNeed() {
        return provided != null || gradientByDeconvolution || pointwiseStrided || flippedKernel != null ? null : input;
    }

    @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
        if (provided != null) {
            INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(),
                    withBatch(gradOutput.size(0), inputShape));
            provided.inputGradient(gradOutput, gradInput);
            return gradInput;
        }
        if (flippedKernel != null) {
            return flippedKernelGradient(gradOutput, flippedKernel);
        }
        if (pointwiseStrided) {
            return pointwiseStridedGradient(gradOutput);
        }
        if (gradientByDeconvolution) {
            return transposedConvolution(gradOutput);
        }
        INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(), withBatch(gradOutput.size(0), inputShape));
        INDArray gradWeights = Nd4j.createUninitialized(gradOutput.dataType(), weights.shape());
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(forwardInput, weights, gradOutput)
                .addOutputs(gradInput, gradWeights)
                .addIntegerArguments(arguments())
                .build());
        return gradInput;
    }

    /**
     * A strided 1x1 convolution reads input pixel {@code (y * stride, x * stride)} for output pixel {@code (y, x)}
     * only: its input gradient is the output gradient times the transposed kernel matrix, one matrix product, written
     * to those pixels, and zero at the pixels the stride skips.
     */
    private INDArray pointwiseStridedGradient(INDArray gradOutput) {
        long n = gradOutput.size(0);
        long outHeight = outputShape[1];
        long outWidth = outputShape[2];
        long channels = inputShape[0];
        INDArray kernelMatrix = weights.reshape(channels, outputShape[0]);
        INDArray sampled = gradOutput.reshape('c', n * outHeight * outWidth, outputShape[0])
                .mmul(kernelMatrix.transpose());
        INDArray gradInput = Nd4j.zeros(gradOutput.dataType(), n, inputShape[1], inputShape[2], channels);
        gradInput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, stride[0], (outHeight - 1) * stride[0] + 1),
                        NDArrayIndex.interval(0, stride[1], (outWidth - 1) * stride[1] + 1), NDArrayIndex.all())
                .assign(sampled.reshape('c', n, outHeight, outWidth, channels));
        return gradInput;
    }

    /**
     * The transposed convolution over the whole padded input, {@code [(out - 1) * stride + kernel]} positions per axis,
     * then the window of the real input, zero where the forward convolution never read (the last rows or columns
     * when the stride does not divide the padded size). M2.1's oneDNN transposed convolution gives wrong values on
     * channels-last arrays, so it runs on channels-first copies; the copies cost two memory passes of the gradient,
     * far less than {@code conv2d_bp}'s weight gradient.
     */
    private INDArray transposedConvolution(INDArray gradOutput) {
        long n = gradOutput.size(0);
        long fullHeight = (outputShape[1] - 1) * stride[0] + kernel[0];
        long fullWidth = (outputShape[2] - 1) * stride[1] + kernel[1];
        INDArray gradOutputNchw = gradOutput.permute(0, 3, 1, 2).dup('c');
        INDArray full = Nd4j.createUninitialized(gradOutput.dataType(), n, inputShape[0], fullHeight, fullWidth);
        Nd4j.exec(DynamicCustomOp.builder("deconv2d")
                .addInputs(gradOutputNchw, weights)
                .addOutputs(full)
                .addIntegerArguments(kernel[0], kernel[1], stride[0], stride[1], 0, 0, 1, 1, 0, 0, 0)
                .build());
        int top = leadingPadding(0);
        int left = leadingPadding(1);
        long height = inputShape[1];
        long width = inputShape[2];
        long coveredHeight = Math.min(height, fullHeight - top);
        long coveredWidth = Math.min(width, fullWidth - left);
        INDArray covered = full.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(top, top + coveredHeight), NDArrayIndex.interval(left, left + coveredWidth))
                .permute(0, 2, 3, 1);
        if (coveredHeight == height && coveredWidth == width) {
            return covered.dup('c');
        }
        INDArray gradInput = Nd4j.zeros(gradOutput.dataType(), n, height, width, inputShape[0]);
        gradInput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, coveredHeight), NDArrayIndex.interval(0, coveredWidth),
                NDArrayIndex.all()).assign(covered);
        return gradInput;
    }

    @Override void release() {
        if (provided != null) {
            provided.close();
        }
        close(weights, bias, flippedKernel);
        singleChannels.values().forEach(Node::release);
        singleChannels.clear();
    }

    /** This convolution's output channel {@code channel} alone, made on first use: 1/C of the work, forward and back. */
    ConvolutionNode singleChannel(int channel) {
        return singleChannels.computeIfAbsent(channel, c -> {
            // Made during a call: its weights must outlive the call's workspace.
            try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray kernel = weights.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(c, c + 1)).dup('c');
                INDArray channelBias = bias == null ? null : bias.get(NDArrayIndex.interval(c, c + 1)).dup();
                return new ConvolutionNode(input, output + "#" + c, inputShape,
                        new long[] {1, outputShape[1], outputShape[2]}, kernel, channelBias, stride, padding, dilation,
                        same);
            }
        });
    }

    /**
     * This convolution followed by a per-channel affine map (inference-time batch normalization) as one convolution:
     * kernels scaled by the map's scales, bias {@code b * scale + shift}. It computes the affine map's output, and its
     * input gradient is the pair's, without the affine map's two passes over the activation.
     */
    ConvolutionNode foldedWith(PointwiseNodes.ChannelAffine affine) {
        INDArray[] folded = foldedParameters(affine);
        return new ConvolutionNode(input, affine.output, inputShape, outputShape, folded[0], folded[1], stride,
                padding, dilation, same);
    }
}
