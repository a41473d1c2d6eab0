package org.xai4j.internal;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.testing.TestNetworks;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/** The blur against closed forms of scipy.ndimage.gaussian_filter (truncate 4, mode "reflect"). */
class GaussianBlurTest {

    @Test
    void anInteriorImpulseBecomesTheTruncatedNormalizedGaussian() {
        double sigma = 1.5;
        int radius = (int) (4 * sigma + 0.5); // 6, scipy's default truncation
        INDArray impulse = Nd4j.zeros(DataType.DOUBLE, 1, 1, 21, 21);
        impulse.putScalar(new long[] {0, 0, 10, 10}, 1.0);
        INDArray blurred = GaussianBlur.blur(impulse, sigma);
        double norm = 0;
        for (int k = -radius; k <= radius; k++) {
            norm += Math.exp(-k * k / (2 * sigma * sigma));
        }
        for (int dy = -8; dy <= 8; dy++) {
            for (int dx = -8; dx <= 8; dx++) {
                double expected = Math.abs(dy) > radius || Math.abs(dx) > radius ? 0
                        : Math.exp(-(dy * dy + dx * dx) / (2 * sigma * sigma)) / (norm * norm);
                assertThat(blurred.getDouble(0, 0, 10 + dy, 10 + dx)).isCloseTo(expected, within(1e-15));
            }
        }
    }

    @Test
    void theEdgePixelIsRepeatedByTheReflectionSoACornerImpulseKeepsItsMass() {
        // 'reflect' extends [a b c] as (c b a | a b c | c b a): a corner impulse keeps its mass, and in 1-D the value
        // at the edge is w0 + w1 (the pixel and its mirror image).
        INDArray corner = Nd4j.zeros(DataType.DOUBLE, 1, 1, 9, 9);
        corner.putScalar(new long[] {0, 0, 0, 0}, 1.0);
        INDArray blurred = GaussianBlur.blur(corner, 1.0);
        assertThat(blurred.sumNumber().doubleValue()).isCloseTo(1.0, within(1e-12));
        double[] w = GaussianBlur.kernel(1.0);
        int r = w.length / 2;
        double edge = w[r] + w[r + 1];          // taps 0 and -1 (the mirror of pixel 0) land on pixel 0
        assertThat(blurred.getDouble(0, 0, 0, 0)).isCloseTo(edge * edge, within(1e-15));
        assertThat(GaussianBlur.reflect(-1, 5)).isZero();
        assertThat(GaussianBlur.reflect(-2, 5)).isEqualTo(1);
        assertThat(GaussianBlur.reflect(5, 5)).isEqualTo(4);
        assertThat(GaussianBlur.reflect(11, 5)).isEqualTo(1); // periodic beyond one reflection
    }

    @Test
    void constantsStayConstantAndEveryPlaneKeepsItsSum() {
        INDArray constant = Nd4j.valueArrayOf(new long[] {1, 3, 6, 5}, 0.25, DataType.DOUBLE);
        assertAllClose(GaussianBlur.blur(constant, 2), constant, 0, 1e-12);
        INDArray noise = TestNetworks.uniform(new Random(3), 0, 1, 2, 3, 7, 4);
        INDArray blurred = GaussianBlur.blur(noise, 3.0); // a radius much larger than the image
        assertAllClose(blurred.sum(2, 3), noise.sum(2, 3), 1e-12, 1e-12);
        assertThat(GaussianBlur.blur(noise.castTo(DataType.FLOAT), 1).dataType()).isEqualTo(DataType.FLOAT);
    }

    /**
     * The prepared blur (as activation maximization reuses it every few steps) equals a direct per-pixel sum of the
     * separable kernel over reflected indices, in float as in double, and may write over its input.
     */
    @Test
    void thePreparedBlurEqualsTheReflectedSeparableSumInFloatAndDoubleAndWorksInPlace() {
        INDArray x = TestNetworks.uniform(new Random(5), 0, 1, 2, 3, 9, 8);
        double sigma = 0.8;
        double[] w = GaussianBlur.kernel(sigma);
        int r = w.length / 2;
        INDArray expected = Nd4j.create(DataType.DOUBLE, x.shape());
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 9; y++) {
                    for (int col = 0; col < 8; col++) {
                        double sum = 0;
                        for (int dy = -r; dy <= r; dy++) {
                            for (int dx = -r; dx <= r; dx++) {
                                sum += w[dy + r] * w[dx + r] * x.getDouble(i, c, GaussianBlur.reflect(y + dy, 9),
                                        GaussianBlur.reflect(col + dx, 8));
                            }
                        }
                        expected.putScalar(new long[] {i, c, y, col}, sum);
                    }
                }
            }
        }
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            try (GaussianBlur blur = new GaussianBlur(sigma, x.shape(), type)) {
                INDArray images = x.castTo(type).dup();
                INDArray target = Nd4j.create(type, x.shape());
                blur.apply(images, target);
                assertAllClose(target, expected, 0, type == DataType.DOUBLE ? 1e-14 : 1e-6);
                blur.apply(images, images);
                assertAllClose(images, expected, 0, type == DataType.DOUBLE ? 1e-14 : 1e-6);
                assertThatThrownBy(() -> blur.apply(Nd4j.zeros(type, 1, 3, 9, 8), target))
                        .hasMessageContaining("[2, 3, 9, 8]");
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> GaussianBlur.blur(Nd4j.zeros(3, 4), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> GaussianBlur.blur(Nd4j.zeros(1, 1, 2, 2), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigma");
    }
}
