package org.xai4j.features;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.SplittableRandom;

/**
 * Lucid's Fourier + decorrelated-colour image parameterization and its exact backward pass.
 *
 * <p>Parameters {@code [n, 2, C, H, W/2+1]} are the real and imaginary parts of a half spectrum (an {@code irfft2d}
 * input). Image = sigmoid(colour(irfft2d(spectrum * scale) / 4)) mapped into the pixel range, where
 * {@code scale = sqrt(H W) / max(|f|, 1 / max(H, W))} (decay power 1) and colour mixes the 3 channels with Lucid's
 * normalized colour-correlation square root. The inverse real FFT is written as products with cosine and sine
 * matrices, which is exact and fast at visualization sizes.
 */
final class FourierImage {

    /** Lucid's {@code color_correlation_svd_sqrt} (ImageNet). */
    private static final double[][] COLOR_CORRELATION_SVD_SQRT = {
            {0.26, 0.09, 0.02}, {0.27, 0.00, -0.05}, {0.27, -0.09, 0.03}};

    private final long channels;
    private final long height;
    private final long width;
    private final long halfWidth;
    private final INDArray cy;
    private final INDArray sy;
    private final INDArray cx;
    private final INDArray sx;
    private final INDArray cxT;
    private final INDArray sxT;
    private final INDArray cyT;
    private final INDArray syT;
    /** Per-frequency factor {@code [H, W/2+1]}: scale, Hermitian weight, 1/(HW) and Lucid's 1/4. */
    private final INDArray factor;
    private final INDArray color;
    private final double low;
    private final double high;

    FourierImage(long[] inputShape, double low, double high) {
        this.channels = inputShape[0];
        this.height = inputShape[1];
        this.width = inputShape[2];
        this.halfWidth = width / 2 + 1;
        this.low = low;
        this.high = high;
        double[][] cyA = new double[(int) height][(int) height];
        double[][] syA = new double[(int) height][(int) height];
        for (int y = 0; y < height; y++) {
            for (int k = 0; k < height; k++) {
                double t = 2 * Math.PI * ((long) k * y % height) / height;
                cyA[y][k] = Math.cos(t);
                syA[y][k] = Math.sin(t);
            }
        }
        double[][] cxA = new double[(int) width][(int) halfWidth];
        double[][] sxA = new double[(int) width][(int) halfWidth];
        for (int x = 0; x < width; x++) {
            for (int k = 0; k < halfWidth; k++) {
                double t = 2 * Math.PI * ((long) k * x % width) / width;
                cxA[x][k] = Math.cos(t);
                sxA[x][k] = Math.sin(t);
            }
        }
        cy = Nd4j.create(cyA);
        sy = Nd4j.create(syA);
        cx = Nd4j.create(cxA);
        sx = Nd4j.create(sxA);
        cxT = cx.transpose().dup();
        sxT = sx.transpose().dup();
        cyT = cy.transpose().dup();
        syT = sy.transpose().dup();
        double[][] f = new double[(int) height][(int) halfWidth];
        double minFreq = 1.0 / Math.max(height, width);
        for (int ky = 0; ky < height; ky++) {
            double fy = (ky < (height + 1) / 2 ? ky : ky - height) / (double) height;
            for (int kx = 0; kx < halfWidth; kx++) {
                double fx = kx / (double) width;
                double freq = Math.sqrt(fx * fx + fy * fy);
                double scale = Math.sqrt(height * width) / Math.max(freq, minFreq);
                double hermitian = kx == 0 || (width % 2 == 0 && kx == width / 2) ? 1 : 2;
                f[ky][kx] = scale * hermitian / (4.0 * height * width);
            }
        }
        factor = Nd4j.create(f);
        if (channels == 3) {
            double maxNorm = 0;
            for (int col = 0; col < 3; col++) {
                double norm = 0;
                for (int row = 0; row < 3; row++) {
                    norm += COLOR_CORRELATION_SVD_SQRT[row][col] * COLOR_CORRELATION_SVD_SQRT[row][col];
                }
                maxNorm = Math.max(maxNorm, Math.sqrt(norm));
            }
            color = Nd4j.create(COLOR_CORRELATION_SVD_SQRT).divi(maxNorm);
        } else {
            color = Nd4j.eye(channels).castTo(DataType.DOUBLE);
        }
    }

    /** Lucid's initialization: independent normal spectrum entries with standard deviation 0.01. */
    INDArray init(SplittableRandom[] random) {
        int n = random.length;
        long per = 2 * channels * height * halfWidth;
        double[] values = new double[(int) (n * per)];
        for (int i = 0; i < n; i++) {
            java.util.Random gaussian = new java.util.Random(random[i].nextLong());
            for (int j = 0; j < per; j++) {
                values[(int) (i * per + j)] = 0.01 * gaussian.nextGaussian();
            }
        }
        return Nd4j.create(values, new long[] {n, 2, channels, height, halfWidth}, DataType.DOUBLE);
    }

    INDArray toImage(INDArray params) {
        long n = params.size(0);
        INDArray fa = part(params, 0).muli(factor.reshape(1, height, halfWidth).broadcast(n * channels, height, halfWidth));
        INDArray fb = part(params, 1).muli(factor.reshape(1, height, halfWidth).broadcast(n * channels, height, halfWidth));
        INDArray u = left(cy, fa).subi(left(sy, fb));
        INDArray v = left(sy, fa).addi(left(cy, fb));
        INDArray t = right(u, cxT).subi(right(v, sxT));              // [n*C, H, W]
        INDArray linear = mixColors(color, t.reshape('c', n, channels, height * width));
        INDArray p = Transforms.sigmoid(linear, false);
        return p.muli(high - low).addi(low).reshape('c', n, channels, height, width);
    }

    /** The gradient with respect to the parameters, given the image it produced and the image gradient. */
    INDArray backward(INDArray params, INDArray image, INDArray imageGradient) {
        long n = params.size(0);
        INDArray p = image.sub(low).divi(high - low);
        INDArray dLinear = imageGradient.mul(high - low).muli(p).muli(p.rsub(1.0))
                .reshape('c', n, channels, height * width);
        INDArray dt = mixColors(color.transpose(), dLinear).reshape('c', n * channels, height, width);
        INDArray du = right(dt, cx);
        INDArray dv = right(dt, sx).negi();
        INDArray dfa = left(cyT, du).addi(left(syT, dv));
        INDArray dfb = left(cyT, dv).subi(left(syT, du));
        INDArray f = factor.reshape(1, height, halfWidth).broadcast(n * channels, height, halfWidth);
        INDArray grad = Nd4j.create(DataType.DOUBLE, n, 2, channels, height, halfWidth);
        grad.get(NDArrayIndex.all(), NDArrayIndex.point(0)).assign(dfa.muli(f).reshape('c', n, channels, height, halfWidth));
        grad.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(dfb.muli(f).reshape('c', n, channels, height, halfWidth));
        return grad;
    }

    private INDArray part(INDArray params, int index) {
        long n = params.size(0);
        return params.get(NDArrayIndex.all(), NDArrayIndex.point(index)).dup('c').reshape('c', n * channels, height, halfWidth);
    }

    /** {@code out[i, c] = sum_d m[c, d] x[i, d]} for {@code x [n, C, P]}. */
    private static INDArray mixColors(INDArray m, INDArray x) {
        long n = x.size(0);
        long c = x.size(1);
        long p = x.size(2);
        INDArray stacked = x.permute(1, 0, 2).dup('c').reshape('c', c, n * p);
        return m.mmul(stacked).reshape('c', c, n, p).permute(1, 0, 2).dup('c');
    }

    /** {@code R . X_i} for {@code x [b, h, w]}, {@code r [H, h]}. */
    private static INDArray left(INDArray r, INDArray x) {
        long b = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        INDArray stacked = x.permute(1, 0, 2).dup('c').reshape('c', h, b * w);
        return r.mmul(stacked).reshape('c', r.size(0), b, w).permute(1, 0, 2).dup('c');
    }

    /** {@code X_i . M} for {@code x [b, h, w]}, {@code m [w, W]}. */
    private static INDArray right(INDArray x, INDArray m) {
        long b = x.size(0);
        long h = x.size(1);
        return x.dup('c').reshape('c', b * h, x.size(2)).mmul(m).reshape('c', b, h, m.size(1));
    }
}
