package org.xai4j.onednn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;

import java.lang.ref.Reference;
import java.util.List;
import java.util.Optional;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_get_effective_cpu_isa;
import static org.xai4j.onednn.OneDnnRuntime.contiguous;

/**
 * A 3x3, stride-1 convolution layer computed with Winograd's F(4x4, 3x3) algorithm ({@link WinogradCorrelation}),
 * forward and input gradient. The input gradient of such a layer is itself a 3x3 stride-1 correlation: of the output
 * gradient with the kernels flipped in both spatial axes and with input and output channels swapped, padded by
 * {@code 2 - p} where the forward pass is padded by {@code p}. So both directions run the same algorithm, each with its
 * own transformed weights.
 *
 * <p>{@link OneDnnKernels} chooses this over {@link OneDnnConvolution} only where it measured faster
 * ({@link #applies}); see {@code docs/performance.md}, section "Winograd convolutions".
 */
final class WinogradConvolution extends OneDnnKernel<WinogradConvolution.Primitives> implements ConvolutionKernel {

    /**
     * Where Winograd measured faster than oneDNN's direct convolution (forward plus input gradient, batch 8, 2 cores,
     * {@code xai-bench/probes/winograd-layers}; {@code docs/measurements/2026-12-07-winograd-layers.md}), as (fewest
     * input and output channels, fewest outputs per channel) pairs. With AVX2: every 3x3 layer of VGG16 and ResNet-50
     * with 128 channels or more, 0.42x to 0.83x the direct time, down to ResNet-50's 7x7 maps; the 64-channel layers
     * ran 0.95x to 1.50x. AVX-512 makes the direct convolution 1.5 to 1.9 times faster and the Winograd layers only 1.06
     * to 1.44 times, which leaves the gain to the layers with the most channels: 256 from 28x28 outputs up (0.45x to
     * 0.72x), 512 from 14x14 (0.73x), while ResNet-50's 128- to 512-channel layers ran 1.02x to 1.15x.
     */
    private static final long[][] FASTER_AVX2 = {{128, 7 * 7}};
    private static final long[][] FASTER_AVX512 = {{256, 28 * 28}, {512, 14 * 14}};

    private final ConvolutionGeometry geometry;
    private final WinogradCorrelation forward;
    private final WinogradCorrelation backward;

    private WinogradConvolution(ConvolutionGeometry geometry, float[] kernels, float[] bias, long chunkBytes) {
        super("convolution");
        this.geometry = geometry;
        int inH = (int) geometry.inputHeight(), inW = (int) geometry.inputWidth(), in = (int) geometry.inputChannels();
        int outH = (int) geometry.outputHeight(), outW = (int) geometry.outputWidth();
        int out = (int) geometry.outputChannels();
        forward = new WinogradCorrelation(inH, inW, in, outH, outW, out, geometry.padTop(), geometry.padLeft(),
                kernels, bias, chunkBytes);
        // gradInput[y, x, i] = sum over r, s, o of gradOutput[y + padTop - r, x + padLeft - s, o] * w[r, s, i, o]
        // = a correlation of the output gradient with w'[r', s', o, i] = w[2 - r', 2 - s', i, o], padded by 2 - pad.
        float[] flipped = new float[kernels.length];
        for (int r = 0; r < 3; r++) {
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        flipped[(((2 - r) * 3 + (2 - s)) * out + o) * in + i] = kernels[((r * 3 + s) * in + i) * out + o];
                    }
                }
            }
        }
        WinogradCorrelation b;
        try {
            b = new WinogradCorrelation(outH, outW, out, inH, inW, in, 2 - geometry.padTop(), 2 - geometry.padLeft(),
                    flipped, null, chunkBytes);
        } catch (RuntimeException e) {
            forward.close();
            throw e;
        }
        backward = b;
    }

    /**
     * Whether this kernel is the faster choice for a layer on this machine: a layer it can compute
     * ({@link #computable}) whose channels and output size reach one of the measured points for the instruction set
     * oneDNN runs (which {@code ONEDNN_MAX_CPU_ISA} caps).
     */
    static boolean applies(ConvolutionGeometry g) {
        if (!computable(g)) {
            return false;
        }
        long channels = Math.min(g.inputChannels(), g.outputChannels());
        long area = g.outputHeight() * g.outputWidth();
        for (long[] point : usesAvx512() ? FASTER_AVX512 : FASTER_AVX2) {
            if (channels >= point[0] && area >= point[1]) {
                return true;
            }
        }
        return false;
    }

    /** Whether the algorithm can compute the layer at all (the tests use it on small layers too). */
    static boolean computable(ConvolutionGeometry g) {
        long largest = Math.max(g.inputHeight() * g.inputWidth() * g.inputChannels(),
                g.outputHeight() * g.outputWidth() * g.outputChannels());
        return g.kernelHeight() == 3 && g.kernelWidth() == 3 && g.strideY() == 1 && g.strideX() == 1
                && g.dilationY() == 1 && g.dilationX() == 1 && g.padTop() <= 2 && g.padLeft() <= 2
                && g.padBottom() <= 2 && g.padRight() <= 2
                // One image's values are addressed with int offsets.
                && largest < Integer.MAX_VALUE / 2;
    }

    static boolean usesAvx512() {
        return (dnnl_get_effective_cpu_isa() & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core;
    }

    /**
     * The kernel for a layer the algorithm can compute ({@link #computable}), or empty when oneDNN would run its
     * matrix products with a reference implementation.
     */
    static Optional<ConvolutionKernel> compile(ConvolutionGeometry geometry, INDArray weights, INDArray bias) {
        return compile(geometry, weights, bias, WinogradCorrelation.CHUNK_BYTES);
    }

    /** {@link #compile(ConvolutionGeometry, INDArray, INDArray)} with another chunk budget, for tests. */
    static Optional<ConvolutionKernel> compile(ConvolutionGeometry geometry, INDArray weights, INDArray bias,
                                               long chunkBytes) {
        if (!computable(geometry)) {
            throw new IllegalArgumentException("Winograd F(4x4, 3x3) convolution " + geometry
                    + ": expected a 3x3 kernel, stride 1, no dilation and padding of at most 2");
        }
        OneDnnConvolution.requireParameters(geometry, weights, bias);
        float[] kernels = weights.dup('c').reshape(weights.length()).toFloatVector();
        float[] biasValues = bias == null ? null : bias.dup('c').reshape(bias.length()).toFloatVector();
        WinogradConvolution kernel = new WinogradConvolution(geometry, kernels, biasValues, chunkBytes);
        return OneDnnKernel.unlessReference(kernel).map(ConvolutionKernel.class::cast);
    }

    @Override Primitives newPrimitives(long n) {
        return new Primitives(n);
    }

    @Override List<String> implementationNames(Primitives p) {
        return List.of(p.forwardFull.implementation, p.forwardLast.implementation, p.backwardFull.implementation,
                p.backwardLast.implementation);
    }

    @Override public synchronized void forward(INDArray input, INDArray output) {
        Primitives p = primitives(OneDnnConvolution.batchOfCall(geometry, input, output, true));
        run(forward, input, output, p.forwardFull, p.forwardLast);
    }

    @Override public synchronized void inputGradient(INDArray gradOutput, INDArray gradInput) {
        Primitives p = primitives(OneDnnConvolution.batchOfCall(geometry, gradOutput, gradInput, false));
        run(backward, gradOutput, gradInput, p.backwardFull, p.backwardLast);
    }

    private void run(WinogradCorrelation correlation, INDArray read, INDArray written,
                     WinogradCorrelation.Matmul full, WinogradCorrelation.Matmul last) {
        INDArray source = contiguous(read);
        correlation.run(source, written, full, last, stream);
        // A temporary copy is read through raw addresses: it must outlive the run.
        Reference.reachabilityFence(source);
    }

    @Override public synchronized String implementation() {
        if (isClosed()) {
            throw new IllegalStateException("this convolution kernel was closed with its model");
        }
        Primitives p = latestPrimitives();
        return "Winograd F(4x4,3x3), oneDNN " + OneDnnKernels.version() + " " + p.forwardFull.implementation
                + " / " + p.backwardFull.implementation;
    }

    @Override void releaseOwned() {
        forward.close();
        backward.close();
    }

    @Override public String toString() {
        return "WinogradConvolution[" + geometry + "]";
    }

    /** One batch size's matrix products: full chunks and the remainder, for each direction. */
    final class Primitives implements PrimitiveCache.Primitives {
        final WinogradCorrelation.Matmul forwardFull;
        final WinogradCorrelation.Matmul forwardLast;
        final WinogradCorrelation.Matmul backwardFull;
        final WinogradCorrelation.Matmul backwardLast;

        Primitives(long n) {
            WinogradCorrelation.Matmul[] f = matmuls(forward, n);
            WinogradCorrelation.Matmul[] b = matmuls(backward, n);
            forwardFull = f[0];
            forwardLast = f[1];
            backwardFull = b[0];
            backwardLast = b[1];
        }

        private static WinogradCorrelation.Matmul[] matmuls(WinogradCorrelation correlation, long n) {
            long tiles = correlation.tiles(n);
            int full = (int) Math.min(tiles, correlation.chunkTiles());
            int last = (int) (tiles % full == 0 ? full : tiles % full);
            WinogradCorrelation.Matmul fullMatmul = correlation.matmul(full);
            return new WinogradCorrelation.Matmul[] {fullMatmul,
                    last == full ? fullMatmul : correlation.matmul(last)};
        }

        @Override public void destroy() {
            forwardFull.destroy();
            if (forwardLast != forwardFull) {
                forwardLast.destroy();
            }
            backwardFull.destroy();
            if (backwardLast != backwardFull) {
                backwardLast.destroy();
            }
        }
    }
}
