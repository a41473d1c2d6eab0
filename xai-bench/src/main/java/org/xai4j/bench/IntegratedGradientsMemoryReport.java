package org.xai4j.bench;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;

/**
 * Shows that the peak memory of Integrated Gradients is set by the internal batch, not by the step count: it runs
 * IG on one 224x224 image of a VGG16-shaped network (random weights) with each step count and reports the peak
 * resident memory above the level after a warm-up call (sampled every 2 ms), with the wall time.
 *
 * <pre>
 * java -Xmx4g -cp xai-bench/target/benchmarks.jar org.xai4j.bench.IntegratedGradientsMemoryReport [batch [steps...]]
 * </pre>
 * Defaults: internal batch 16, steps 32 and 256, trapezoid rule.
 */
public final class IntegratedGradientsMemoryReport {

    private IntegratedGradientsMemoryReport() {
    }

    /**
     * Runs the report.
     *
     * @param args {@code [internalBatch [steps ...]]}
     */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int[] steps = args.length > 1 ? new int[args.length - 1] : new int[] {32, 256};
        for (int i = 1; i < args.length; i++) {
            steps[i - 1] = Integer.parseInt(args[i]);
        }
        Nd4jImageModel model = Nd4jImageModel.of(RandomVgg.vgg16(1));
        INDArray image = SeededArrays.uniform(3, 1, 3, 224, 224);
        Objective objective = Objective.classLogit(3);
        IntegratedGradients.Builder builder = IntegratedGradients.builder().setModel(model)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).optInternalBatchSize(batch);
        builder.optSteps(batch).build().attribute(image, objective);
        System.out.printf(Locale.ROOT, "VGG16 (random weights), one 224x224 image, internal batch %d; estimated "
                + "activation and gradient memory of one batch: %s%n", batch,
                Pointer.formatBytes(model.bytesPerExample(true) * batch));
        System.out.printf(Locale.ROOT, "%6s %14s %14s %10s%n", "steps", "baseline RSS", "peak - base", "seconds");
        for (int s : steps) {
            long base = ResidentMemory.settled();
            long[] peak = {base};
            boolean[] running = {true};
            Thread sampler = new Thread(() -> {
                while (running[0]) {
                    peak[0] = Math.max(peak[0], Pointer.physicalBytes());
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long t0 = System.nanoTime();
            Attribution a = builder.optSteps(s).build().attribute(image, objective);
            double seconds = (System.nanoTime() - t0) / 1e9;
            running[0] = false;
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.printf(Locale.ROOT, "%6d %14s %14s %10.1f   (%s)%n", s, Pointer.formatBytes(base),
                    Pointer.formatBytes(peak[0] - base), seconds, a);
        }
    }
}
