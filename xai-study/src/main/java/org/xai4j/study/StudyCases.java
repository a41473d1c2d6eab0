package org.xai4j.study;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.engine.ImageModel;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.FaceWorld;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.toy.ToySample;
import org.xai4j.viz.RgbImage;

/** Chooses what each network of the study explains: held-out toy-world samples, or the given images. */
final class StudyCases {

    private StudyCases() { }

    /**
     * The toy world: per network, correct samples of distinct classes and a misclassified one (as the seed shows
     * both), chosen among the first held-out samples; FaceVGG and EmotionVGG share their faces.
     *
     * @param accuracy receives each network's accuracy on the scanned samples, by role key
     */
    static List<StudyCase> toyWorld(Map<StudyRole, ImageClassifier> models, Workload w,
                                    Map<String, Double> accuracy) {
        ImageClassifier object = models.get(StudyRole.OBJECTS);
        ImageClassifier face = models.get(StudyRole.FACES);
        ImageClassifier emotion = models.get(StudyRole.EMOTIONS);
        List<StudyCase> cases = new ArrayList<>();
        List<ToySample> objectSamples = ToyModels.objectWorld().batch(ToyModels.TEST_START, w.scan());
        accuracy.put(StudyRole.OBJECTS.key(), accuracy(object, objectSamples, ToySample::label));
        cases.add(new StudyCase(StudyRole.OBJECTS, object, pick(object, objectSamples, w.inputs())));
        List<ToySample> faceSamples = ToyModels.faceWorld(FaceTask.EMOTION).batch(ToyModels.TEST_START, w.scan());
        accuracy.put(StudyRole.FACES.key(), accuracy(face, faceSamples, ToySample::identity));
        accuracy.put(StudyRole.EMOTIONS.key(), accuracy(emotion, faceSamples, t -> t.emotion().ordinal()));
        List<StudyInput> faceInputs = pick(emotion, faceSamples, w.inputs());
        cases.add(new StudyCase(StudyRole.FACES, face, faceInputs));
        cases.add(new StudyCase(StudyRole.EMOTIONS, emotion, faceInputs));
        return cases;
    }

    /** The given images, resized and center-cropped to each network's input, for the roles in order. */
    static List<StudyCase> onImages(List<StudyRole> roles, Map<StudyRole, ImageClassifier> models,
                                    List<StudyImage> images) {
        List<StudyCase> cases = new ArrayList<>();
        for (StudyRole role : roles) {
            ImageClassifier m = models.get(role);
            List<StudyInput> inputs = new ArrayList<>();
            for (StudyImage image : images) {
                inputs.add(new StudyInput(image.name(), m.inputs().fit(image.image()), Map.of(), Map.of()));
            }
            cases.add(new StudyCase(role, m, inputs));
        }
        return cases;
    }

    static RgbImage image(ToySample sample) {
        return new RgbImage(sample.pixels(), sample.height(), sample.width());
    }

    private static INDArray samplesBatch(List<ToySample> samples, ImageClassifier model) {
        return model.toInput(samples.stream().map(StudyCases::image).toArray(RgbImage[]::new));
    }

    private static double accuracy(ImageClassifier model, List<ToySample> samples, ToIntFunction<ToySample> truth) {
        int[] predicted = model.predict(samplesBatch(samples, model));
        int correct = 0;
        for (int i = 0; i < samples.size(); i++) {
            correct += predicted[i] == truth.applyAsInt(samples.get(i)) ? 1 : 0;
        }
        return (double) correct / samples.size();
    }

    /** Up to {@code inputs - 1} correct samples of distinct classes plus one misclassified, as the seed shows both. */
    private static List<StudyInput> pick(ImageClassifier model, List<ToySample> samples, int inputs) {
        int[] predicted = model.predict(samplesBatch(samples, model));
        List<ToySample> correct = new ArrayList<>();
        List<ToySample> wrong = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < samples.size(); i++) {
            ToySample s = samples.get(i);
            if (predicted[i] == s.label()) {
                if (seen.add(s.label())) {
                    correct.add(s);
                }
            } else {
                wrong.add(s);
            }
        }
        List<ToySample> chosen = new ArrayList<>(correct.subList(0, Math.min(correct.size(),
                wrong.isEmpty() ? inputs : inputs - 1)));
        for (int i = 0; i < wrong.size() && chosen.size() < inputs; i++) {
            chosen.add(wrong.get(i));
        }
        for (int i = 0; i < samples.size() && chosen.size() < inputs; i++) {
            if (!chosen.contains(samples.get(i))) {
                chosen.add(samples.get(i));
            }
        }
        return chosen.stream().map(StudyCases::toInput).toList();
    }

    private static StudyInput toInput(ToySample s) {
        Map<String, Integer> truth = new LinkedHashMap<>();
        if (s.isFace()) {
            truth.put(StudyRole.FACES.key(), s.identity());
            truth.put(StudyRole.EMOTIONS.key(), s.emotion().ordinal());
        } else {
            truth.put(StudyRole.OBJECTS.key(), s.label());
        }
        String name = (s.isFace() ? FaceWorld.identityNames().get(s.identity()) + " " + s.emotion().displayName()
                : s.labelName()) + " #" + (s.index() - ToyModels.TEST_START);
        return new StudyInput(name, image(s), truth, s.masks());
    }

    /** The held-out accuracies the toy models were shipped with ({@code toy-models.json}), if present. */
    static Map<String, Object> shippedAccuracies() {
        Map<String, Object> out = new LinkedHashMap<>();
        try (InputStream in = ToyModels.class.getResourceAsStream(ToyModels.SUMMARY_JSON)) {
            if (in == null) {
                return out;
            }
            JsonNode models = new ObjectMapper().readTree(in).path("models");
            for (String name : List.of(ToyModels.OBJECT_VGG, ToyModels.FACE_VGG, ToyModels.EMOTION_VGG)) {
                JsonNode m = models.path(name);
                if (m.has("heldOutAccuracy")) {
                    out.put(name, ReportWriter.num(m.path("heldOutAccuracy").asDouble()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // informational only: the report then omits the shipped accuracies
        }
        return out;
    }
}
