/**
 * oneDNN 3.x kernels for the engine (module xai-onednn): {@link org.xai4j.onednn.OneDnnKernels} registers as a
 * {@link org.xai4j.engine.spi.KernelProvider}.
 * <ul>
 *   <li>Each convolution becomes one forward and one backward-data primitive on the engine's channels-last arrays.
 *       ND4J M2.1's {@code conv2d} runs an older oneDNN that, on CPUs without AVX-512, converts every activation
 *       between channels last and 8-channel blocks on each call; oneDNN 3.x has brgemm kernels for channels-last
 *       arrays on AVX2 as well, and a backward-data primitive for strided layers, which ND4J emulates with transposed
 *       convolutions.</li>
 *   <li>Wide 3x3 stride-1 convolutions instead run Winograd's minimal filtering algorithm F(4x4, 3x3)
 *       ({@link org.xai4j.onednn.WinogradConvolution}): Java transforms of 6x6 input tiles and 4x4 output tiles around
 *       one batched oneDNN matmul, with a fourth of direct convolution's multiplications. A per-ISA rule of measured
 *       points decides where it beats oneDNN's direct convolution; {@code -Dxai4j.onednn.convolution=direct} turns it
 *       off.</li>
 *   <li>Each windowed pooling layer becomes pooling primitives; max pooling's input gradient recomputes where the
 *       maxima are with a training forward pass. ND4J M2.1's {@code maxpool2d_bp} took 4-7x as long on VGG16's
 *       shapes.</li>
 *   <li>ReLU, ReLU6, tanh and sigmoid become eltwise primitives whose backward pass reads the forward output; ND4J's
 *       fastest ReLU gradient (a compare-and-set) took about 3x as long.</li>
 * </ul>
 * Measurements: {@code docs/performance.md}.
 *
 * <p>The native library comes from {@code org.bytedeco:dnnl} (JavaCPP presets). oneDNN 3.x's implementations are
 * described in Intel's oneDNN documentation; the brgemm approach is Georganas et al., "High-Performance Deep Learning
 * via a Single Building Block" (IPDPS 2020); Winograd convolution is Lavin and Gray, "Fast Algorithms for Convolutional
 * Neural Networks" (CVPR 2016).
 */
package org.xai4j.onednn;
