package org.xai4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ImageModel;
import org.xai4j.Predictions;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.explainers.Explanation;
import org.xai4j.io.Npy;
import org.xai4j.io.OutputFolder;
import org.xai4j.models.ImageClassifier;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xai4j explain}: one explanation of one prediction, by any method of {@link ExplanationMethod}; writes the
 * overlay PNG, the raw values as {@code .npy} (never normalized: {@code H x W x C} for input attributions,
 * {@code H x W} for class activation and neuron maps, at input resolution) and the input as the model saw it.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explains one prediction of a model on an image: writes <method>_<target>_overlay.png, the raw "
                + "values as <method>_<target>.npy (float32, never normalized) and input.png, and prints one JSON line."})
final class ExplainCommand extends CliCommand {

    private static final String TUNNELS = "smoothgrad, smoothgrad_sq, vargrad";
    private static final String LAYER_METHODS = "gradcam, gradcampp, scorecam, layercam, activations";

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A Keras .h5 (any supported graph: VGG, ResNet, MobileNet, ...), a Keras .json with "
                    + "--weights, a DL4J .zip, zoo:vgg16, zoo:vggface, toy:object, toy:face or toy:emotion.")
    String model;

    @Mixin
    LoadOptions load;

    @Option(names = "--image", required = true, paramLabel = "FILE",
            description = "A PNG, JPEG, BMP or GIF image of any size (shorter side resized, centre cropped).")
    Path image;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "ig", converter = MethodConverter.class,
            description = "ig (default), saliency, inputxgrad, smoothgrad, smoothgrad_sq, vargrad, gradcam, "
                    + "gradcampp, scorecam, layercam or activations.")
    ExplanationMethod method;

    @Option(names = "--target", paramLabel = "INDEX|top", defaultValue = "top",
            description = "The class to explain (for activations: the neuron); default top: the predicted class (the "
                    + "neuron with the largest spike total).")
    String target;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "The layer of " + LAYER_METHODS + " (default: the last spatial layer before global "
                    + "pooling, e.g. block5_conv3 of a VGG16).")
    String layer;

    @Option(names = "--steps", paramLabel = "N", description = "ig: integration points (default 50; with "
            + "--tolerance, points per path interval, default 8); " + TUNNELS + ": noisy samples (default 20).")
    Integer steps;

    @Option(names = "--rule", paramLabel = "RULE", converter = RuleConverter.class, description = "ig: "
            + "riemann_left, riemann_right, riemann_middle, riemann_trapezoid or gauss_legendre (default).")
    IntegrationRule rule;

    @Option(names = "--tolerance", paramLabel = "FRACTION", description = "ig: adaptive integration, adding points "
            + "until |delta| <= FRACTION * |F(x) - F(baseline)| (e.g. 0.01).")
    Double tolerance;

    @Option(names = "--max-steps", paramLabel = "N", description = "ig with --tolerance: the most points (default "
            + "1024).")
    Integer maxSteps;

    @Option(names = "--baseline", paramLabel = "zero|blur|noise|FILE", description = "ig: the baseline; repeat to "
            + "average several (default zero, a black image).")
    List<String> baselines;

    @Option(names = "--internal-batch", paramLabel = "N", description = "Inputs per model pass (ig: points, "
            + "default 16; " + TUNNELS + ": samples, default 8; scorecam: masks, default 32). Bounds memory.")
    Integer internalBatch;

    @Option(names = "--noise-level", paramLabel = "FRACTION", description = TUNNELS + ": noise standard deviation "
            + "as a fraction of the image's value range (default 0.15).")
    Double noiseLevel;

    @Option(names = "--seed", paramLabel = "N", description = TUNNELS + ": seed of the noise (default 42).")
    Long seed;

    @Mixin
    OutputOptions output;

    @Override Map<String, Object> run() throws IOException {
        Path outDir = output.out("xai4j-explain");
        checkOutput(outDir, output.force);
        checkApplicable();
        try (ImageClassifier classifier = load.load(model); Progress progress = progress()) {
            ImageModel m = classifier.model();
            RgbImage img = readImage(classifier, image, "image");
            INDArray x = classifier.toInput(img);
            Explainer explainer = explainer(classifier, progress);
            String mapped = method.readsLayer() ? spatialLayer(m, explainer.layerFor(m)) : null;
            long t0 = System.nanoTime();
            INDArray probabilities = m.probabilities(x);
            int predicted = Predictions.argMax(probabilities)[0];
            Explanation explanation = target.equals("top") ? explainer.run(m, x)
                    : method == ExplanationMethod.ACTIVATIONS
                    ? explainer.run(m, x, index(target, (int) m.layerShape(mapped)[0], "neuron"))
                    : explainer.run(m, x, index(target, m.numClasses(), "class"));
            double seconds = secondsSince(t0);
            int explained = explanation.targets()[0];
            INDArray raw = explanation.values().get(NDArrayIndex.point(0));
            // input attributions as H x W x C (numpy's image layout), maps as H x W
            INDArray npyValues = raw.rank() == 3 ? raw.permute(1, 2, 0) : raw;

            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", classifier.name());
            json.put("image", image.toString());
            json.put("method", method.id());
            if (mapped != null) {
                json.put("layer", mapped);
            }
            json.put("prediction", Map.of("index", predicted, "label", classifier.label(predicted),
                    "probability", probabilities.getDouble(0, predicted)));
            json.put("target", method == ExplanationMethod.ACTIVATIONS ? Map.of("neuron", explained)
                    : Map.of("index", explained, "label", classifier.label(explained)));
            double delta = explanation.maxAbsDelta();
            json.put("delta", Double.isNaN(delta) ? null : explanation.convergenceDelta()[0]);
            if (!Double.isNaN(delta)) {
                // convergenceDelta = sum(attribution) - (F(x) - F(x')), so F(x) - F(x') is what remains
                double difference = raw.sumNumber().doubleValue() - explanation.convergenceDelta()[0];
                json.put("relativeError", difference == 0 ? null : Math.abs(delta) / Math.abs(difference));
            }
            json.put("steps", explanation.steps());
            json.put("seconds", seconds);
            try (OutputFolder folder = openOutput(outDir, output.force)) {
                String stem = method.id() + "_" + safe(method == ExplanationMethod.ACTIVATIONS ? "neuron" + explained
                        : classifier.label(explained));
                Path png = folder.staging().resolve(stem + "_overlay.png");
                PngWriter.write(AttributionVisualizer.builder().build().render(ImageArrays.toMap(raw), img,
                        VisualizationMethod.BLENDED_HEAT_MAP), png);
                Path npy = folder.staging().resolve(stem + ".npy");
                Npy.write(npy, npyValues.castTo(DataType.FLOAT));
                PngWriter.write(img.toBufferedImage(), folder.staging().resolve("input.png"));
                Path written = folder.commit();
                json.put("overlay", written.resolve(png.getFileName()).toString());
                json.put("npy", written.resolve(npy.getFileName()).toString());
                json.put("input", written.resolve("input.png").toString());
            }
            json.put("shape", npyValues.shape());
            return json;
        }
    }

    /** Refuses options that the method does not use, naming them as the command line does. */
    private void checkApplicable() {
        boolean ig = method == ExplanationMethod.IG;
        boolean tunnel = method.isNoiseTunnel();
        applies("--steps", steps, ig || tunnel, "ig, " + TUNNELS);
        applies("--rule", rule, ig, "ig");
        applies("--tolerance", tolerance, ig, "ig");
        applies("--max-steps", maxSteps, ig && tolerance != null, "ig with --tolerance");
        applies("--baseline", baselines, ig, "ig");
        applies("--layer", layer, method.readsLayer(), LAYER_METHODS);
        applies("--internal-batch", internalBatch, ig || tunnel || method == ExplanationMethod.SCORE_CAM,
                "ig, " + TUNNELS + ", scorecam");
        applies("--noise-level", noiseLevel, tunnel, TUNNELS);
        applies("--seed", seed, tunnel, TUNNELS);
    }

    private void applies(String option, Object value, boolean applies, String methods) {
        if (value != null && !applies) {
            throw new UsageException(option + " does not apply to --method " + method.id() + "; it applies to "
                    + methods);
        }
    }

    private Explainer explainer(ImageClassifier classifier, Progress progress) {
        Explainer.Builder b = Explainer.builder().setMethod(method).optProgressListener(progress);
        if (method == ExplanationMethod.IG) {
            if (tolerance != null) {
                int perInterval = steps != null ? steps : 8;
                b.optSteps(perInterval).optAdaptive(tolerance, maxSteps != null ? maxSteps : Math.max(1024,
                        perInterval));
            } else if (steps != null) {
                b.optSteps(steps);
            }
            if (rule != null) {
                b.optRule(rule);
            }
            if (baselines != null) {
                List<Baseline> list = new ArrayList<>();
                for (String spec : baselines) {
                    list.add(baseline(spec, classifier));
                }
                b.optBaselines(list.toArray(Baseline[]::new));
            }
        } else if (method.isNoiseTunnel()) {
            b.optSamples(steps != null ? steps : 20);
            if (noiseLevel != null) {
                b.optNoiseLevel(noiseLevel);
            }
            if (seed != null) {
                b.optSeed(seed);
            }
        }
        if (internalBatch != null) {
            b.optInternalBatchSize(internalBatch);
        }
        if (layer != null) {
            b.optLayer(layer);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(cliNames(Xai4j.oneLine(e)), e);
        }
    }

    /** The library's option names in a message, as this command spells them. */
    private String cliNames(String message) {
        String[][] names = {{"adaptive tolerance", "--tolerance"}, {"adaptive maxSteps", "--max-steps"},
                {"internal batch size", "--internal-batch"}, {"noise level", "--noise-level"},
                {"samples", "--steps"}, {"steps", "--steps"}};
        for (String[] n : names) {
            if (message.startsWith(n[0])) {
                return n[1] + message.substring(n[0].length());
            }
        }
        return message;
    }

    private static int index(String arg, int count, String what) {
        try {
            int t = Integer.parseInt(arg.strip());
            if (t < 0 || t >= count) {
                throw new UsageException("--target " + t + " is out of range: the model has " + count + " " + what
                        + (count == 1 ? "" : "s") + " (0.." + (count - 1) + ")");
            }
            return t;
        } catch (NumberFormatException e) {
            throw new UsageException("--target must be an index or 'top', got '" + arg + "'");
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
                    throw new UsageException("unknown baseline '" + spec + "'; expected zero, blur, noise or an image "
                            + "file");
                }
                yield Baseline.image(classifier.toInput(readImage(classifier, file, "baseline image")));
            }
        };
    }

    /** {@code --method}: a name of {@link ExplanationMethod#ids()}, any case. */
    static final class MethodConverter implements CommandLine.ITypeConverter<ExplanationMethod> {
        @Override public ExplanationMethod convert(String value) {
            try {
                return ExplanationMethod.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown method '" + value + "'; expected one of "
                        + String.join(", ", ExplanationMethod.ids()));
            }
        }
    }

    /** {@code --rule}: an {@link IntegrationRule} in lower case. */
    static final class RuleConverter implements CommandLine.ITypeConverter<IntegrationRule> {
        @Override public IntegrationRule convert(String value) {
            try {
                return IntegrationRule.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown integration rule '" + value
                        + "'; expected one of " + String.join(", ", Arrays.stream(IntegrationRule.values())
                        .map(r -> r.name().toLowerCase(Locale.ROOT)).toList()));
            }
        }
    }
}
