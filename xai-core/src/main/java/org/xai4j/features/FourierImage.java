package org.xai4j.features;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Lucid's Fourier + decorrelated-color image parameterization and its exact backward pass, as matrix products on
 * whole batches in the model's floating-point type.
 *
 * <p>Image = sigmoid(color(irfft2d(spectrum * scale) / 4)) mapped into the pixel range, where
 * {@code scale = sqrt(H W) / max(|f|, 1 / max(H, W))} (decay power 1) and color mixes the 3 channels with Lucid's
 * normalized color-correlation square root. The inverse real FFT is two real matrix products: one over the vertical
 * frequencies with {@code [[cos, -sin], [sin, cos]]} (real and imaginary parts together), one over the horizontal
 * half spectrum; that is exact, and at visualization sizes a few GFLOP per step.
 *
 * <p>Parameters are laid out {@code [2, H, n, C, W/2+1]} (real/imaginary part, vertical frequency, image, channel,
 * horizontal frequency), so that the vertical transform of the whole batch is a single matrix product.
 */
final class FourierImage {

    /** Lucid's {@code color_correlation_svd_sqrt} (ImageNet). */
    private static final double[][] COLOR_CORRELATION_SVD_SQRT = {
            {0.26, 0.09, 0.02}, {0.27, 0.00, -0.05}, {0.27, -0.09, 0.03}};

    private final DataType type;
    private final long channels;
    private final long height;
    private final long width;
    private final long halfWidth;
    /** {@code [[Cy, -Sy], [Sy, Cy]]}, {@code [2H, 2H]}: vertical inverse transform of (real, imaginary) parts. */
    private final INDArray vertical;
    /** {@code [[Cx^T], [-Sx^T]]}, {@code [2(W/2+1), W]}: horizontal inverse transform, keeping the real part. */
    private final INDArray horizontal;
    /** Per-frequency factor {@code [H, W/2+1]}: scale, Hermitian weight, 1/(HW) and Lucid's 1/4. */
    private final double[][] factor;
    /** Color mixing {@code [C, C]} (identity unless C = 3). */
    private final INDArray color;
    private final double low;
    private final double high;

    FourierImage(long[] inputShape, double low, double high, DataType type) {
        this.type = type;
        this.channels = inputShape[0];
        this.height = inputShape[1];
        this.width = inputShape[2];
        this.halfWidth = width / 2 + 1;
        this.low = low;
        this.high = high;
        int h = (int) height;
        double[][] v = new double[2 * h][2 * h];
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < h; k++) {
                double t = 2 * Math.PI * ((long) k * y % height) / height;
                v[y][k] = Math.cos(t);
                v[y][h + k] = -Math.sin(t);
                v[h + y][k] = Math.sin(t);
                v[h + y][h + k] = Math.cos(t);
            }
        }
        int wh = (int) halfWidth;
        double[][] x = new double[2 * wh][(int) width];
        for (int k = 0; k < wh; k++) {
            for (int col = 0; col < width; col++) {
                double t = 2 * Math.PI * ((long) k * col % width) / width;
                x[k][col] = Math.cos(t);
                x[wh + k][col] = -Math.sin(t);
            }
        }
        vertical = Nd4j.create(v).castTo(type);
        horizontal = Nd4j.create(x).castTo(type);
        factor = new double[h][wh];
        double minFreq = 1.0 / Math.max(height, width);
        for (int ky = 0; ky < height; ky++) {
            double fy = (ky < (height + 1) / 2 ? ky : ky - height) / (double) height;
            for (int kx = 0; kx < halfWidth; kx++) {
                double fx = kx / (double) width;
                double freq = Math.sqrt(fx * fx + fy * fy);
                double scale = Math.sqrt(height * width) / Math.max(freq, minFreq);
                double hermitian = kx == 0 || (width % 2 == 0 && kx == width / 2) ? 1 : 2;
                factor[ky][kx] = scale * hermitian / (4.0 * height * width);
            }
        }
        if (channels == 3) {
            double maxNorm = 0;
            for (int col = 0; col < 3; col++) {
                double norm = 0;
                for (int row = 0; row < 3; row++) {
                    norm += COLOR_CORRELATION_SVD_SQRT[row][col] * COLOR_CORRELATION_SVD_SQRT[row][col];
                }
                maxNorm = Math.max(maxNorm, Math.sqrt(norm));
            }
            color = Nd4j.create(COLOR_CORRELATION_SVD_SQRT).divi(maxNorm).castTo(type);
        } else {
            color = null;
        }
    }

    /** The parameter shape of a batch of {@code n} images. */
    long[] parameterShape(long n) {
        return new long[] {2, height, n, channels, halfWidth};
    }

    /**
     * Lucid's initialization: independent normal spectrum entries with standard deviation 0.01, drawn for each image
     * from its own stream (in the order real/imaginary part, channel, vertical, horizontal frequency).
     */
    INDArray init(SplittableRandom[] random) {
        int n = random.length;
        int h = (int) height;
        int c = (int) channels;
        int wh = (int) halfWidth;
        double[] values = new double[2 * h * n * c * wh];
        for (int i = 0; i < n; i++) {
            Random gaussian = new Random(random[i].nextLong());
            for (int part = 0; part < 2; part++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int ky = 0; ky < h; ky++) {
                        for (int kx = 0; kx < wh; kx++) {
                            values[(((part * h + ky) * n + i) * c + ch) * wh + kx] = 0.01 * gaussian.nextGaussian();
                        }
                    }
                }
            }
        }
        return Nd4j.create(values, parameterShape(n), type);
    }

    /** Working arrays for one batch size, reused by every step. */
    Buffers buffers(int n) {
        return new Buffers(n);
    }

    /** Writes the images {@code [n, C, H, W]} of the parameters into {@code image}. */
    void toImage(INDArray params, Buffers b, INDArray image) {
        b.scaled.assign(params).muli(b.factor);
        // Vertical transform of real and imaginary parts at once: [2H, 2H] x [2H, n C Wh].
        Nd4j.gemm(vertical, b.scaled.reshape('c', 2 * height, b.columns), b.spectral2d, false, false, 1, 0);
        // [2, H, n, C, Wh] -> [n, C, H, 2, Wh], then the horizontal transform: [n C H, 2 Wh] x [2 Wh, W].
        b.rows.assign(b.spectral.permute(2, 3, 1, 0, 4));
        INDArray linear = color == null ? image : b.planes;
        Nd4j.gemm(b.rows.reshape('c', b.n * channels * height, 2 * halfWidth), horizontal,
                linear.reshape('c', b.n * channels * height, width), false, false, 1, 0);
        if (color != null) {
            Nd4j.matmul(b.colorBatch, linear.reshape('c', b.n, channels, height * width),
                    image.reshape('c', b.n, channels, height * width));
        }
        org.nd4j.linalg.ops.transforms.Transforms.sigmoid(image, false).muli(high - low).addi(low);
    }

    /**
     * Writes the gradient with respect to the parameters into {@code paramGradient}, given the image they produced and
     * the gradient with respect to that image (which is overwritten).
     */
    void backward(INDArray image, INDArray imageGradient, Buffers b, INDArray paramGradient) {
        // d image / d linear = (high - low) p (1 - p) with p = (image - low) / (high - low).
        b.planes.assign(image).subi(low);
        imageGradient.muli(b.planes);
        b.planes.assign(image).rsubi(high);
        imageGradient.muli(b.planes).divi(high - low);
        INDArray dLinear = imageGradient;
        if (color != null) {
            Nd4j.matmul(b.colorBatch, imageGradient.reshape('c', b.n, channels, height * width),
                    b.planes.reshape('c', b.n, channels, height * width), true, false, false);
            dLinear = b.planes;
        }
        Nd4j.gemm(dLinear.reshape('c', b.n * channels * height, width), horizontal,
                b.rows.reshape('c', b.n * channels * height, 2 * halfWidth), false, true, 1, 0);
        b.spectral.permute(2, 3, 1, 0, 4).assign(b.rows);
        Nd4j.gemm(vertical, b.spectral2d, paramGradient.reshape('c', 2 * height, b.columns), true, false, 1, 0);
        paramGradient.muli(b.factor);
    }

    /** Per-batch working arrays. */
    final class Buffers {
        private final long n;
        private final long columns;
        private final INDArray factor;
        private final INDArray scaled;
        private final INDArray spectral;
        private final INDArray spectral2d;
        private final INDArray rows;
        private final INDArray planes;
        private final INDArray colorBatch;

        private Buffers(int n) {
            this.n = n;
            this.columns = n * channels * halfWidth;
            double[] f = new double[(int) (2 * height * columns)];
            for (int part = 0; part < 2; part++) {
                for (int ky = 0; ky < height; ky++) {
                    for (long col = 0; col < columns; col++) {
                        f[(int) ((part * height + ky) * columns + col)] = FourierImage.this.factor[ky][(int) (col % halfWidth)];
                    }
                }
            }
            this.factor = Nd4j.create(f, parameterShape(n), type);
            this.scaled = Nd4j.create(type, parameterShape(n));
            this.spectral = Nd4j.create(type, parameterShape(n));
            this.spectral2d = spectral.reshape('c', 2 * height, columns);
            this.rows = Nd4j.create(type, n, channels, height, 2, halfWidth);
            this.planes = Nd4j.create(type, n, channels, height, width);
            this.colorBatch = color == null ? null
                    : color.reshape(1, channels, channels).repeat(0, n).reshape(n, channels, channels).dup('c');
        }

        /** Releases the arrays. */
        void close() {
            for (INDArray array : new INDArray[] {factor, scaled, spectral, rows, planes, colorBatch}) {
                if (array != null) {
                    array.close();
                }
            }
        }
    }
}
