package org.xai4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.activation.ActivationMap;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.InputXGradient;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.attribution.Saliency;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.io.ImageLoader;
import org.xai4j.viz.io.PngWriter;

/**
 * Explains one prediction of one model on one image and writes the overlay PNG, the raw attribution as a NumPy
 * {@code .npy} file (float32; {@code H x W x C} for input attributions, {@code H x W} for CAMs and activation maps)
 * and prints one JSON line (prediction, target, convergence delta, timing, files).
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=org.xai4j.examples.Explain \
 *   -Dexec.args="--model toy:emotion --image face.png --method ig --target top --out explain-out"
 * </pre>
 *
 * Options: {@code --model <file.h5|file.zip|toy:object|toy:face|toy:emotion>} (required), {@code --image <png/jpg>}
 * (required), {@code --method ig|saliency|inputxgrad|smoothgrad|gradcam|activations} (default ig), {@code --layer
 * <name>} (gradcam and activations; default: the last spatial layer), {@code --target <index>|top} (a class; for
 * activations a neuron; default top), {@code --steps N} (ig integration steps, smoothgrad samples; default 50 / 20),
 * {@code --rule riemann_left|riemann_right|riemann_middle|riemann_trapezoid|gauss_legendre}, {@code --baseline
 * zero|blur|noise|<image file>}, {@code --preprocess none|unit|caffe|vggface} (for model files; default unit),
 * {@code --out <dir>} (default ./xai4j-explain), {@code --force}. Errors: one line on stderr, exit status 2 for bad
 * input, 1 for a failure while explaining.
 *
 * <p>Bad input (an empty, truncated or corrupt image, baseline or model file, a file of another kind renamed) is exit
 * status 2 with a line naming the file and what was expected; it is detected before anything is written, and the
 * output goes through a staging folder that is moved into place only when complete, so a failed run leaves no output.
 * Any image size is accepted: smaller images than the model's input, down to 1x1, are upsampled and larger ones
 * downscaled (resize of the shorter side, then centre crop); images over 2048x2048 pixels are decoded subsampled.
 */
public final class Explain {

    static final Set<String> METHODS = Set.of("ig", "saliency", "inputxgrad", "smoothgrad", "gradcam", "activations");
    private static final Set<String> OPTIONS = Set.of("model", "image", "method", "layer", "target", "steps", "rule",
            "baseline", "preprocess", "out");
    private static final Set<String> FLAGS = Set.of("force", "help");

    /**
     * Reads images subsampled above 2048x2048 pixels: far above any classifier input, so a 10000x10000 photo costs
     * 48 MB of float pixels (133 MB at the default limit) before it is resized to the model's input.
     */
    static final ImageLoader IMAGE_LOADER = ImageLoader.defaults().withMaxPixels(2048L * 2048L);

    private Explain() {
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Study.quietLogging();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @return 0 on success, 2 for a usage error, 1 for another failure
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        try {
            Map<String, Object> json = explain(args, out);
            if (json != null) {
                out.println(new ObjectMapper().writeValueAsString(json));
            }
            return 0;
        } catch (UsageException e) {
            err.println("explain: " + e.getMessage());
            return 2;
        } catch (Exception | OutOfMemoryError e) {
            err.println("explain: failed: " + oneLine(e));
            return 1;
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    /** What is wrong with an image file, without the "cannot read image FILE: " prefix the loader already puts. */
    static String imageProblem(IOException e, Path file) {
        return oneLine(e).replace("cannot read image " + file + ": ", "");
    }

    private static Map<String, Object> explain(String[] argv, PrintStream out) throws IOException {
        Args args = Args.parse(argv, OPTIONS, FLAGS);
        if (args.flag("help")) {
            out.println("usage: explain --model <file.h5|file.zip|toy:object|toy:face|toy:emotion> --image <file> "
                    + "[--method ig|saliency|inputxgrad|smoothgrad|gradcam|activations] [--layer <name>] "
                    + "[--target <index>|top] [--steps N] [--rule <rule>] [--baseline zero|blur|noise|<file>] "
                    + "[--preprocess none|unit|caffe|vggface] [--out <dir>] [--force]");
            return null;
        }
        String method = args.get("method", "ig").toLowerCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new UsageException("unknown method '" + method + "'; expected one of "
                    + String.join(", ", METHODS.stream().sorted().toList()));
        }
        String modelSpec = args.require("model");
        Path imageFile = Path.of(args.require("image"));
        Path outDir = Path.of(args.get("out", "xai4j-explain"));
        boolean force = args.flag("force");
        OutputFolder.check(outDir.toAbsolutePath().normalize(), force);
        IntegrationRule rule = rule(args.get("rule", "gauss_legendre"));
        int steps = args.intValue("steps", method.equals("smoothgrad") ? 20 : 50, 1, 100_000);
        String targetArg = args.get("target", "top");

        RgbImage original;
        try {
            original = IMAGE_LOADER.read(imageFile);
        } catch (IOException e) {
            throw new UsageException("cannot read image " + imageFile + ": " + imageProblem(e, imageFile), e);
        }
        String preprocess = args.get("preprocess");
        Models.Loaded loaded = Models.load(modelSpec, preprocess == null ? null : Models.preprocessing(preprocess),
                original.height(), original.width());
        ImageModel model = loaded.model();
        RgbImage image = Pixels.fit(original, loaded.height(), loaded.width());
        INDArray x = Pixels.batch(image).castTo(model.dataType());
        Baseline baseline = baseline(args.get("baseline", "zero"), loaded);

        long t0 = System.nanoTime();
        INDArray probabilities = model.probabilities(x);
        int predicted = probabilities.getRow(0).argMax().getInt(0);
        String layer = null;
        int target;
        INDArray raw;
        long[] npyShape;
        double delta = Double.NaN;
        AttributionMap map;
        int usedSteps = 0;
        if (method.equals("gradcam") || method.equals("activations")) {
            layer = args.get("layer", lastSpatialLayer(model));
            if (!model.layerNames().contains(layer)) {
                throw new UsageException("unknown layer '" + layer + "'; the model's spatial layers are "
                        + String.join(", ", spatialLayers(model)));
            }
            if (model.layerShape(layer).length != 3) {
                throw new UsageException("layer '" + layer + "' is not spatial; use one of "
                        + String.join(", ", spatialLayers(model)));
            }
            if (method.equals("gradcam")) {
                target = target(targetArg, predicted, model.numClasses(), "class");
                ActivationMap cam = GradCam.builder().setModel(model).setLayer(layer).build().map(x, target);
                raw = cam.map(0);
            } else {
                NeuronActivations mapper = NeuronActivations.builder().setModel(model).setLayer(layer).build();
                LayerActivations acts = mapper.activations(x);
                target = targetArg.equals("top") ? acts.topK(0, 1)[0]
                        : target(targetArg, 0, acts.channels(), "neuron");
                raw = acts.map(0, target);
            }
            npyShape = new long[] {raw.size(0), raw.size(1)};
            map = Pixels.hw(raw);
        } else {
            if (args.get("layer") != null) {
                throw new UsageException("--layer applies to gradcam and activations only");
            }
            target = target(targetArg, predicted, model.numClasses(), "class");
            Objective objective = Objective.classLogit(target);
            Attribution attribution = switch (method) {
                case "ig" -> IntegratedGradients.builder().setModel(model).optSteps(steps).optRule(rule)
                        .optBaselines(baseline).build().attribute(x, objective);
                case "saliency" -> Saliency.builder().setModel(model).build().attribute(x, objective);
                case "inputxgrad" -> InputXGradient.builder().setModel(model).build().attribute(x, objective);
                case "smoothgrad" -> NoiseTunnel.builder().setMethod(Saliency.builder().setModel(model).build()).optSamples(steps).build()
                        .attribute(x, objective);
                default -> throw new IllegalStateException(method);
            };
            usedSteps = attribution.steps();
            delta = attribution.maxAbsDelta();
            raw = attribution.values();
            npyShape = new long[] {raw.size(2), raw.size(3), raw.size(1)};
            map = Pixels.chw(raw);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        AttributionVisualizer visualizer = AttributionVisualizer.defaults();
        try (OutputFolder folder = OutputFolder.open(outDir, force)) {
            String stem = method + "_" + safe(loaded.label(target));
            Path png = folder.dir().resolve(stem + "_overlay.png");
            PngWriter.write(visualizer.render(map, image, VisualizationMethod.BLENDED_HEAT_MAP), png);
            float[] values = method.equals("gradcam") || method.equals("activations") ? Pixels.flat(raw)
                    : Pixels.toHwc(raw);
            Path npy = folder.dir().resolve(stem + ".npy");
            Npy.write(npy, values, npyShape);
            Path input = folder.dir().resolve("input.png");
            PngWriter.write(image.toBufferedImage(), input);
            Path target0 = folder.commit();

            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", loaded.name());
            json.put("image", imageFile.toString());
            json.put("method", method);
            if (layer != null) {
                json.put("layer", layer);
            }
            json.put("prediction", Map.of("index", predicted, "label", loaded.label(predicted),
                    "probability", probabilities.getDouble(0, predicted)));
            json.put("target", method.equals("activations")
                    ? Map.of("neuron", target) : Map.of("index", target, "label", loaded.label(target)));
            json.put("delta", Double.isNaN(delta) ? null : delta);
            json.put("steps", usedSteps);
            json.put("seconds", Math.round(seconds * 1000) / 1000.0);
            json.put("overlay", target0.resolve(png.getFileName()).toString());
            json.put("npy", target0.resolve(npy.getFileName()).toString());
            json.put("shape", npyShape);
            return json;
        }
    }

    private static int target(String arg, int top, int count, String what) {
        if (arg.equals("top")) {
            return top;
        }
        try {
            int t = Integer.parseInt(arg.trim());
            if (t < 0 || t >= count) {
                throw new UsageException("--target " + t + " is out of range: the model has " + count + " "
                        + what + (count == 1 ? "" : "s") + " (0.." + (count - 1) + ")");
            }
            return t;
        } catch (NumberFormatException e) {
            throw new UsageException("--target must be an index or 'top', got '" + arg + "'");
        }
    }

    static IntegrationRule rule(String name) {
        try {
            return IntegrationRule.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown integration rule '" + name + "'; expected one of "
                    + java.util.Arrays.stream(IntegrationRule.values()).map(r -> r.name().toLowerCase(Locale.ROOT))
                    .toList());
        }
    }

    private static Baseline baseline(String spec, Models.Loaded model) {
        return switch (spec) {
            case "zero" -> Baseline.zero();
            case "blur" -> Baseline.gaussianBlur(Math.max(model.height(), model.width()) / 16.0);
            case "noise" -> Baseline.uniformNoise(0, 1, 0);
            default -> {
                Path file = Path.of(spec);
                if (!Files.isRegularFile(file)) {
                    throw new UsageException("unknown baseline '" + spec + "'; expected zero, blur, noise or an "
                            + "image file");
                }
                try {
                    RgbImage b = Pixels.fit(IMAGE_LOADER.read(file), model.height(), model.width());
                    yield Baseline.image(Pixels.batch(b));
                } catch (IOException e) {
                    throw new UsageException("cannot read baseline image " + file + ": " + imageProblem(e, file), e);
                }
            }
        };
    }

    static List<String> spatialLayers(ImageModel model) {
        return model.layerNames().stream().filter(l -> model.layerShape(l).length == 3).toList();
    }

    static String lastSpatialLayer(ImageModel model) {
        List<String> spatial = spatialLayers(model);
        // prefer the last convolution over the pooling that follows it (a CAM at a finer resolution)
        for (int i = spatial.size() - 1; i >= 0; i--) {
            String l = spatial.get(i);
            if (!l.contains("pool") && !l.startsWith("preprocessing")) {
                return l;
            }
        }
        if (spatial.isEmpty()) {
            throw new UsageException("the model has no spatial layer for a map");
        }
        return spatial.get(spatial.size() - 1);
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

}
