package org.xai4j.bench;

import java.util.Locale;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;

/**
 * Shows whether a shared model keeps memory for every thread that ever called it: short-lived threads, one after the
 * other, each make one input-gradient call on a VGG16-shaped network (random weights) at batch 8 and end; after each,
 * the report prints the resident memory retained above the level after a warm-up call on the main thread (after
 * garbage collection, so that ND4J has freed what is unreachable). A model whose memory is bounded per model retains
 * no more after four threads than after one.
 *
 * <pre>
 * java -Xmx4g -cp xai-bench/target/benchmarks.jar org.xai4j.bench.ThreadMemoryReport [threads [batch [vgg16|mini]]]
 * </pre>
 * Defaults: 4 threads, batch 8, vgg16 (about 3 GB resident; {@code mini} is a 64x64 toy-sized network for a quick
 * check). glibc's per-thread malloc arenas keep freed memory too; run it with and without {@code MALLOC_ARENA_MAX=2} in
 * the environment to tell the two apart.
 */
public final class ThreadMemoryReport {

    private ThreadMemoryReport() {
    }

    /**
     * Runs the report.
     *
     * @param args {@code [threads [batch [vgg16|mini]]]}
     * @throws InterruptedException if interrupted while waiting for a thread
     */
    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        boolean mini = args.length > 2 && "mini".equals(args[2]);
        if (threads < 1 || batch < 1 || args.length > 2 && !mini && !"vgg16".equals(args[2])) {
            throw new IllegalArgumentException("usage: ThreadMemoryReport [threads >= 1 [batch >= 1 [vgg16|mini]]], "
                    + "got " + String.join(" ", args));
        }
        try (Nd4jImageModel model = Nd4jImageModel.of(mini ? RandomVgg.miniVgg(1) : RandomVgg.vgg16(1))) {
            long[] shape = model.inputShape();
            INDArray input = uniform(new Random(3), batch, shape);
            Objective objective = Objective.classLogit(3);
            model.gradient(input, objective);
            long base = ResidentMemory.settled();
            System.out.printf(Locale.ROOT, "%s (random weights), batch %d, input gradient per call; MALLOC_ARENA_MAX=%s%n",
                    model.spec().name(), batch, System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset"));
            System.out.printf(Locale.ROOT, "after a warm-up call on the main thread: %s resident%n",
                    Pointer.formatBytes(base));
            System.out.printf(Locale.ROOT, "%16s %14s %16s%n", "threads ended", "resident", "retained above");
            for (int t = 1; t <= threads; t++) {
                Thread thread = new Thread(() -> model.gradient(input, objective), "short-lived-" + t);
                thread.start();
                thread.join();
                long now = ResidentMemory.settled();
                System.out.printf(Locale.ROOT, "%16d %14s %16s%n", t, Pointer.formatBytes(now),
                        (now >= base ? "+" : "-") + Pointer.formatBytes(Math.abs(now - base)));
            }
        }
    }

    private static INDArray uniform(Random random, int batch, long[] shape) {
        float[] values = new float[(int) (batch * shape[0] * shape[1] * shape[2])];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Nd4j.create(values, new long[] {batch, shape[0], shape[1], shape[2]}, DataType.FLOAT);
    }
}
