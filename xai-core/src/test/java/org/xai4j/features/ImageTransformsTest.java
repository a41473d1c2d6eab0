package org.xai4j.features;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.testing.TestNetworks;

import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The image transforms of activation maximization against direct element-wise definitions, and the gradients of the
 * differentiable ones against finite differences (double precision).
 */
class ImageTransformsTest {

    private static INDArray images(long seed, long... shape) {
        return TestNetworks.randomImages(seed, DataType.DOUBLE, shape);
    }

    @Test
    void rollShiftsEachImageByItsOwnOffsetAndTheInverseRollUndoesIt() {
        INDArray x = images(1, 3, 2, 5, 7);
        int[][] shifts = {{1, -2}, {-4, 3}, {0, 0}};
        INDArray rolled = Nd4j.create(DataType.DOUBLE, 3, 2, 5, 7);
        ImageOps.roll(x, shifts, 1, rolled);
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 5; y++) {
                    for (int col = 0; col < 7; col++) {
                        int ty = Math.floorMod(y + shifts[i][0], 5);
                        int tx = Math.floorMod(col + shifts[i][1], 7);
                        assertThat(rolled.getDouble(i, c, ty, tx)).isEqualTo(x.getDouble(i, c, y, col));
                    }
                }
            }
        }
        INDArray back = Nd4j.create(DataType.DOUBLE, 3, 2, 5, 7);
        ImageOps.roll(rolled, shifts, -1, back);
        assertAllClose(back, x, 0, 0);
    }

    @Test
    void totalVariationGradientMatchesFiniteDifferences() {
        INDArray x = images(2, 2, 3, 4, 5);
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, 2, 3, 4, 5);
        ImageOps.subtractTotalVariationGradient(x, 0.7, Nd4j.create(DataType.DOUBLE, 2, 3, 4, 5), gradient);
        INDArray flat = x.reshape(-1);
        for (long i = 0; i < flat.length(); i += 3) {
            double old = flat.getDouble(i);
            flat.putScalar(i, old + 1e-6);
            double up = totalVariation(x);
            flat.putScalar(i, old - 1e-6);
            double down = totalVariation(x);
            flat.putScalar(i, old);
            // The ascent direction is minus the penalty's gradient.
            assertThat(gradient.reshape(-1).getDouble(i)).isCloseTo(-0.7 * (up - down) / 2e-6, within(1e-7));
        }
    }

    /** The penalty summed over images and channels: sum of squared neighbour differences / (H W). */
    private static double totalVariation(INDArray x) {
        double sum = 0;
        long h = x.size(2);
        long w = x.size(3);
        for (int i = 0; i < x.size(0); i++) {
            for (int c = 0; c < x.size(1); c++) {
                for (int y = 0; y < h; y++) {
                    for (int col = 0; col < w; col++) {
                        if (y + 1 < h) {
                            sum += Math.pow(x.getDouble(i, c, y + 1, col) - x.getDouble(i, c, y, col), 2);
                        }
                        if (col + 1 < w) {
                            sum += Math.pow(x.getDouble(i, c, y, col + 1) - x.getDouble(i, c, y, col), 2);
                        }
                    }
                }
            }
        }
        return sum / (h * w);
    }

    @Test
    void resamplingWithoutPadScaleOrRotationIsTheIdentityAndAQuarterTurnPermutesPixels() {
        INDArray x = images(4, 2, 3, 6, 6);
        AffineResampling resampling = new AffineResampling(x.shape(), 0, 0.5);
        INDArray out = Nd4j.create(DataType.DOUBLE, 2, 3, 6, 6);
        resampling.forward(x, new double[] {1, 1}, new double[] {0, 0}, out);
        assertAllClose(out, x, 0, 1e-12);
        resampling.forward(x, new double[] {1, 1}, new double[] {90, -90}, out);
        for (int c = 0; c < 3; c++) {
            for (int u = 0; u < 6; u++) {
                for (int v = 0; v < 6; v++) {
                    // Output (u, v) reads (5 - v, u) for +90 degrees and (v, 5 - u) for -90 degrees.
                    assertThat(out.getDouble(0, c, u, v)).isCloseTo(x.getDouble(0, c, 5 - v, u), within(1e-12));
                    assertThat(out.getDouble(1, c, u, v)).isCloseTo(x.getDouble(1, c, v, 5 - u), within(1e-12));
                }
            }
        }
        resampling.close();
    }

    @Test
    void padAndScaleResampleTheCanvasOntoTheInputGrid() {
        // A constant image keeps its value inside and shows the fill outside; pad 2 on a 4x4 image shrinks it to the
        // center half of an 8x8 canvas resampled onto 4x4: the center 2x2 pixels are the image, the ring is fill.
        INDArray x = Nd4j.ones(DataType.DOUBLE, 1, 1, 4, 4);
        AffineResampling padOnly = new AffineResampling(x.shape(), 2, -1);
        INDArray out = Nd4j.create(DataType.DOUBLE, 1, 1, 4, 4);
        padOnly.forward(x, new double[] {1}, new double[] {0}, out);
        // Output pixel u reads image row 2u - 1.5: -1.5, 0.5, 2.5, 4.5; only rows 1 and 2 fall inside the image.
        double[][] expected = {{-1, -1, -1, -1}, {-1, 1, 1, -1}, {-1, 1, 1, -1}, {-1, -1, -1, -1}};
        assertAllClose(out, Nd4j.create(expected).reshape(1, 1, 4, 4), 0, 1e-12);
        padOnly.close();
        // Scaling by 2 about the center reads the image at half the distance from the center: a linear ramp along x
        // keeps its center value and halves its slope.
        INDArray ramp = Nd4j.create(DataType.DOUBLE, 1, 1, 5, 9);
        for (int col = 0; col < 9; col++) {
            for (int y = 0; y < 5; y++) {
                ramp.putScalar(new long[] {0, 0, y, col}, col);
            }
        }
        AffineResampling zoom = new AffineResampling(ramp.shape(), 0, 0);
        INDArray zoomed = Nd4j.create(DataType.DOUBLE, 1, 1, 5, 9);
        zoom.forward(ramp, new double[] {2}, new double[] {0}, zoomed);
        for (int col = 0; col < 9; col++) {
            assertThat(zoomed.getDouble(0, 0, 2, col)).isCloseTo(4 + (col - 4) / 2.0, within(1e-12));
        }
        zoom.close();
    }

    @Test
    void resamplingAdjointIsItsExactGradient() {
        INDArray x = images(5, 2, 3, 7, 6);
        INDArray weights = images(6, 2, 3, 7, 6).subi(0.5);
        AffineResampling resampling = new AffineResampling(x.shape(), 2, 0.25);
        double[] scales = {0.93, 1.08};
        double[] angles = {7.5, -9};
        INDArray out = Nd4j.create(DataType.DOUBLE, x.shape());
        resampling.forward(x, scales, angles, out);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, x.shape());
        resampling.adjoint(weights, gradient);
        assertThat(gradient.sumNumber().doubleValue()).isNotZero();
        INDArray flat = x.reshape(-1);
        for (long i = 0; i < flat.length(); i += 5) {
            double old = flat.getDouble(i);
            flat.putScalar(i, old + 1e-5);
            resampling.forward(x, scales, angles, out);
            double up = out.mul(weights).sumNumber().doubleValue();
            flat.putScalar(i, old - 1e-5);
            resampling.forward(x, scales, angles, out);
            double down = out.mul(weights).sumNumber().doubleValue();
            flat.putScalar(i, old);
            assertThat(gradient.reshape(-1).getDouble(i)).isCloseTo((up - down) / 2e-5, within(1e-8));
        }
        resampling.close();
    }

    @Test
    void fourierImageMatchesTheDirectInverseTransformInFloatAndDouble() {
        long c = 3;
        long h = 6;
        long w = 5;
        long wh = w / 2 + 1;
        SplittableRandom[] r = {new SplittableRandom(7), new SplittableRandom(8)};
        FourierImage f = new FourierImage(new long[] {c, h, w}, -1, 2, DataType.DOUBLE);
        INDArray params = f.init(r).muli(40);
        INDArray image = Nd4j.create(DataType.DOUBLE, 2, c, h, w);
        f.toImage(params, f.buffers(2), image);
        double[][] color = {{0.26, 0.09, 0.02}, {0.27, 0.00, -0.05}, {0.27, -0.09, 0.03}};
        double maxNorm = 0;
        for (int col = 0; col < 3; col++) {
            maxNorm = Math.max(maxNorm, Math.sqrt(color[0][col] * color[0][col] + color[1][col] * color[1][col]
                    + color[2][col] * color[2][col]));
        }
        for (int i = 0; i < 2; i++) {
            double[][][] linear = new double[(int) c][(int) h][(int) w];
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        // irfft2d of the scaled half spectrum, divided by 4 (Lucid), with the Hermitian weights.
                        double sum = 0;
                        for (int ky = 0; ky < h; ky++) {
                            double fy = (ky < (h + 1) / 2 ? ky : ky - h) / (double) h;
                            for (int kx = 0; kx < wh; kx++) {
                                double fx = kx / (double) w;
                                double scale = Math.sqrt(h * w) / Math.max(Math.sqrt(fx * fx + fy * fy), 1.0 / Math.max(h, w));
                                double weight = kx == 0 || (w % 2 == 0 && kx == w / 2) ? 1 : 2;
                                double re = params.getDouble(0, ky, i, ch, kx) * scale;
                                double im = params.getDouble(1, ky, i, ch, kx) * scale;
                                double t = 2 * Math.PI * ((double) ky * y / h + (double) kx * x / w);
                                sum += weight * (re * Math.cos(t) - im * Math.sin(t));
                            }
                        }
                        linear[ch][y][x] = sum / (h * w) / 4;
                    }
                }
            }
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double mixed = 0;
                        for (int d = 0; d < c; d++) {
                            mixed += color[ch][d] / maxNorm * linear[d][y][x];
                        }
                        double expected = -1 + 3 / (1 + Math.exp(-mixed));
                        assertThat(image.getDouble(i, ch, y, x)).isCloseTo(expected, within(1e-12));
                    }
                }
            }
        }
        FourierImage single = new FourierImage(new long[] {c, h, w}, -1, 2, DataType.FLOAT);
        INDArray floatImage = Nd4j.create(DataType.FLOAT, 2, c, h, w);
        single.toImage(params.castTo(DataType.FLOAT), single.buffers(2), floatImage);
        assertAllClose(floatImage.castTo(DataType.DOUBLE), image, 1e-5, 1e-5);
    }

    @Test
    void fourierBackwardInFloatMatchesDouble() {
        FourierImage d = new FourierImage(new long[] {3, 8, 8}, 0, 1, DataType.DOUBLE);
        FourierImage f = new FourierImage(new long[] {3, 8, 8}, 0, 1, DataType.FLOAT);
        INDArray params = d.init(new SplittableRandom[] {new SplittableRandom(3)}).muli(20);
        INDArray g = TestNetworks.uniform(new Random(4), -1, 1, 1, 3, 8, 8);
        INDArray image = Nd4j.create(DataType.DOUBLE, 1, 3, 8, 8);
        FourierImage.Buffers db = d.buffers(1);
        d.toImage(params, db, image);
        INDArray expected = Nd4j.create(DataType.DOUBLE, params.shape());
        d.backward(image, g.dup(), db, expected);
        INDArray floatImage = Nd4j.create(DataType.FLOAT, 1, 3, 8, 8);
        FourierImage.Buffers fb = f.buffers(1);
        f.toImage(params.castTo(DataType.FLOAT), fb, floatImage);
        INDArray actual = Nd4j.create(DataType.FLOAT, params.shape());
        f.backward(floatImage, g.castTo(DataType.FLOAT), fb, actual);
        double scale = expected.norm2Number().doubleValue() / Math.sqrt(expected.length());
        assertAllClose(actual.castTo(DataType.DOUBLE), expected, 1e-4, 1e-4 * scale);
    }
}
