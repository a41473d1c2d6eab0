package org.xai4j.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.attribution.AdaptiveStrategy;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.toy.ToyWorld;

/**
 * Measures how fast adaptive Integrated Gradients reaches a completeness tolerance compared with the fixed default
 * (50 Gauss-Legendre points), on typical inputs: the three trained toy mini-VGGs on their held-out images, and a
 * VGG16-shaped network (random weights) on photos. For every input it prints the relative completeness error
 * {@code |sum(attribution) - (F(x) - F(x'))| / |F(x) - F(x')|}, the points used and the wall time of each setting.
 *
 * <pre>
 * java -cp xai-bench/target/benchmarks.jar org.xai4j.bench.AdaptiveConvergenceReport [toyImagesPerModel [photo...]]
 * </pre>
 * The target is the predicted class and the baseline is black (zeros), internal batch 16.
 */
public final class AdaptiveConvergenceReport {

    private static final double TOLERANCE = 0.01;

    private AdaptiveConvergenceReport() {
    }

    /** One setting of Integrated Gradients. */
    private record Setting(String name, IntegrationRule rule, int steps, AdaptiveStrategy strategy) {
        IntegratedGradients build(ImageModel model) {
            IntegratedGradients.Builder b = IntegratedGradients.builder().setModel(model).optRule(rule)
                    .optSteps(steps).optInternalBatchSize(16);
            return strategy != null ? b.optAdaptive(TOLERANCE, 1024, strategy).build() : b.build();
        }
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("fixed GL 50 (default)", IntegrationRule.GAUSS_LEGENDRE, 50, null),
            new Setting("refine path, GL from 8", IntegrationRule.GAUSS_LEGENDRE, 8, AdaptiveStrategy.REFINE_PATH),
            new Setting("refine path, trapezoid from 9", IntegrationRule.RIEMANN_TRAPEZOID, 9,
                    AdaptiveStrategy.REFINE_PATH),
            new Setting("subdivide, GL 8 per interval", IntegrationRule.GAUSS_LEGENDRE, 8, AdaptiveStrategy.SUBDIVIDE),
            new Setting("subdivide, GL 4 per interval", IntegrationRule.GAUSS_LEGENDRE, 4,
                    AdaptiveStrategy.SUBDIVIDE));

    /**
     * Runs the report.
     *
     * @param args {@code [toyImagesPerModel [photo ...]]}; defaults: 5 toy images, the example photos
     * @throws IOException if a photo cannot be read
     */
    public static void main(String[] args) throws IOException {
        int toyImages = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Path> photos = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            photos.add(Path.of(args[i]));
        }
        if (args.length <= 1) {
            for (String name : new String[] {"astronaut.png", "chelsea.png", "coffee.png"}) {
                Path p = Path.of("xai-study/src/main/resources/org/xai4j/study/images", name);
                if (Files.isRegularFile(p)) {
                    photos.add(p);
                }
            }
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%-11s %-8s %-31s %8s %9s %8s %8s%n", "model", "input", "setting", "points",
                "rel.err", "seconds", "vs GL50");
        toy(out, ToyModels.OBJECT_VGG, ToyModels.objectVgg().model(), ToyModels.objectWorld(), toyImages);
        toy(out, ToyModels.FACE_VGG, ToyModels.faceVgg().model(), ToyModels.faceWorld(
                org.xai4j.models.toy.FaceTask.IDENTITY), toyImages);
        toy(out, ToyModels.EMOTION_VGG, ToyModels.emotionVgg().model(), ToyModels.faceWorld(
                org.xai4j.models.toy.FaceTask.EMOTION), toyImages);
        if (!photos.isEmpty()) {
            ImageModel vgg16 = Nd4jImageModel.of(RandomVgg.vgg16(1));
            for (Path photo : photos) {
                run(out, "vgg16-rand", photo.getFileName().toString(), vgg16, load(photo, 224));
            }
        }
    }

    private static void toy(PrintStream out, String name, ImageModel model, ToyWorld world, int count) {
        INDArray images = world.dataset(ToyModels.TEST_START, count).features();
        for (int i = 0; i < count; i++) {
            run(out, name, "test " + i, model, images.get(NDArrayIndex.interval(i, i + 1)).dup());
        }
    }

    private static void run(PrintStream out, String modelName, String inputName, ImageModel model, INDArray x) {
        int target = model.logits(x).argMax(1).getInt(0);
        Objective objective = Objective.classLogit(target);
        double outputDifference = Math.abs(objective.evaluate(model, x).getDouble(0)
                - objective.evaluate(model, Nd4j.zerosLike(x)).getDouble(0));
        // One untimed call per model and setting warms up the JIT and the workspace.
        double fixedSeconds = 0;
        for (Setting setting : SETTINGS) {
            IntegratedGradients method = setting.build(model);
            method.attribute(x, objective);
            long t0 = System.nanoTime();
            Attribution a = method.attribute(x, objective);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (setting.strategy() == null) {
                fixedSeconds = seconds;
            }
            out.printf(Locale.ROOT, "%-11s %-8s %-31s %8d %9.2e %8.3f %8.2f%n", modelName,
                    inputName.length() > 8 ? inputName.substring(0, 8) : inputName, setting.name(),
                    a.gradientEvaluations(), Math.abs(a.convergenceDelta()[0]) / outputDifference, seconds,
                    seconds / fixedSeconds);
        }
    }

    /** Reads a photo, center-crops it to a square and resizes it to {@code size}, as NCHW floats in [0, 1]. */
    private static INDArray load(Path photo, int size) throws IOException {
        BufferedImage source = ImageIO.read(photo.toFile());
        if (source == null) {
            throw new IOException("not a readable image: " + photo);
        }
        int side = Math.min(source.getWidth(), source.getHeight());
        BufferedImage square = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = square.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        int x0 = (source.getWidth() - side) / 2;
        int y0 = (source.getHeight() - side) / 2;
        g.drawImage(source, 0, 0, size, size, x0, y0, x0 + side, y0 + side, null);
        g.dispose();
        INDArray x = Nd4j.create(DataType.FLOAT, 1, 3, size, size);
        for (int y = 0; y < size; y++) {
            for (int xx = 0; xx < size; xx++) {
                int rgb = square.getRGB(xx, y);
                x.putScalar(new long[] {0, 0, y, xx}, ((rgb >> 16) & 0xff) / 255f);
                x.putScalar(new long[] {0, 1, y, xx}, ((rgb >> 8) & 0xff) / 255f);
                x.putScalar(new long[] {0, 2, y, xx}, (rgb & 0xff) / 255f);
            }
        }
        return x;
    }
}
