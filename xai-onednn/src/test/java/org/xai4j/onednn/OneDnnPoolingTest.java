package org.xai4j.onednn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.spi.PoolingGeometry;
import org.xai4j.engine.spi.PoolingGeometry.Mode;
import org.xai4j.engine.spi.PoolingKernel;
import org.xai4j.testing.TestNetworks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The oneDNN pooling kernel against a direct double-precision implementation of the definitions (loops over every
 * window), and for the average modes, which are linear, the adjoint identity {@code <pool(x), g> = <x, grad(g)>}.
 */
class OneDnnPoolingTest {

    private final OneDnnKernels provider = new OneDnnKernels();

    /** Geometries the engine produces, each in every mode. */
    private static List<PoolingGeometry> geometries() {
        List<PoolingGeometry> all = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            all.add(geometry(8, 8, 5, 2, 2, 0, 0, 0, 0, mode));    // VGG's 2x2 stride 2
            all.add(geometry(9, 7, 4, 2, 2, 0, 0, 0, 0, mode));    // VALID on odd sizes: the last row is never read
            all.add(geometry(9, 9, 3, 3, 2, 1, 1, 1, 1, mode));    // ResNet's stem: 3x3 stride 2, padding 1
            all.add(geometry(8, 6, 6, 3, 2, 0, 0, 1, 1, mode));    // SAME, stride 2, even size: padding after only
            all.add(geometry(5, 5, 17, 3, 1, 1, 1, 1, 1, mode));   // SAME stride 1: overlapping windows
        }
        return all;
    }

    private static PoolingGeometry geometry(long h, long w, long c, int k, int s, int top, int left, int bottom,
                                            int right, Mode mode) {
        return new PoolingGeometry(h, w, c, (h + top + bottom - k) / s + 1, (w + left + right - k) / s + 1, k, k, s,
                s, top, left, bottom, right, mode);
    }

    @Test
    void forwardAndInputGradientMatchTheDefinitions() {
        Random random = new Random(5);
        for (PoolingGeometry g : geometries()) {
            try (PoolingKernel kernel = compile(g)) {
                for (long n : new long[] {1, 3}) {
                    INDArray x = TestNetworks.gaussian(random, 1.0, n, g.inputHeight(), g.inputWidth(), g.channels());
                    INDArray gradOut = TestNetworks.gaussian(random, 1.0, n, g.outputHeight(), g.outputWidth(),
                            g.channels());
                    INDArray out = Nd4j.create(DataType.FLOAT, n, g.outputHeight(), g.outputWidth(), g.channels());
                    kernel.forward(x.castTo(DataType.FLOAT), out);
                    // NaN everywhere first: the kernel must write every value of the input gradient.
                    INDArray gradIn = Nd4j.valueArrayOf(new long[] {n, g.inputHeight(), g.inputWidth(), g.channels()},
                            Float.NaN, DataType.FLOAT);
                    kernel.inputGradient(x.castTo(DataType.FLOAT), gradOut.castTo(DataType.FLOAT), gradIn);

                    INDArray[] reference = reference(g, x, gradOut);
                    assertAllClose(out, reference[0], 1e-5, 1e-6);
                    assertAllClose(gradIn, reference[1], 1e-5, 1e-6);
                    if (g.mode() != Mode.MAX) {
                        double lhs = out.castTo(DataType.DOUBLE).mul(gradOut).sumNumber().doubleValue();
                        double rhs = x.mul(gradIn.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
                        assertThat(lhs).as("adjoint identity for %s, batch %d", g, n)
                                .isCloseTo(rhs, org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(rhs))));
                    }
                }
            }
        }
    }

    @Test
    void maxPoolingRoutesATiedWindowsGradientToItsFirstMaximum() {
        // ReLU outputs tie at zero all the time; the gradient goes to one position, the first in row-major order.
        PoolingGeometry g = geometry(4, 4, 2, 2, 2, 0, 0, 0, 0, Mode.MAX);
        try (PoolingKernel kernel = compile(g)) {
            INDArray x = Nd4j.zeros(DataType.FLOAT, 1, 4, 4, 2);
            INDArray gradOut = Nd4j.ones(DataType.FLOAT, 1, 2, 2, 2);
            INDArray gradIn = Nd4j.create(DataType.FLOAT, 1, 4, 4, 2);
            kernel.inputGradient(x, gradOut, gradIn);
            assertAllClose(gradIn, reference(g, x.castTo(DataType.DOUBLE), gradOut.castTo(DataType.DOUBLE))[1],
                    0, 0);
            assertThat(gradIn.sumNumber().doubleValue()).isEqualTo(8.0);
        }
    }

    @Test
    void viewsAreReadThroughACopyAndTheResultIsTheSame() {
        PoolingGeometry g = geometries().get(2);
        Random random = new Random(3);
        try (PoolingKernel kernel = compile(g)) {
            INDArray wide = TestNetworks.gaussian(random, 1.0, 2, 9, 9, 6).castTo(DataType.FLOAT);
            INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, 3));
            INDArray gradOut = TestNetworks.gaussian(random, 1.0, 2, 5, 5, 3).castTo(DataType.FLOAT);
            INDArray fromView = Nd4j.create(DataType.FLOAT, 2, 9, 9, 3);
            INDArray fromCopy = Nd4j.create(DataType.FLOAT, 2, 9, 9, 3);
            kernel.inputGradient(view, gradOut, fromView);
            kernel.inputGradient(view.dup('c'), gradOut, fromCopy);
            // The same primitives on the same values: bit-identical by construction.
            assertThat(fromView).isEqualTo(fromCopy);
        }
    }

    @Test
    void badShapesAndGeometriesAreRefusedWithWhatWasExpected() {
        PoolingGeometry g = geometries().get(0);
        try (PoolingKernel kernel = compile(g)) {
            assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 2, 8, 8, 4),
                    Nd4j.create(DataType.FLOAT, 2, 4, 4, 5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[2, 8, 8, 4]").hasMessageContaining("expected FLOAT [n, 8, 8, 5]");
            assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 2, 8, 8, 5),
                    Nd4j.create(DataType.FLOAT, 2, 4, 4, 10).get(NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.interval(0, 5))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dense C-ordered");
            assertThatThrownBy(() -> kernel.inputGradient(Nd4j.rand(DataType.FLOAT, 2, 8, 8, 5),
                    Nd4j.rand(DataType.FLOAT, 3, 4, 4, 5), Nd4j.create(DataType.FLOAT, 2, 8, 8, 5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("for 3 examples: expected 2");
        }
        assertThatThrownBy(() -> new PoolingGeometry(8, 8, 5, 5, 4, 2, 2, 2, 2, 0, 0, 0, 0, Mode.MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pooling output height 5")
                .hasMessageContaining("expected output 4");
        assertThatThrownBy(() -> new PoolingGeometry(8, 8, 5, 5, 5, 2, 2, 2, 2, 2, 2, 0, 0, Mode.MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padding below the window 2");
        assertThatThrownBy(() -> new PoolingGeometry(8, 8, 5, 4, 4, 2, 2, 2, 2, 0, 0, 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected one of [MAX");
    }

    @Test
    void manyBatchSizesKeepABoundedCacheAndAClosedKernelRefusesWork() {
        PoolingGeometry g = geometries().get(2);
        Random random = new Random(13);
        PoolingKernel kernel = compile(g);
        for (long n = 1; n <= PrimitiveCache.BATCH_SIZES_KEPT + 2; n++) {
            INDArray x = TestNetworks.gaussian(random, 1.0, n, 9, 9, 3);
            INDArray gradOut = TestNetworks.gaussian(random, 1.0, n, 5, 5, 3);
            INDArray gradIn = Nd4j.create(DataType.FLOAT, n, 9, 9, 3);
            kernel.inputGradient(x.castTo(DataType.FLOAT), gradOut.castTo(DataType.FLOAT), gradIn);
            assertAllClose(gradIn, reference(g, x, gradOut)[1], 1e-5, 1e-6);
            assertThat(((OneDnnPooling) kernel).batchSizesKept()).isLessThanOrEqualTo(PrimitiveCache.BATCH_SIZES_KEPT);
        }
        kernel.close();
        kernel.close();
        assertThat(kernel.implementation()).contains("closed");
        assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 1, 9, 9, 3),
                Nd4j.create(DataType.FLOAT, 1, 5, 5, 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private PoolingKernel compile(PoolingGeometry g) {
        assertThat(provider.unavailableReason()).isNull();
        Optional<PoolingKernel> kernel = provider.pooling(g);
        assertThat(kernel).as("an optimized oneDNN kernel for %s", g).isPresent();
        assertThat(kernel.get().implementation()).startsWith("oneDNN 3.").doesNotContain("ref:");
        return kernel.get();
    }

    /**
     * {forward, input gradient} in float64 straight from the definitions: padded positions are skipped by the maximum
     * and by the excluding average, and count as zeros in the including one; max routes to the first maximum.
     */
    static INDArray[] reference(PoolingGeometry g, INDArray x, INDArray gradOut) {
        long n = x.size(0);
        int c = (int) g.channels();
        double[][][][] in = new double[(int) n][(int) g.inputHeight()][(int) g.inputWidth()][c];
        double[][][][] gradIn = new double[(int) n][(int) g.inputHeight()][(int) g.inputWidth()][c];
        double[][][][] out = new double[(int) n][(int) g.outputHeight()][(int) g.outputWidth()][c];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < g.inputHeight(); y++) {
                for (int xx = 0; xx < g.inputWidth(); xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        in[b][y][xx][ch] = x.getDouble(b, y, xx, ch);
                    }
                }
            }
        }
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outputHeight(); oy++) {
                for (int ox = 0; ox < g.outputWidth(); ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        double grad = gradOut.getDouble(b, oy, ox, ch);
                        double best = Double.NEGATIVE_INFINITY;
                        int bestY = -1;
                        int bestX = -1;
                        double sum = 0;
                        int inside = 0;
                        for (int ky = 0; ky < g.kernelHeight(); ky++) {
                            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                                int y = oy * g.strideY() + ky - g.padTop();
                                int xx = ox * g.strideX() + kx - g.padLeft();
                                if (y < 0 || xx < 0 || y >= g.inputHeight() || xx >= g.inputWidth()) {
                                    continue;
                                }
                                double v = in[b][y][xx][ch];
                                if (v > best) {
                                    best = v;
                                    bestY = y;
                                    bestX = xx;
                                }
                                sum += v;
                                inside++;
                            }
                        }
                        int divisor = g.mode() == Mode.AVERAGE_INCLUDING_PADDING
                                ? g.kernelHeight() * g.kernelWidth() : inside;
                        out[b][oy][ox][ch] = g.mode() == Mode.MAX ? best : sum / divisor;
                        if (g.mode() == Mode.MAX) {
                            gradIn[b][bestY][bestX][ch] += grad;
                            continue;
                        }
                        for (int ky = 0; ky < g.kernelHeight(); ky++) {
                            for (int kx = 0; kx < g.kernelWidth(); kx++) {
                                int y = oy * g.strideY() + ky - g.padTop();
                                int xx = ox * g.strideX() + kx - g.padLeft();
                                if (y >= 0 && xx >= 0 && y < g.inputHeight() && xx < g.inputWidth()) {
                                    gradIn[b][y][xx][ch] += grad / divisor;
                                }
                            }
                        }
                    }
                }
            }
        }
        return new INDArray[] {Nd4j.create(out), Nd4j.create(gradIn)};
    }
}
