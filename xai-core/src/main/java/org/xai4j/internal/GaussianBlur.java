package org.xai4j.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The Gaussian blur of xai4j (blurred baselines, the blur regularizer of activation maximization): a separable blur of
 * every channel of {@code [n, C, H, W]} images, as {@code scipy.ndimage.gaussian_filter(x, sigma)} computes it per
 * plane. The kernel is {@code exp(-k^2 / (2 sigma^2))} for {@code |k| <= int(4 sigma + 0.5)} (scipy's {@code truncate=4}),
 * normalized to sum 1, and borders are extended by scipy's default {@code mode="reflect"}, which repeats the edge
 * pixel ({@code d c b a | a b c d | d c b a}): a constant image stays constant and the blur keeps each plane's sum.
 * scipy's {@code gaussian_filter} is the blur of the references xai4j follows here: Yosinski et al.'s deep
 * visualization toolbox (activation maximization) and the blurred baselines of Sturmfels, Lundberg and Lee
 * ("Visualizing the Impact of Feature Attribution Baselines", Distill 2020).
 *
 * <p>It runs as two depthwise convolutions (down the columns, then along the rows) over reflected copies of the
 * images, in the images' type. An instance keeps its kernels and padded buffers for one batch shape, so a loop that blurs every few steps
 * allocates nothing; {@link #blur(INDArray, double)} is the one-off form.
 */
public final class GaussianBlur implements AutoCloseable {

    private final int radius;
    private final long[] shape;
    /** {@code [k, 1, C, 1]}: the depthwise kernel down the columns. */
    private final INDArray verticalKernel;
    /** {@code [1, k, C, 1]}: along the rows. */
    private final INDArray horizontalKernel;
    /** {@code [n, C, H + 2r, W]} and {@code [n, C, H, W + 2r]}. */
    private final INDArray paddedRows;
    private final INDArray paddedColumns;
    private final INDArray vertical;

    /**
     * Prepares a blur for batches of one shape and type.
     *
     * @param sigma the standard deviation in pixels, positive
     * @param shape the batch shape {@code [n, C, H, W]}
     * @param type  the images' floating-point type
     * @throws IllegalArgumentException if the shape is not rank 4 or {@code sigma} is not positive and finite
     */
    public GaussianBlur(double sigma, long[] shape, DataType type) {
        if (shape == null || shape.length != 4) {
            throw new IllegalArgumentException("images must be [n, channels, height, width], got "
                    + Arrays.toString(shape));
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("blur sigma must be positive and finite, got " + sigma);
        }
        double[] kernel = kernel(sigma);
        this.radius = kernel.length / 2;
        this.shape = shape.clone();
        int channels = (int) shape[1];
        double[] taps = new double[kernel.length * channels];
        for (int k = 0; k < kernel.length; k++) {
            Arrays.fill(taps, k * channels, (k + 1) * channels, kernel[k]);
        }
        this.verticalKernel = Nd4j.create(taps, new long[] {kernel.length, 1, channels, 1}, type);
        this.horizontalKernel = Nd4j.create(taps, new long[] {1, kernel.length, channels, 1}, type);
        this.paddedRows = Nd4j.create(type, shape[0], shape[1], shape[2] + 2L * radius, shape[3]);
        this.paddedColumns = Nd4j.create(type, shape[0], shape[1], shape[2], shape[3] + 2L * radius);
        this.vertical = Nd4j.create(type, shape);
    }

    /**
     * Blurs every plane of a batch.
     *
     * @param images {@code [n, C, H, W]} of any floating-point type
     * @param sigma  the standard deviation in pixels, positive
     * @return a new array of the input's shape and type
     * @throws IllegalArgumentException if {@code images} is not rank 4 or {@code sigma} is not positive and finite
     */
    public static INDArray blur(INDArray images, double sigma) {
        if (images == null || images.rank() != 4) {
            throw new IllegalArgumentException("images must be [n, channels, height, width], got "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
        try (GaussianBlur blur = new GaussianBlur(sigma, images.shape(), images.dataType())) {
            INDArray target = Nd4j.create(images.dataType(), images.shape());
            blur.apply(images, target);
            return target;
        }
    }

    /**
     * Writes the blurred {@code images} into {@code target}.
     *
     * @param images the batch, of the shape and type this blur was made for
     * @param target same shape and type; it may be {@code images} itself
     * @throws IllegalArgumentException if a shape differs from the prepared one
     */
    public void apply(INDArray images, INDArray target) {
        if (!Arrays.equals(images.shape(), shape) || !Arrays.equals(target.shape(), shape)) {
            throw new IllegalArgumentException("this blur is prepared for batches of shape " + Arrays.toString(shape)
                    + ", got " + Arrays.toString(images.shape()) + " into " + Arrays.toString(target.shape()));
        }
        reflect(images, paddedRows, 2);
        convolve(paddedRows, verticalKernel, vertical, kernelSize(), 1);
        reflect(vertical, paddedColumns, 3);
        convolve(paddedColumns, horizontalKernel, target, 1, kernelSize());
    }

    private int kernelSize() {
        return 2 * radius + 1;
    }

    /** Copies {@code source} into the middle of {@code padded} along {@code axis} and fills the borders by reflection. */
    private void reflect(INDArray source, INDArray padded, int axis) {
        long size = source.size(axis);
        padded.get(slice(axis, radius, radius + size)).assign(source);
        for (int j = 1; j <= radius; j++) {
            padded.get(slice(axis, radius - j, radius - j + 1)).assign(source.get(slice(axis, reflect(-j, size),
                    reflect(-j, size) + 1)));
            long after = size - 1 + j;
            padded.get(slice(axis, radius + after, radius + after + 1)).assign(source.get(slice(axis,
                    reflect(after, size), reflect(after, size) + 1)));
        }
    }

    private static INDArrayIndex[] slice(int axis, long from, long to) {
        INDArrayIndex[] index = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
        index[axis] = NDArrayIndex.interval(from, to);
        return index;
    }

    private static void convolve(INDArray input, INDArray kernel, INDArray output, int kernelHeight, int kernelWidth) {
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d")
                .addInputs(input, kernel)
                .addOutputs(output)
                .addIntegerArguments(kernelHeight, kernelWidth, 1, 1, 0, 0, 1, 1, 0, 0, 0)
                .build());
    }

    @Override public void close() {
        for (INDArray array : new INDArray[] {verticalKernel, horizontalKernel, paddedRows, paddedColumns, vertical}) {
            if (array.closeable()) {
                array.close();
            }
        }
    }

    /** The normalized kernel, {@code 2 * int(4 sigma + 0.5) + 1} taps. */
    static double[] kernel(double sigma) {
        int radius = (int) (4 * sigma + 0.5);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        return kernel;
    }

    /** An index into {@code [0, size)} by half-sample symmetric reflection (scipy's "reflect"), periodic beyond. */
    static int reflect(long i, long size) {
        long m = Math.floorMod(i, 2 * size);
        return (int) (m < size ? m : 2 * size - 1 - m);
    }
}
