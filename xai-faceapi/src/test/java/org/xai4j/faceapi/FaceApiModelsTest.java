package org.xai4j.faceapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.viz.RgbImage;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The networks' outputs against face-api's own on the fixed test patterns of make_reference.js: the same pixels go
 * into both (the 112 pattern is resized to 150 for the recognition network and the 150 pattern to 112 for the others,
 * by both sides' bilinear resize).
 */
class FaceApiModelsTest {

    private static FaceApiModel expression;
    private static FaceApiModel landmarks;
    private static FaceApiModel recognition;
    private static FaceApiModel ageGender;
    private static final Map<String, Double> MEASURED = new TreeMap<>();

    @BeforeAll
    static void load() {
        expression = FaceApiModels.load("faceapi:expression");
        landmarks = FaceApiModels.load("landmarks");
        recognition = FaceApiModels.load("faceapi:recognition");
        ageGender = FaceApiModels.load("AGE-GENDER");
    }

    @AfterAll
    static void close() {
        expression.close();
        landmarks.close();
        recognition.close();
        ageGender.close();
        System.out.println("max |java - face-api| on patterns: " + MEASURED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"112", "150", "gray112"})
    void outputsMatchFaceApiOnPatterns(String key) {
        JsonNode ref = FaceApiReference.ROOT.get("patterns").get(key);
        RgbImage image = key.equals("gray112") ? RgbImage.filled(112, 112, 0x808080)
                : FaceApiReference.pattern(Integer.parseInt(key));

        float[] probabilities = expression.model().probabilities(input(image, expression)).toFloatVector();
        float[] raw = landmarks.outputs(input(image, landmarks)).toFloatVector();
        float[] descriptor = recognition.outputs(input(image, recognition)).toFloatVector();
        float[] ag = ageGender.outputs(input(image, ageGender)).toFloatVector();
        AgeGender prediction = AgeGender.fromOutput(ag);

        assertThat(probabilities).hasSize(7);
        assertThat(raw).hasSize(136);
        assertThat(descriptor).hasSize(128);
        record("expression " + key, FaceApiReference.maxAbsDiff(probabilities, FaceApiReference.floats(ref.get("expression"))));
        record("landmarks " + key, FaceApiReference.maxAbsDiff(raw, FaceApiReference.floats(ref.get("landmarksRaw"))));
        record("descriptor " + key, FaceApiReference.maxAbsDiff(descriptor, FaceApiReference.floats(ref.get("descriptor"))));
        record("age " + key, Math.abs(prediction.age() - ref.get("age").asDouble()));
        record("gender " + key, Math.abs(prediction.maleProbability() - ref.get("gender").get(0).asDouble()));

        // float32 tolerances: both sides compute in float32 with different summation orders (oneDNN vs TF.js's
        // loops) through ~30 layers; probabilities and relative landmark coordinates are O(1), descriptor values
        // O(0.1), age O(10) years.
        assertThat(FaceApiReference.maxAbsDiff(probabilities, FaceApiReference.floats(ref.get("expression"))))
                .isLessThan(1e-4);
        assertThat(FaceApiReference.maxAbsDiff(raw, FaceApiReference.floats(ref.get("landmarksRaw")))).isLessThan(1e-4);
        assertThat(FaceApiReference.maxAbsDiff(descriptor, FaceApiReference.floats(ref.get("descriptor"))))
                .isLessThan(1e-4);
        assertThat(prediction.age()).isCloseTo(ref.get("age").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(prediction.maleProbability()).isCloseTo(ref.get("gender").get(0).asDouble(),
                org.assertj.core.data.Offset.offset(1e-4));
    }

    private static INDArray input(RgbImage image, FaceApiModel model) {
        return FaceInputs.crop(image, new FaceBox(0, 0, image.width(), image.height()), model.inputSize(), true);
    }

    private static synchronized void record(String what, double diff) {
        MEASURED.put(what, diff);
    }
}
