package org.xai4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.xai4j.ImageModel;
import org.xai4j.LayerSelectors;
import org.xai4j.Predictions;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.explainers.Explanation;
import org.xai4j.io.Npy;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;

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
 * (required), {@code --method} one of {@link ExplanationMethod#ids()} (default ig), {@code --layer <name>} (the CAMs
 * and activations; default {@link LayerSelectors#lastSpatialLayerBeforeGlobalPooling}), {@code --target <index>|top}
 * (a class; for activations a neuron; default top), {@code --steps N} (ig integration steps, noise-tunnel samples;
 * default 50 / 20),
 * {@code --rule riemann_left|riemann_right|riemann_middle|riemann_trapezoid|gauss_legendre}, {@code --baseline
 * zero|blur|noise|<image file>}, {@code --preprocess none|unit|caffe|vggface} (for model files; default unit),
 * {@code --out <dir>} (default ./xai4j-explain), {@code --force}. Errors: one line on stderr, exit status 2 for bad
 * input, 1 for a failure while explaining.
 *
 * <p>Bad input (an empty, truncated or corrupt image, baseline or model file, a file of another kind renamed) is exit
 * status 2 with a line naming the file and what was expected; it is detected before anything is written, and the
 * output goes through a staging folder that is moved into place only when complete, so a failed run leaves no output.
 * Any image size is accepted: smaller images than the model's input, down to 1x1, are upsampled and larger ones
 * downscaled (resize of the shorter side, then centre crop: {@link ImageClassifier#readImage}); huge images are
 * decoded subsampled.
 */
public final class Explain {

    private static final Set<String> OPTIONS = Set.of("model", "image", "method", "layer", "target", "steps", "rule",
            "baseline", "preprocess", "out");
    private static final Set<String> FLAGS = Set.of("force", "help");

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
                    + "[--method " + String.join("|", ExplanationMethod.ids()) + "] [--layer <name>] "
                    + "[--target <index>|top] [--steps N] [--rule <rule>] [--baseline zero|blur|noise|<file>] "
                    + "[--preprocess none|unit|caffe|vggface] [--out <dir>] [--force]");
            return null;
        }
        ExplanationMethod method;
        try {
            method = ExplanationMethod.fromId(args.get("method", "ig"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("explanation method", "method"));
        }
        String modelSpec = args.require("model");
        Path imageFile = Path.of(args.require("image"));
        Path outDir = Path.of(args.get("out", "xai4j-explain"));
        boolean force = args.flag("force");
        OutputFolder.check(outDir.toAbsolutePath().normalize(), force);
        IntegrationRule rule = rule(args.get("rule", "gauss_legendre"));
        int steps = args.intValue("steps", method.isNoiseTunnel() ? 20 : 50, 1, 100_000);
        String targetArg = args.get("target", "top");

        try (ImageClassifier classifier = load(modelSpec, args.get("preprocess"))) {
            ImageModel model = classifier.model();
            RgbImage image;
            try {
                image = classifier.readImage(imageFile);
            } catch (IOException e) {
                throw new UsageException("cannot read image " + imageFile + ": " + imageProblem(e, imageFile), e);
            }
            INDArray x = classifier.toInput(image);
            Explainer explainer = explainer(method, args, classifier, steps, rule);
            String layer = explainer.layerFor(model);
            if (layer != null && !LayerSelectors.spatialLayers(model).contains(layer)) {
                throw new UsageException("unknown layer '" + layer + "'; the model's spatial layers are "
                        + String.join(", ", LayerSelectors.spatialLayers(model)));
            }

            long t0 = System.nanoTime();
            INDArray probabilities = model.probabilities(x);
            int predicted = Predictions.argMax(probabilities)[0];
            Explanation explanation;
            if (targetArg.equals("top")) {
                explanation = explainer.run(model, x);
            } else if (method == ExplanationMethod.ACTIVATIONS) {
                explanation = explainer.run(model, x, target(targetArg, (int) model.layerShape(layer)[0], "neuron"));
            } else {
                explanation = explainer.run(model, x, target(targetArg, model.numClasses(), "class"));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int target = explanation.targets()[0];
            INDArray raw = explanation.values().get(NDArrayIndex.point(0));
            // input attributions as H x W x C (the layout of images in numpy), maps as H x W
            INDArray npyValues = raw.rank() == 3 ? raw.permute(1, 2, 0) : raw;

            try (OutputFolder folder = OutputFolder.open(outDir, force)) {
                String stem = method.id() + "_" + safe(method == ExplanationMethod.ACTIVATIONS ? "neuron" + target
                        : classifier.label(target));
                Path png = folder.dir().resolve(stem + "_overlay.png");
                PngWriter.write(AttributionVisualizer.builder().build().render(ImageArrays.toMap(raw), image,
                        VisualizationMethod.BLENDED_HEAT_MAP), png);
                Path npy = folder.dir().resolve(stem + ".npy");
                Npy.write(npy, npyValues.castTo(DataType.FLOAT));
                PngWriter.write(image.toBufferedImage(), folder.dir().resolve("input.png"));
                Path written = folder.commit();

                Map<String, Object> json = new LinkedHashMap<>();
                json.put("model", classifier.name());
                json.put("image", imageFile.toString());
                json.put("method", method.id());
                if (layer != null) {
                    json.put("layer", layer);
                }
                json.put("prediction", Map.of("index", predicted, "label", classifier.label(predicted),
                        "probability", probabilities.getDouble(0, predicted)));
                json.put("target", method == ExplanationMethod.ACTIVATIONS
                        ? Map.of("neuron", target) : Map.of("index", target, "label", classifier.label(target)));
                double delta = explanation.maxAbsDelta();
                json.put("delta", Double.isNaN(delta) ? null : delta);
                json.put("steps", explanation.steps());
                json.put("seconds", Math.round(seconds * 1000) / 1000.0);
                json.put("overlay", written.resolve(png.getFileName()).toString());
                json.put("npy", written.resolve(npy.getFileName()).toString());
                json.put("shape", npyValues.shape());
                return json;
            }
        }
    }

    /** The classifier of {@code --model}; a missing file or bad option is a usage error, a bad file too. */
    private static ImageClassifier load(String spec, String preprocess) {
        boolean named = spec.startsWith("toy:") || spec.startsWith("zoo:");
        if (!named && !Files.isReadable(Path.of(spec))) {
            throw new UsageException("cannot read model file " + spec);
        }
        ImageClassifierLoader loader;
        try {
            ImageClassifierLoader.Builder builder = ImageClassifierLoader.builder().setSource(spec);
            if (preprocess != null) {
                builder.optPreprocessing(preprocessing(preprocess));
            }
            loader = builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        try {
            return loader.load();
        } catch (ModelLoadException e) {
            throw new UsageException("cannot load model " + spec + ": " + oneLine(e), e);
        }
    }

    /** The explainer of {@code --method} with the options that apply to it ({@code --steps}: samples of the tunnels). */
    private static Explainer explainer(ExplanationMethod method, Args args, ImageClassifier classifier, int steps,
                                       IntegrationRule rule) {
        Explainer.Builder builder = Explainer.builder().setMethod(method);
        if (method == ExplanationMethod.IG) {
            builder.optSteps(steps).optRule(rule).optBaselines(baseline(args.get("baseline", "zero"), classifier));
        } else if (method.isNoiseTunnel()) {
            builder.optSamples(steps);
        }
        if (args.get("layer") != null) {
            builder.optLayer(args.get("layer"));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("layer does not apply", "--layer does not apply")
                    .replace("steps must", "--steps must"), e);
        }
    }

    private static Preprocessing preprocessing(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> Preprocessing.NONE;
            case "unit" -> Preprocessing.UNIT;
            case "caffe" -> Preprocessing.CAFFE_IMAGENET;
            case "vggface" -> Preprocessing.VGGFACE;
            default -> throw new UsageException("unknown preprocessing '" + name
                    + "'; expected none, unit, caffe or vggface");
        };
    }

    private static int target(String arg, int count, String what) {
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

    private static Baseline baseline(String spec, ImageClassifier classifier) {
        return switch (spec) {
            case "zero" -> Baseline.zero();
            case "blur" -> Baseline.gaussianBlur(Math.max(classifier.height(), classifier.width()) / 16.0);
            case "noise" -> Baseline.uniformNoise(0, 1, 0);
            default -> {
                Path file = Path.of(spec);
                if (!Files.isRegularFile(file)) {
                    throw new UsageException("unknown baseline '" + spec + "'; expected zero, blur, noise or an "
                            + "image file");
                }
                try {
                    yield Baseline.image(classifier.toInput(classifier.readImage(file)));
                } catch (IOException e) {
                    throw new UsageException("cannot read baseline image " + file + ": " + imageProblem(e, file), e);
                }
            }
        };
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

}
