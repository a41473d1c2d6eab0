package org.xai4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.engine.OperationProfile;

import java.util.Locale;
import java.util.Random;

/**
 * Prints where the time of a forward pass plus input gradient goes, per kind of operation, for a VGG16- or
 * ResNet-50-shaped model with random weights: the per-op profile behind the numbers of {@code docs/performance.md}.
 * Run on an idle machine: {@code java -cp xai-bench/target/benchmarks.jar org.xai4j.bench.GradientProfileReport
 * resnet50 16}. Arguments: model ({@code vgg16}, {@code resnet50}, {@code mini-vgg}), batch (default 8), repetitions
 * (default 3, after two warm-up calls); the profile shown is the fastest repetition.
 */
public final class GradientProfileReport {

    private GradientProfileReport() { }

    /**
     * Runs the report.
     *
     * @param args model, batch, repetitions
     */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "resnet50";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        NetworkSpec spec = switch (name) {
            case "vgg16" -> RandomVgg.vgg16(1);
            case "mini-vgg" -> RandomVgg.miniVgg(1);
            case "resnet50" -> RandomResNet.resnet50(1);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; expected vgg16, mini-vgg or resnet50");
        };
        try (Nd4jImageModel model = Nd4jImageModel.of(spec)) {
            long[] shape = model.inputShape();
            INDArray input = uniform(new Random(2), batch, shape);
            Objective objective = Objective.classLogit(3);
            for (int i = 0; i < 2; i++) {
                model.gradient(input, objective).inputGradient().close();
            }
            OperationProfile best = null;
            for (int i = 0; i < repetitions; i++) {
                OperationProfile profile = model.profileGradient(input, objective);
                if (best == null || profile.totalNanos() < best.totalNanos()) {
                    best = profile;
                }
            }
            System.out.printf(Locale.ROOT, "%s, batch %d: %.3f s per image (forward + input gradient, fastest of %d)%n%n",
                    name, batch, best.totalNanos() / 1e9 / batch, repetitions);
            System.out.println(best.toMarkdown());
        }
    }

    private static INDArray uniform(Random random, int batch, long[] shape) {
        float[] values = new float[(int) (batch * shape[0] * shape[1] * shape[2])];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return org.nd4j.linalg.factory.Nd4j.create(values, new long[] {batch, shape[0], shape[1], shape[2]}, 'c')
                .castTo(DataType.FLOAT);
    }
}
