package org.xai4j.onednn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;
import org.xai4j.testing.TestNetworks;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * Winograd F(4x4, 3x3) convolutions against independent references: ND4J's float64 {@code conv2d} and
 * {@code conv2d_bp} on the explicitly zero-padded input ({@link OneDnnConvolutionTest#reference}), the adjoint identity
 * {@code <conv(x), g> = <x, inputGradient(g)>}, and oneDNN's direct convolution on a full-size VGG16 layer.
 */
class WinogradConvolutionTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(OneDnnKernels.CONVOLUTION_ALGORITHM_PROPERTY);
    }

    /**
     * Sizes that are and are not multiples of the 4x4 tile, SAME and VALID padding, padding 2 and asymmetric explicit
     * padding, one channel, and channel counts that are not multiples of a vector register.
     */
    private static List<ConvolutionGeometry> geometries() {
        return List.of(
                geometry(8, 8, 5, 7, 1, 1, 1, 1),
                geometry(9, 11, 6, 4, 1, 1, 1, 1),
                geometry(10, 7, 3, 9, 0, 0, 0, 0),
                geometry(5, 6, 4, 4, 2, 2, 2, 2),
                geometry(7, 9, 8, 3, 2, 0, 1, 2),
                geometry(6, 5, 1, 1, 1, 1, 1, 1),
                geometry(13, 14, 17, 33, 1, 1, 1, 1));
    }

    private static ConvolutionGeometry geometry(long h, long w, long in, long out, int top, int left, int bottom,
                                                int right) {
        return new ConvolutionGeometry(h, w, in, h + top + bottom - 2, w + left + right - 2, out, 3, 3, 1, 1, top,
                left, bottom, right, 1, 1);
    }

    @Test
    void forwardAndInputGradientMatchDoublePrecisionReferences() {
        Random random = new Random(41);
        for (ConvolutionGeometry g : geometries()) {
            for (boolean withBias : new boolean[] {true, false}) {
                INDArray weights = TestNetworks.gaussian(random, 0.3, 3, 3, g.inputChannels(), g.outputChannels());
                INDArray bias = withBias ? TestNetworks.gaussian(random, 0.1, g.outputChannels()) : null;
                try (ConvolutionKernel kernel = compile(g, weights, bias, WinogradCorrelation.CHUNK_BYTES)) {
                    for (long n : new long[] {1, 3}) {
                        checkAgainstReference(kernel, g, weights, bias, n, random);
                    }
                }
            }
        }
    }

    /** A chunk budget of 17 tiles: batches of 27 and 81 tiles run as full chunks plus a remainder. */
    @Test
    void chunkBoundariesDoNotChangeTheResult() {
        ConvolutionGeometry g = geometry(9, 10, 8, 8, 1, 1, 1, 1);
        long chunkBytes = (long) WinogradCorrelation.POSITIONS * (8 + 8) * Float.BYTES * 17;
        Random random = new Random(5);
        INDArray weights = TestNetworks.gaussian(random, 0.3, 3, 3, 8, 8);
        INDArray bias = TestNetworks.gaussian(random, 0.1, 8);
        try (ConvolutionKernel kernel = compile(g, weights, bias, chunkBytes)) {
            for (long n : new long[] {1, 3, 9}) {
                checkAgainstReference(kernel, g, weights, bias, n, random);
            }
        }
    }

    private static void checkAgainstReference(ConvolutionKernel kernel, ConvolutionGeometry g, INDArray weights,
                                              INDArray bias, long n, Random random) {
        INDArray x = TestNetworks.gaussian(random, 1.0, n, g.inputHeight(), g.inputWidth(), g.inputChannels());
        INDArray gradOut = TestNetworks.gaussian(random, 1.0, n, g.outputHeight(), g.outputWidth(),
                g.outputChannels());
        // NaN-filled outputs: every value must be written.
        INDArray out = Nd4j.valueArrayOf(new long[] {n, g.outputHeight(), g.outputWidth(), g.outputChannels()},
                Float.NaN, DataType.FLOAT);
        kernel.forward(x.castTo(DataType.FLOAT), out);
        INDArray gradIn = Nd4j.valueArrayOf(new long[] {n, g.inputHeight(), g.inputWidth(), g.inputChannels()},
                Float.NaN, DataType.FLOAT);
        kernel.inputGradient(gradOut.castTo(DataType.FLOAT), gradIn);

        INDArray[] reference = OneDnnConvolutionTest.reference(g, x, weights, bias, gradOut);
        assertAllClose(out, reference[0], 1e-4, 1e-4);
        assertAllClose(gradIn, reference[1], 1e-4, 1e-4);

        INDArray linear = out.castTo(DataType.DOUBLE);
        if (bias != null) {
            linear = linear.reshape(-1, g.outputChannels()).subRowVector(bias).reshape(out.shape());
        }
        double lhs = linear.mul(gradOut).sumNumber().doubleValue();
        double rhs = x.mul(gradIn.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        assertThat(lhs).as("adjoint identity for %s, batch %d", g, n)
                .isCloseTo(rhs, org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(rhs))));
    }

    /**
     * VGG16's block5 convolution at full size (14x14, 512 channels), where the provider chooses Winograd: within 1e-5 of oneDNN's direct
     * convolution in norm, and within the float64 reference's tolerance value by value.
     */
    @Test
    void aFullSizeVggLayerAgreesWithDirectConvolution() {
        ConvolutionGeometry g = geometry(14, 14, 512, 512, 1, 1, 1, 1);
        Random random = new Random(17);
        // He initialization, as trained VGG16 weights are scaled: outputs of order 1.
        INDArray weights = TestNetworks.gaussian(random, Math.sqrt(2.0 / (9 * 512)), 3, 3, 512, 512)
                .castTo(DataType.FLOAT);
        INDArray bias = TestNetworks.gaussian(random, 0.1, 512).castTo(DataType.FLOAT);
        INDArray x = TestNetworks.uniform(random, 0, 1, 2, 14, 14, 512).castTo(DataType.FLOAT);
        INDArray gradOut = TestNetworks.gaussian(random, 1.0, 2, 14, 14, 512).castTo(DataType.FLOAT);
        OneDnnKernels provider = new OneDnnKernels();
        INDArray[] winograd;
        INDArray[] direct;
        try (ConvolutionKernel kernel = provider.convolution(g, weights, bias).orElseThrow()) {
            assertThat(kernel.implementation()).startsWith("Winograd F(4x4,3x3), oneDNN 3.");
            winograd = run(kernel, g, x, gradOut);
        }
        System.setProperty(OneDnnKernels.CONVOLUTION_ALGORITHM_PROPERTY, "direct");
        try (ConvolutionKernel kernel = provider.convolution(g, weights, bias).orElseThrow()) {
            assertThat(kernel.implementation()).startsWith("oneDNN 3.");
            direct = run(kernel, g, x, gradOut);
        }
        for (int i = 0; i < 2; i++) {
            double relative = winograd[i].sub(direct[i]).norm2Number().doubleValue()
                    / direct[i].norm2Number().doubleValue();
            assertThat(relative).as(i == 0 ? "forward" : "input gradient").isLessThan(1e-5);
        }
        INDArray[] reference = OneDnnConvolutionTest.reference(g, x.castTo(DataType.DOUBLE),
                weights.castTo(DataType.DOUBLE), bias.castTo(DataType.DOUBLE), gradOut.castTo(DataType.DOUBLE));
        assertAllClose(winograd[0], reference[0], 1e-4, 1e-4);
        assertAllClose(winograd[1], reference[1], 1e-4, 1e-4);
    }

    private static INDArray[] run(ConvolutionKernel kernel, ConvolutionGeometry g, INDArray x, INDArray gradOut) {
        INDArray out = Nd4j.create(DataType.FLOAT, x.size(0), g.outputHeight(), g.outputWidth(), g.outputChannels());
        kernel.forward(x, out);
        INDArray gradIn = Nd4j.create(DataType.FLOAT, x.shape());
        kernel.inputGradient(gradOut, gradIn);
        return new INDArray[] {out, gradIn};
    }

    @Test
    void theProviderChoosesWinogradOnlyWhereItMeasuredFaster() {
        boolean avx512 = WinogradConvolution.usesAvx512();
        // VGG16's block3 and block5 layers, ResNet-50's 3x3 layers by stage.
        assertThat(WinogradConvolution.applies(geometry(56, 56, 256, 256, 1, 1, 1, 1))).isTrue();
        assertThat(WinogradConvolution.applies(geometry(14, 14, 512, 512, 1, 1, 1, 1))).isTrue();
        assertThat(WinogradConvolution.applies(geometry(56, 56, 64, 64, 1, 1, 1, 1))).isFalse();
        assertThat(WinogradConvolution.applies(geometry(28, 28, 128, 128, 1, 1, 1, 1))).isEqualTo(!avx512);
        assertThat(WinogradConvolution.applies(geometry(14, 14, 256, 256, 1, 1, 1, 1))).isEqualTo(!avx512);
        assertThat(WinogradConvolution.applies(geometry(7, 7, 512, 512, 1, 1, 1, 1))).isEqualTo(!avx512);
        assertThat(WinogradConvolution.applies(geometry(5, 5, 512, 512, 1, 1, 1, 1))).as("too few tiles").isFalse();
        int wide = 512;
        assertThat(WinogradConvolution.applies(new ConvolutionGeometry(56, 56, wide, 28, 28, wide, 3, 3, 2, 2, 0, 0,
                1, 1, 1, 1))).as("stride 2").isFalse();
        assertThat(WinogradConvolution.applies(new ConvolutionGeometry(56, 56, wide, 56, 56, wide, 5, 5, 1, 1, 2, 2,
                2, 2, 1, 1))).as("5x5 kernel").isFalse();
        assertThat(WinogradConvolution.applies(new ConvolutionGeometry(56, 56, wide, 52, 52, wide, 3, 3, 1, 1, 0, 0,
                0, 0, 2, 2))).as("dilated").isFalse();
        assertThat(WinogradConvolution.applies(new ConvolutionGeometry(56, 56, wide, 60, 60, wide, 3, 3, 1, 1, 3, 3,
                3, 3, 1, 1))).as("padding 3").isFalse();

        ConvolutionGeometry g = geometry(14, 14, wide, wide, 1, 1, 1, 1);
        INDArray weights = Nd4j.rand(DataType.FLOAT, 3, 3, wide, wide);
        OneDnnKernels provider = new OneDnnKernels();
        try (ConvolutionKernel kernel = provider.convolution(g, weights, null).orElseThrow()) {
            assertThat(kernel).isInstanceOf(WinogradConvolution.class);
        }
        System.setProperty(OneDnnKernels.CONVOLUTION_ALGORITHM_PROPERTY, "direct");
        try (ConvolutionKernel kernel = provider.convolution(g, weights, null).orElseThrow()) {
            assertThat(kernel).isInstanceOf(OneDnnConvolution.class);
        }
        System.setProperty(OneDnnKernels.CONVOLUTION_ALGORITHM_PROPERTY, "fft");
        assertThatThrownBy(() -> provider.convolution(g, weights, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xai4j.onednn.convolution=fft").hasMessageContaining("winograd or direct");
    }

    /** The same checks as {@link OneDnnConvolutionTest}'s, on the same geometry (9x9, 3 -> 8 channels, SAME). */
    @Test
    void viewsAreReadThroughACopyAndBadInputIsRefusedWithWhatWasExpected() {
        ConvolutionGeometry g = geometry(9, 9, 3, 8, 1, 1, 1, 1);
        Random random = new Random(3);
        INDArray weights = TestNetworks.gaussian(random, 0.3, 3, 3, 3, 8).castTo(DataType.FLOAT);
        try (ConvolutionKernel kernel = compile(g, weights, null, WinogradCorrelation.CHUNK_BYTES)) {
            OneDnnConvolutionTest.checkViewsAreReadThroughACopy(kernel, random);
            OneDnnConvolutionTest.checkBadArraysAreRefused(kernel);
        }
        assertThatThrownBy(() -> WinogradConvolution.compile(new ConvolutionGeometry(9, 9, 3, 5, 5, 8, 3, 3, 2, 2,
                1, 1, 1, 1, 1, 1), weights, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride 2x2")
                .hasMessageContaining("expected a 3x3 kernel, stride 1");
        assertThatThrownBy(() -> WinogradConvolution.compile(g, Nd4j.rand(DataType.FLOAT, 3, 3, 4, 8), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected FLOAT [3, 3, 3, 8]");
    }

    @Test
    void manyBatchSizesKeepABoundedCacheAndAClosedKernelRefusesWork() {
        ConvolutionGeometry g = geometry(6, 7, 4, 5, 1, 1, 1, 1);
        Random random = new Random(13);
        INDArray weights = TestNetworks.gaussian(random, 0.3, 3, 3, 4, 5);
        INDArray bias = TestNetworks.gaussian(random, 0.1, 5);
        ConvolutionKernel kernel = compile(g, weights, bias, WinogradCorrelation.CHUNK_BYTES);
        for (long n = 1; n <= PrimitiveCache.BATCH_SIZES_KEPT + 2; n++) {
            checkAgainstReference(kernel, g, weights, bias, n, random);
            assertThat(((WinogradConvolution) kernel).batchSizesKept())
                    .isLessThanOrEqualTo(PrimitiveCache.BATCH_SIZES_KEPT);
        }
        kernel.close();
        kernel.close();
        assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 1, 6, 7, 4),
                Nd4j.create(DataType.FLOAT, 1, 6, 7, 5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(kernel::implementation)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static ConvolutionKernel compile(ConvolutionGeometry g, INDArray weights, INDArray bias,
                                             long chunkBytes) {
        Optional<ConvolutionKernel> kernel = WinogradConvolution.compile(g, weights.castTo(DataType.FLOAT),
                bias == null ? null : bias.castTo(DataType.FLOAT), chunkBytes);
        assertThat(kernel).as("a Winograd kernel for %s", g).isPresent();
        assertThat(kernel.get().implementation()).startsWith("Winograd F(4x4,3x3), oneDNN 3.")
                .doesNotContain("ref:");
        return kernel.get();
    }
}
