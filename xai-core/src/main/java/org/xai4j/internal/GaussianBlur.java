package org.xai4j.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
 */
public final class GaussianBlur {

    private GaussianBlur() { }

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
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("blur sigma must be positive and finite, got " + sigma);
        }
        double[] kernel = kernel(sigma);
        int radius = kernel.length / 2;
        long[] shape = images.shape();
        int planes = (int) (shape[0] * shape[1]);
        int h = (int) shape[2];
        int w = (int) shape[3];
        double[] data = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] row = new double[h * w];
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        sum += kernel[k + radius] * data[base + y * w + reflect(x + k, w)];
                    }
                    row[y * w + x] = sum;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        sum += kernel[k + radius] * row[reflect(y + k, h) * w + x];
                    }
                    data[base + y * w + x] = sum;
                }
            }
        }
        return Nd4j.create(data, shape, 'c').castTo(images.dataType());
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
    static int reflect(int i, int size) {
        int m = Math.floorMod(i, 2 * size);
        return m < size ? m : 2 * size - 1 - m;
    }
}
