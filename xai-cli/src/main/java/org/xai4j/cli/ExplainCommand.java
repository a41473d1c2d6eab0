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
import org.xai4j.Predictions;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.ImageModel;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.Explanation;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.faceapi.DescriptorSimilarity;
import org.xai4j.faceapi.FaceAnalyzer;
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
 * {@code H x W} for class activation and neuron maps, at input resolution) and the input as the model saw it. For a
 * face-api network the photograph's faces are found and each is explained on its own input ({@link FaceExplanations}).
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = MethodOptions.Transformer.class,
        description = {"Explains one prediction of a model on an image: writes <method>_<target>_overlay.png, the raw "
                + "values as <method>_<target>.npy (float32, never normalized) and input.png, and prints one JSON line.",
                "face-api networks (faceapi:expression, ...) explain every face detected in the image: faceN_input.png, "
                + "faceN_<method>_<target>_overlay.png and faceN_<method>_<target>.npy per face N."})
final class ExplainCommand extends CliCommand implements MethodOptions.Holder {

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = LoadOptions.MODEL_HELP)
    String model;

    @Mixin
    LoadOptions load;

    @Option(names = "--image", required = true, paramLabel = "FILE",
            description = "A PNG, JPEG, BMP or GIF image of any size (shorter side resized, center cropped).")
    Path image;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "ig",
            converter = MethodOptions.MethodConverter.class, completionCandidates = MethodOptions.MethodNames.class,
            description = "One of ${COMPLETION-CANDIDATES} (default ig).")
    ExplanationMethod method;

    @Option(names = "--target", paramLabel = "INDEX|top", defaultValue = "top",
            description = "The class to explain (for activations: the neuron); default top: the predicted class (the "
                    + "neuron with the largest spike total).")
    String target;

    @Option(names = "--face", paramLabel = "N", description = "face-api networks: explain only the N-th detected "
            + "face (0-based, in detection order; default: every face).")
    Integer face;

    @Option(names = "--reference-image", paramLabel = "FILE", description = "Descriptor networks "
            + "(faceapi:recognition): explain the cosine similarity of each face's descriptor to that of the first face "
            + "in FILE, instead of a class (not with --target).")
    Path referenceImage;

    private final MethodOptions methodOptions = new MethodOptions();

    @Mixin
    OutputOptions output;

    @Override public MethodOptions methodOptions() {
        return methodOptions;
    }

    @Override Map<String, Object> run() throws IOException {
        Path outDir = output.out("xai4j-explain");
        checkOutput(outDir, output.force);
        methodOptions.check(method);
        boolean targetGiven = spec.commandLine().getParseResult().hasMatchedOption("--target");
        if (referenceImage != null && targetGiven) {
            throw new UsageException("give either --reference-image or --target, not both: with a reference the "
                    + "objective is the similarity to it, not a class");
        }
        if (referenceImage != null && method.output() == ExplanationMethod.Output.NEURON_MAP) {
            throw new UsageException("--reference-image does not apply to --method " + method.id()
                    + ", which maps one neuron's activations; use ig, saliency, inputxgrad or a CAM");
        }
        try (ImageClassifier classifier = load.load(model); Progress progress = progress()) {
            ImageModel m = classifier.model();
            boolean perFace = FaceExplanations.applies(classifier);
            if (!perFace && referenceImage != null) {
                throw new UsageException("--reference-image needs a descriptor network (faceapi:recognition), got "
                        + model);
            }
            if (!perFace && face != null) {
                throw new UsageException("--face needs a face-api network that sees faces (faceapi:expression, "
                        + "faceapi:landmarks, faceapi:recognition, faceapi:age-gender), got " + model);
            }
            Explainer explainer = methodOptions.explainer(method, classifier, progress);
            String mapped = method.readsLayer() ? spatialLayer(m, explainer.layerFor(m)) : null;
            if (perFace) {
                return explainFaces(classifier, explainer, mapped, outDir, targetGiven);
            }
            RgbImage img = readImage(classifier, image, "image");
            INDArray x = classifier.toInput(img);
            // FullGrad maps the input and every bias, no one layer
            long t0 = System.nanoTime();
            INDArray probabilities = m.probabilities(x);
            int predicted = Predictions.argMax(probabilities)[0];
            Explanation explanation = target.equals("top") ? explainer.run(m, x)
                    : method.output() == ExplanationMethod.Output.NEURON_MAP
                    ? explainer.run(m, x, index(target, (int) m.layerShape(mapped)[0], "neuron", "neurons"))
                    : explainer.run(m, x, index(target, m.numClasses(), "class", "classes"));
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
            json.put("target", method.output() == ExplanationMethod.Output.NEURON_MAP ? Map.of("neuron", explained)
                    : Map.of("index", explained, "label", classifier.label(explained)));
            double[] delta = explanation.convergenceDelta();
            json.put("delta", delta.length == 0 ? null : delta[0]);
            if (explanation.outputDifference().length > 0) {
                double relative = explanation.relativeError(0);
                json.put("relativeError", Double.isNaN(relative) ? null : relative);
            }
            json.put("steps", explanation.steps());
            json.put("seconds", seconds);
            try (OutputFolder folder = openOutput(outDir, output.force)) {
                String stem = method.id() + "_" + safe(method.output() == ExplanationMethod.Output.NEURON_MAP ? "neuron" + explained
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

    /** The face pipeline: every detected face (or {@code --face N}) explained on its own input. */
    private Map<String, Object> explainFaces(ImageClassifier classifier, Explainer explainer, String mapped,
                                             Path outDir, boolean targetGiven) throws IOException {
        FaceExplanations faces = new FaceExplanations(classifier, method, explainer, mapped);
        if (referenceImage != null && !faces.isDescriptorModel()) {
            throw new UsageException("--reference-image needs a descriptor network (faceapi:recognition), got "
                    + classifier.name());
        }
        Integer explained = null;
        if (targetGiven && !target.equals("top")) {
            ImageModel m = classifier.model();
            explained = method.output() == ExplanationMethod.Output.NEURON_MAP
                    ? index(target, (int) m.layerShape(mapped)[0], "neuron", "neurons")
                    : index(target, m.numClasses(), "class", "classes");
        }
        try (FaceAnalyzer analyzer = new FaceAnalyzer()) {
            DescriptorSimilarity objective = referenceImage == null ? null
                    : faces.referenceObjective(analyzer, referenceImage);
            return faces.run(analyzer, image, face, explained, objective, referenceImage, outDir, output.force);
        }
    }

    private static int index(String arg, int count, String one, String many) {
        try {
            int t = Integer.parseInt(arg.strip());
            if (t < 0 || t >= count) {
                throw new UsageException("--target " + t + " is out of range: the model has " + count + " "
                        + (count == 1 ? one : many) + " (0.." + (count - 1) + ")");
            }
            return t;
        } catch (NumberFormatException e) {
            throw new UsageException("--target must be an index or 'top', got '" + arg + "'");
        }
    }
}
