package org.xai4j.onednn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
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
 * The oneDNN kernel against independent double-precision references: ND4J's own {@code conv2d} and {@code conv2d_bp}
 * in float64 (which do not run oneDNN) on an explicitly zero-padded input, and the adjoint identity
 * {@code <conv(x), g> = <x, inputGradient(g)>} that any input gradient of a linear map satisfies.
 */
class OneDnnConvolutionTest {

    private final OneDnnKernels provider = new OneDnnKernels();

    /** Geometries the engine produces: first layers, SAME on odd and even sizes, strided, 1x1, 7x7, dilated. */
    private static List<ConvolutionGeometry> geometries() {
        return List.of(
                geometry(9, 9, 3, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1),     // VGG-style first layer
                geometry(8, 6, 5, 4, 3, 3, 2, 2, 0, 0, 1, 1, 1),     // SAME, stride 2, even size: pad after only
                geometry(7, 7, 6, 8, 1, 1, 2, 2, 0, 0, 0, 0, 1),     // ResNet's strided 1x1 shortcut
                geometry(16, 12, 3, 4, 7, 7, 2, 2, 3, 3, 2, 2, 1),   // ResNet-style 7x7 stem
                geometry(8, 8, 4, 4, 3, 3, 2, 2, 0, 0, 0, 0, 1),     // VALID, the stride leaves the last row unread
                geometry(9, 10, 4, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2),    // dilated
                geometry(5, 5, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1));  // more channels than one vector register
    }

    private static ConvolutionGeometry geometry(long h, long w, long in, long out, int kh, int kw, int sy, int sx,
                                                int top, int left, int bottom, int right, int dilation) {
        long reachY = (long) (kh - 1) * dilation + 1;
        long reachX = (long) (kw - 1) * dilation + 1;
        return new ConvolutionGeometry(h, w, in, (h + top + bottom - reachY) / sy + 1,
                (w + left + right - reachX) / sx + 1, out, kh, kw, sy, sx, top, left, bottom, right, dilation,
                dilation);
    }

    @Test
    void forwardAndInputGradientMatchDoublePrecisionReferences() {
        Random random = new Random(7);
        for (ConvolutionGeometry g : geometries()) {
            INDArray weights = TestNetworks.gaussian(random, 0.3, g.kernelHeight(), g.kernelWidth(), g.inputChannels(),
                    g.outputChannels());
            INDArray bias = TestNetworks.gaussian(random, 0.1, g.outputChannels());
            try (ConvolutionKernel kernel = compile(g, weights, bias)) {
                for (long n : new long[] {1, 3}) {
                    INDArray x = TestNetworks.gaussian(random, 1.0, n, g.inputHeight(), g.inputWidth(),
                            g.inputChannels());
                    INDArray gradOut = TestNetworks.gaussian(random, 1.0, n, g.outputHeight(), g.outputWidth(),
                            g.outputChannels());

                    INDArray out = Nd4j.create(DataType.FLOAT, n, g.outputHeight(), g.outputWidth(), g.outputChannels());
                    kernel.forward(x.castTo(DataType.FLOAT), out);
                    INDArray gradIn = Nd4j.create(DataType.FLOAT, n, g.inputHeight(), g.inputWidth(), g.inputChannels());
                    kernel.inputGradient(gradOut.castTo(DataType.FLOAT), gradIn);

                    INDArray[] reference = reference(g, x, weights, bias, gradOut);
                    assertAllClose(out, reference[0], 1e-4, 1e-4);
                    assertAllClose(gradIn, reference[1], 1e-4, 1e-4);

                    // Adjoint identity, bias excluded: <conv(x) - b, g> == <x, dL/dx>.
                    double lhs = out.castTo(DataType.DOUBLE).reshape(-1, g.outputChannels()).subRowVector(bias)
                            .mul(gradOut.reshape(-1, g.outputChannels())).sumNumber().doubleValue();
                    double rhs = x.mul(gradIn.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
                    assertThat(lhs).as("adjoint identity for %s, batch %d", g, n)
                            .isCloseTo(rhs, org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(rhs))));
                }
            }
        }
    }

    @Test
    void viewsAreReadThroughACopyAndTheResultIsTheSame() {
        Random random = new Random(3);
        INDArray weights = TestNetworks.gaussian(random, 0.3, 3, 3, 3, 8).castTo(DataType.FLOAT);
        try (ConvolutionKernel kernel = compile(geometries().get(0), weights, null)) {
            checkViewsAreReadThroughACopy(kernel, random);
        }
    }

    /** For a kernel of {@link #geometries()}'s first geometry: a strided view in gives what its copy gives. */
    static void checkViewsAreReadThroughACopy(ConvolutionKernel kernel, Random random) {
        INDArray wide = TestNetworks.gaussian(random, 1.0, 2, 9, 9, 6).castTo(DataType.FLOAT);
        INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 3));
        INDArray fromView = Nd4j.create(DataType.FLOAT, 2, 9, 9, 8);
        INDArray fromCopy = Nd4j.create(DataType.FLOAT, 2, 9, 9, 8);
        kernel.forward(view, fromView);
        kernel.forward(view.dup('c'), fromCopy);
        // The same computation on the same values (the view is copied first): bit-identical by construction.
        assertThat(fromView).isEqualTo(fromCopy);
    }

    @Test
    void badShapesAndTypesAreRefusedWithTheExpectedShape() {
        ConvolutionGeometry g = geometries().get(0);
        try (ConvolutionKernel kernel = compile(g, Nd4j.rand(DataType.FLOAT, 3, 3, 3, 8), null)) {
            checkBadArraysAreRefused(kernel);
        }
        assertThatThrownBy(() -> provider.convolution(g, Nd4j.rand(DataType.FLOAT, 3, 3, 4, 8), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 3, 4, 8]")
                .hasMessageContaining("expected FLOAT [3, 3, 3, 8]");
        assertThatThrownBy(() -> new ConvolutionGeometry(9, 9, 3, 8, 9, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output height 8: expected 9");
    }

    /**
     * For a kernel of {@link #geometries()}'s first geometry: wrong channels, type or batch, and an output view it
     * cannot write in place, are refused with what was expected.
     */
    static void checkBadArraysAreRefused(ConvolutionKernel kernel) {
        assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 2, 9, 9, 4),
                Nd4j.create(DataType.FLOAT, 2, 9, 9, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 9, 9, 4]").hasMessageContaining("expected FLOAT [n, 9, 9, 3]");
        assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.DOUBLE, 2, 9, 9, 3),
                Nd4j.create(DataType.FLOAT, 2, 9, 9, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOUBLE");
        assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 2, 9, 9, 3),
                Nd4j.create(DataType.FLOAT, 1, 9, 9, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected FLOAT [2, 9, 9, 8]");
        assertThatThrownBy(() -> kernel.inputGradient(Nd4j.rand(DataType.FLOAT, 2, 9, 9, 8),
                Nd4j.create(DataType.FLOAT, 2, 9, 9, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected FLOAT [2, 9, 9, 3]");
        INDArray wideOutput = Nd4j.create(DataType.FLOAT, 2, 9, 9, 16);
        INDArray view = wideOutput.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 8));
        assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 2, 9, 9, 3), view))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dense");
    }

    @Test
    void manyBatchSizesKeepABoundedCacheAndStayCorrect() {
        ConvolutionGeometry g = geometries().get(1);
        Random random = new Random(11);
        INDArray weights = TestNetworks.gaussian(random, 0.3, 3, 3, 5, 4);
        INDArray bias = TestNetworks.gaussian(random, 0.1, 4);
        try (ConvolutionKernel kernel = compile(g, weights, bias)) {
            for (long n = 1; n <= PrimitiveCache.BATCH_SIZES_KEPT + 3; n++) {
                INDArray x = TestNetworks.gaussian(random, 1.0, n, 8, 6, 5);
                INDArray gradOut = TestNetworks.gaussian(random, 1.0, n, 4, 3, 4);
                INDArray out = Nd4j.create(DataType.FLOAT, n, 4, 3, 4);
                INDArray gradIn = Nd4j.create(DataType.FLOAT, n, 8, 6, 5);
                kernel.forward(x.castTo(DataType.FLOAT), out);
                kernel.inputGradient(gradOut.castTo(DataType.FLOAT), gradIn);
                INDArray[] reference = reference(g, x, weights, bias, gradOut);
                assertAllClose(out, reference[0], 1e-4, 1e-4);
                assertAllClose(gradIn, reference[1], 1e-4, 1e-4);
                assertThat(((OneDnnConvolution) kernel).batchSizesKept())
                        .isLessThanOrEqualTo(PrimitiveCache.BATCH_SIZES_KEPT);
            }
        }
    }

    @Test
    void aClosedKernelRefusesWork() {
        ConvolutionGeometry g = geometries().get(0);
        ConvolutionKernel kernel = compile(g, Nd4j.rand(DataType.FLOAT, 3, 3, 3, 8), null);
        kernel.close();
        kernel.close();
        assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 1, 9, 9, 3),
                Nd4j.create(DataType.FLOAT, 1, 9, 9, 8)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(kernel::implementation)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private ConvolutionKernel compile(ConvolutionGeometry g, INDArray weights, INDArray bias) {
        assertThat(provider.unavailableReason()).isNull();
        Optional<ConvolutionKernel> kernel = provider.convolution(g, weights.castTo(DataType.FLOAT),
                bias == null ? null : bias.castTo(DataType.FLOAT));
        assertThat(kernel).as("an optimized oneDNN kernel for %s", g).isPresent();
        assertThat(kernel.get().implementation()).startsWith("oneDNN 3.").doesNotContain("ref:");
        return kernel.get();
    }

    /** {forward, input gradient} in float64 with ND4J's own kernels on the zero-padded input, VALID mode. */
    static INDArray[] reference(ConvolutionGeometry g, INDArray x, INDArray weights, INDArray bias,
                                        INDArray gradOut) {
        long n = x.size(0);
        long paddedHeight = g.inputHeight() + g.padTop() + g.padBottom();
        long paddedWidth = g.inputWidth() + g.padLeft() + g.padRight();
        INDArray padded = Nd4j.zeros(DataType.DOUBLE, n, paddedHeight, paddedWidth, g.inputChannels());
        INDArray interior = padded.get(NDArrayIndex.all(),
                NDArrayIndex.interval(g.padTop(), g.padTop() + g.inputHeight()),
                NDArrayIndex.interval(g.padLeft(), g.padLeft() + g.inputWidth()), NDArrayIndex.all());
        interior.assign(x);
        int[] arguments = {g.kernelHeight(), g.kernelWidth(), g.strideY(), g.strideX(), 0, 0, g.dilationY(),
                g.dilationX(), 0, 1, 0};
        INDArray w = weights.castTo(DataType.DOUBLE);
        INDArray b = bias == null ? Nd4j.zeros(DataType.DOUBLE, g.outputChannels()) : bias.castTo(DataType.DOUBLE);
        INDArray out = Nd4j.create(DataType.DOUBLE, n, g.outputHeight(), g.outputWidth(), g.outputChannels());
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(padded, w, b).addOutputs(out)
                .addIntegerArguments(arguments).build());
        INDArray gradPadded = Nd4j.create(DataType.DOUBLE, padded.shape());
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(padded, w, b, gradOut.castTo(DataType.DOUBLE))
                .addOutputs(gradPadded, Nd4j.create(DataType.DOUBLE, w.shape()), Nd4j.create(DataType.DOUBLE, b.shape()))
                .addIntegerArguments(arguments).build());
        INDArray gradIn = gradPadded.get(NDArrayIndex.all(),
                NDArrayIndex.interval(g.padTop(), g.padTop() + g.inputHeight()),
                NDArrayIndex.interval(g.padLeft(), g.padLeft() + g.inputWidth()), NDArrayIndex.all()).dup('c');
        return new INDArray[] {out, gradIn};
    }
}
