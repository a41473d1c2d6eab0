package org.xai4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.Predictions;
import org.xai4j.activation.ActivationMap;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.Explanation;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.faceapi.DescriptorSimilarity;
import org.xai4j.faceapi.DetectedFace;
import org.xai4j.faceapi.FaceAnalyzer;
import org.xai4j.faceapi.FaceApiModel;
import org.xai4j.faceapi.FaceApiProvider;
import org.xai4j.faceapi.FaceBox;
import org.xai4j.io.Npy;
import org.xai4j.io.OutputFolder;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelProviders;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.io.ImageLoader;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;

/**
 * {@code xai4j explain} on a face-api network: finds the faces of a photograph (face-api's TinyFaceDetector and
 * landmark network, {@link FaceAnalyzer}), cuts each face's input as face-api feeds that network, and explains every
 * face (or one). Per face {@code N} it writes {@code faceN_input.png} (the network input as the model saw it),
 * {@code faceN_<method>_<target>_overlay.png} and the raw {@code faceN_<method>_<target>.npy}, in the layout of a
 * single-image explanation. With a reference descriptor the objective is the cosine similarity of each face's
 * descriptor to it ({@link DescriptorSimilarity}) instead of a class.
 */
final class FaceExplanations {

    private static final String SCHEME = "faceapi";

    private final ImageClassifier classifier;
    private final FaceApiModel network;
    private final ExplanationMethod method;
    private final Explainer explainer;
    private final String layer;

    /**
     * @param classifier a classifier for which {@link #applies} holds
     * @param method     the method
     * @param explainer  the configured explainer
     * @param layer      the mapped layer of a layer method, else null
     */
    FaceExplanations(ImageClassifier classifier, ExplanationMethod method, Explainer explainer, String layer) {
        this.classifier = classifier;
        this.network = FaceApiProvider.faceApiModel(classifier);
        this.method = method;
        this.explainer = explainer;
        this.layer = layer;
    }

    /**
     * Whether a classifier is explained per face: a face-api network that sees faces (all but the detector, which
     * sees whole images and is explained as any other model).
     *
     * @param classifier the loaded classifier
     * @return true for {@code faceapi:expression|landmarks|recognition|age-gender}
     */
    static boolean applies(ImageClassifier classifier) {
        return SCHEME.equals(ModelProviders.schemeOf(classifier.name()))
                && FaceApiProvider.faceApiModel(classifier).head() != FaceApiModel.Head.DETECTOR;
    }

    /** Whether this network outputs a descriptor, so a reference image can be compared with. */
    boolean isDescriptorModel() {
        return network.head() == FaceApiModel.Head.DESCRIPTOR;
    }

    /**
     * The objective of {@code --reference-image}: similarity to the descriptor of the reference photo's first face.
     *
     * @param analyzer  the face finder
     * @param reference the reference photo
     * @return the objective
     * @throws UsageException if the photo cannot be read or shows no face
     */
    DescriptorSimilarity referenceObjective(FaceAnalyzer analyzer, Path reference) {
        RgbImage photo = readPhoto(reference, "reference image");
        List<DetectedFace> faces = analyzer.analyze(photo);
        if (faces.isEmpty()) {
            throw new UsageException("no face found in reference image " + reference + " by face-api's "
                    + "TinyFaceDetector; give a photo with a clearly visible face");
        }
        INDArray x = FaceAnalyzer.input(photo, faces.get(0), network).castTo(classifier.model().dataType());
        return DescriptorSimilarity.to(network.outputs(x).toFloatVector());
    }

    /**
     * Explains the faces of a photograph and writes the files.
     *
     * @param analyzer  the face finder
     * @param image     the photograph
     * @param face      the face to explain (0-based, detection order), or null for all
     * @param target    a class index (output index), or null for each face's top output
     * @param objective the objective replacing the class target (a reference similarity), or null
     * @param reference the reference image file, for the JSON line (null without an objective)
     * @param outDir    the output folder
     * @param force     whether an existing non-empty folder may be replaced
     * @return the JSON fields of the run
     */
    Map<String, Object> run(FaceAnalyzer analyzer, Path image, Integer face, Integer target, Objective objective,
                            Path reference, Path outDir, boolean force) throws IOException {
        RgbImage photo = readPhoto(image, "image");
        List<DetectedFace> faces = analyzer.analyze(photo);
        if (faces.isEmpty()) {
            throw new UsageException("no face found in " + image + " by face-api's TinyFaceDetector (score above 0.5); "
                    + classifier.name() + " explains faces: give a photo with a clearly visible face");
        }
        if (face != null && (face < 0 || face >= faces.size())) {
            throw new UsageException("--face " + face + " is out of range: " + faces.size() + " face"
                    + (faces.size() == 1 ? "" : "s") + " detected in " + image + " (0.." + (faces.size() - 1) + ")");
        }
        ImageModel m = classifier.model();
        List<Map<String, Object>> entries = new ArrayList<>();
        long t0 = System.nanoTime();
        long[] shape = null;
        try (OutputFolder folder = CliCommand.openOutput(outDir, force)) {
            for (int i = 0; i < faces.size(); i++) {
                if (face != null && face != i) {
                    continue;
                }
                DetectedFace f = faces.get(i);
                INDArray x = FaceAnalyzer.input(photo, f, network).castTo(m.dataType());
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("index", i);
                entry.put("box", box(f.detection().box()));
                entry.put("score", f.detection().score());
                entry.put("crop", box(f.cropFor(network)));
                if (network.head() == FaceApiModel.Head.CLASSIFIER) {
                    INDArray p = m.probabilities(x);
                    int predicted = Predictions.argMax(p)[0];
                    entry.put("prediction", Map.of("index", predicted, "label", classifier.label(predicted),
                            "probability", p.getDouble(0, predicted)));
                }
                Single single = objective != null ? explainObjective(m, x, objective) : explainTarget(m, x, target);
                String stem = "face" + i + "_" + method.id() + "_" + CliCommand.safe(objective != null ? "similarity"
                        : method.output() == ExplanationMethod.Output.NEURON_MAP ? "neuron" + single.target
                        : classifier.label(single.target));
                if (objective != null) {
                    entry.put("target", Map.of("objective", "cosine similarity to the reference descriptor",
                            "reference", reference.toString(), "similarity",
                            objective.values(network.outputs(x)).getDouble(0)));
                } else {
                    entry.put("target", method.output() == ExplanationMethod.Output.NEURON_MAP
                            ? Map.of("neuron", single.target)
                            : Map.of("index", single.target, "label", classifier.label(single.target)));
                }
                entry.put("delta", single.delta.length == 0 ? null : single.delta[0]);
                if (!Double.isNaN(single.relativeError) || single.delta.length > 0) {
                    entry.put("relativeError", Double.isNaN(single.relativeError) ? null : single.relativeError);
                }
                entry.put("steps", single.steps);
                INDArray raw = single.values.get(NDArrayIndex.point(0));
                // input attributions as H x W x C (numpy's image layout), maps as H x W
                INDArray npyValues = raw.rank() == 3 ? raw.permute(1, 2, 0) : raw;
                shape = npyValues.shape();
                RgbImage crop = ImageArrays.toImage(x, 0);
                Path input = folder.staging().resolve("face" + i + "_input.png");
                PngWriter.write(crop.toBufferedImage(), input);
                Path png = folder.staging().resolve(stem + "_overlay.png");
                PngWriter.write(AttributionVisualizer.builder().build().render(ImageArrays.toMap(raw), crop,
                        VisualizationMethod.BLENDED_HEAT_MAP), png);
                Path npy = folder.staging().resolve(stem + ".npy");
                Npy.write(npy, npyValues.castTo(DataType.FLOAT));
                entry.put("input", input.getFileName().toString());
                entry.put("overlay", png.getFileName().toString());
                entry.put("npy", npy.getFileName().toString());
                entries.add(entry);
            }
            Path written = folder.commit();
            for (Map<String, Object> entry : entries) {
                for (String file : List.of("input", "overlay", "npy")) {
                    entry.put(file, written.resolve((String) entry.get(file)).toString());
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", classifier.name());
        json.put("image", image.toString());
        json.put("method", method.id());
        if (layer != null) {
            json.put("layer", layer);
        }
        json.put("detected", faces.size());
        json.put("faces", entries);
        json.put("seconds", CliCommand.secondsSince(t0));
        json.put("shape", shape);
        return json;
    }

    /** One face's explanation, whichever path made it. */
    private record Single(INDArray values, int target, double[] delta, double relativeError, int steps) { }

    private Single explainTarget(ImageModel m, INDArray x, Integer target) {
        Explanation e = target == null ? explainer.run(m, x) : explainer.run(m, x, target);
        double relative = e.outputDifference().length > 0 ? e.relativeError(0) : Double.NaN;
        return new Single(e.values(), e.targets()[0], e.convergenceDelta(), relative, e.steps());
    }

    private Single explainObjective(ImageModel m, INDArray x, Objective objective) {
        if (!method.producesMap()) {
            Attribution a = explainer.attributionMethod(m).attribute(x, objective);
            double relative = a.outputDifference().length > 0 ? a.relativeError(0) : Double.NaN;
            return new Single(a.values(), -1, a.convergenceDelta(), relative, a.steps());
        }
        ActivationMap map = explainer.activationMapper(m, layer).map(x, objective);
        return new Single(map.maps(), -1, new double[0], Double.NaN, 0);
    }

    private static Map<String, Object> box(FaceBox b) {
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("x", b.x());
        box.put("y", b.y());
        box.put("width", b.width());
        box.put("height", b.height());
        return box;
    }

    /** A photograph at its own size (the detector pads and resizes it itself). */
    private static RgbImage readPhoto(Path file, String what) {
        try {
            return ImageLoader.builder().build().read(file);
        } catch (IOException e) {
            String problem = Xai4j.oneLine(e).replace("cannot read image " + file + ": ", "");
            throw new UsageException("cannot read " + what + " " + file + ": " + problem, e);
        }
    }
}
