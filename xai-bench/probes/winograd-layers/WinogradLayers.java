package org.xai4j.onednn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;

/**
 * Times every 3x3 stride-1 layer shape of VGG16 or ResNet-50 (SAME padding) with oneDNN's direct convolution and with
 * Winograd F(4x4, 3x3), forward and input gradient, whether or not the provider would choose Winograd for it: the
 * measurements behind {@code WinogradConvolution}'s rule. Each call runs in an ND4J workspace, as in the engine, so
 * the scratch arrays are reused; the fastest of the repeats counts. Also prints the relative difference of the two
 * outputs. In package org.xai4j.onednn because the kernels are package-private; run.sh compiles it.
 */
public final class WinogradLayers {

    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT).policySpill(SpillPolicy.REALLOCATE).build();

    public static void main(String[] args) {
        String network = args[0];
        int n = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        if (!network.equals("vgg16") && !network.equals("resnet50")) {
            throw new IllegalArgumentException("network " + network + ": expected vgg16 or resnet50");
        }
        // {output size, in, out}
        int[][] layers = network.equals("vgg16")
                ? new int[][] {{224, 64, 64}, {112, 64, 128}, {112, 128, 128}, {56, 128, 256}, {56, 256, 256},
                        {28, 256, 512}, {28, 512, 512}, {14, 512, 512}}
                : new int[][] {{56, 64, 64}, {28, 128, 128}, {14, 256, 256}, {7, 512, 512}};
        System.out.printf("%s, batch %d, oneDNN %s, ISA %s, fastest of %d; ms per image%n%n", network, n,
                OneDnnKernels.version(), WinogradConvolution.usesAvx512() ? "AVX-512" : "AVX2", repeats);
        System.out.println("| layer | direct fwd | direct grad | Winograd fwd | Winograd grad | ratio | chosen | "
                + "relative difference |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|---:|");
        Nd4j.getRandom().setSeed(1);
        for (int[] layer : layers) {
            int size = layer[0], in = layer[1], out = layer[2];
            ConvolutionGeometry g = new ConvolutionGeometry(size, size, in, size, size, out, 3, 3, 1, 1, 1, 1, 1, 1,
                    1, 1);
            INDArray w = Nd4j.randn(DataType.FLOAT, 3, 3, in, out).muli(Math.sqrt(2.0 / (9 * in)));
            INDArray b = Nd4j.randn(DataType.FLOAT, out).muli(0.1);
            INDArray x = Nd4j.rand(DataType.FLOAT, n, size, size, in);
            INDArray gradOut = Nd4j.rand(DataType.FLOAT, n, size, size, out);
            INDArray[] y = {Nd4j.create(DataType.FLOAT, n, size, size, out),
                    Nd4j.create(DataType.FLOAT, n, size, size, out)};
            INDArray gradIn = Nd4j.create(DataType.FLOAT, n, size, size, in);
            ConvolutionKernel[] kernels = {OneDnnConvolution.compile(g, w, b).orElseThrow(),
                    WinogradConvolution.compile(g, w, b).orElseThrow()};
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            for (int r = 0; r < repeats + 2; r++) {
                // Alternating, so that both see the same state of the machine.
                for (int k = 0; k < 2; k++) {
                    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE,
                            "winograd-layers")) {
                        long t0 = System.nanoTime();
                        kernels[k].forward(x, y[k]);
                        long t1 = System.nanoTime();
                        kernels[k].inputGradient(gradOut, gradIn);
                        long t2 = System.nanoTime();
                        if (r >= 2) {
                            best[2 * k] = Math.min(best[2 * k], (t1 - t0) / 1e6 / n);
                            best[2 * k + 1] = Math.min(best[2 * k + 1], (t2 - t1) / 1e6 / n);
                        }
                    }
                }
            }
            double difference = y[1].sub(y[0]).norm2Number().doubleValue() / y[0].norm2Number().doubleValue();
            System.out.printf("| %dx%d, %d -> %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.1e |%n", size, size, in,
                    out, best[0], best[1], best[2], best[3], (best[2] + best[3]) / (best[0] + best[1]),
                    WinogradConvolution.applies(g) ? "Winograd" : "direct", difference);
            for (ConvolutionKernel kernel : kernels) {
                kernel.close();
            }
        }
    }
}
