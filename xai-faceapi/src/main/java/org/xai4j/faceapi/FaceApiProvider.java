package org.xai4j.faceapi;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.ModelProvider;
import org.xai4j.models.ModelProviders;
import org.xai4j.models.ModelSettings;
import org.xai4j.models.VggAdapter;

/**
 * face-api's trained networks as a model source: {@code faceapi:expression}, {@code faceapi:landmarks},
 * {@code faceapi:recognition}, {@code faceapi:age-gender} and {@code faceapi:detector}, from the weights shipped with
 * this module. Found by the model-provider registry through {@code META-INF/services}, so every command, the study,
 * Spark and the Java API name them the same way. Preprocessing and input size come with the model.
 *
 * <p>Only the expression network is a classifier; for the other heads the classifier's "classes" are the head's
 * outputs (see {@link FaceApiModel}), labelled as face-api names them.
 */
public final class FaceApiProvider implements ModelProvider {

    @Override public String name() {
        return "face-api trained network";
    }

    @Override public List<String> schemes() {
        return List.of("faceapi");
    }

    @Override public List<String> names() {
        return FaceApiModels.NAMES.stream().map(n -> FaceApiModels.PREFIX + n).toList();
    }

    @Override public void validate(ModelSettings settings) {
        if (!names().contains(settings.source())) {
            throw new IllegalArgumentException("unknown model '" + settings.source() + "'; expected "
                    + ModelProviders.known());
        }
        if (settings.preprocessing() != null) {
            throw new IllegalArgumentException(settings.source() + " comes with face-api's own normalization; give "
                    + "no preprocessing (got " + settings.preprocessing() + ")");
        }
        if (settings.inputShape() != null && !settings.source().equals(FaceApiModels.PREFIX + "detector")) {
            throw new IllegalArgumentException(settings.source() + " has a fixed input size; give no input shape (got "
                    + Arrays.toString(settings.inputShape()) + ")");
        }
        long[] shape = settings.inputShape();
        if (shape != null && (shape[0] != 3 || shape[1] != shape[2] || shape[1] % 32 != 0)) {
            throw new IllegalArgumentException("faceapi:detector takes a square RGB input whose side is a multiple of "
                    + "32, got " + Arrays.toString(shape));
        }
    }

    @Override public ImageClassifier load(ModelSettings settings) throws ModelLoadException {
        FaceApiModel m;
        try {
            m = settings.inputShape() != null ? FaceApiModels.detector((int) settings.inputShape()[1])
                    : FaceApiModels.load(settings.source());
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot load the shipped model " + settings.source() + ": "
                    + e.getMessage(), e);
        }
        List<String> labels = m.labels();
        if (settings.labels() != null) {
            try {
                labels = VggAdapter.readLabels(Path.of(settings.labels()), labels.size());
            } catch (ModelLoadException e) {
                m.close();
                throw e;
            }
        }
        return new ImageClassifier(m.name(), m.model(), labels, m.preprocessing().preprocessing(), m.inputShape());
    }

    /**
     * The face-api view of a classifier this provider loaded: the same model (not a copy; closing either closes it),
     * with its head, so that {@link FaceAnalyzer#input} and {@link RegionMasks#of(DetectedFace, FaceApiModel, double)}
     * can cut the region of a face that network sees.
     *
     * @param classifier a classifier whose name is a face-api model name ({@code faceapi:expression}, ...)
     * @return the model view
     * @throws IllegalArgumentException if the classifier is not a face-api network
     */
    public static FaceApiModel faceApiModel(ImageClassifier classifier) {
        FaceApiModel.Head head = FaceApiModels.head(classifier.name());
        FaceApiPreprocessing preprocessing = head == FaceApiModel.Head.DETECTOR
                ? FaceApiPreprocessing.TINY_FACE_DETECTOR : FaceApiPreprocessing.FACE;
        return new FaceApiModel(classifier.name(), head, classifier.model(), classifier.labels(), preprocessing,
                classifier.inputShape());
    }

    @Override public String toString() {
        return name();
    }
}
