package org.xai4j.faceapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import org.xai4j.viz.RgbImage;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The whole face-api pipeline on the fixture photographs against face-api's recorded results: detector output and
 * boxes, landmarks, the aligned regions, and the expression, descriptor and age/gender outputs on those regions.
 * Both sides read the same PNG pixels (pngjs in Node, ImageIO here).
 */
class FaceApiPhotosTest {

    private static FaceAnalyzer analyzer;
    private static FaceApiModel expression;
    private static FaceApiModel recognition;
    private static FaceApiModel ageGender;
    private static final Map<String, Double> MEASURED = new TreeMap<>();

    @BeforeAll
    static void load() {
        analyzer = new FaceAnalyzer();
        expression = FaceApiModels.load("expression");
        recognition = FaceApiModels.load("recognition");
        ageGender = FaceApiModels.load("age-gender");
    }

    @AfterAll
    static void close() {
        analyzer.close();
        expression.close();
        recognition.close();
        ageGender.close();
        System.out.println("max |java - face-api| on photos: " + MEASURED);
    }

    @Test
    void detectorOutputMatchesFaceApi() {
        try (FaceDetector detector = FaceDetector.builder().build()) {
            for (JsonNode photo : FaceApiReference.ROOT.get("photos")) {
                RgbImage image = FaceApiReference.photo(photo.get("name").asText());
                float[] expected = FaceApiReference.floats(photo.get("detectorOutput"));
                float[] actual = detector.model().outputs(FaceInputs.detectorInput(image, 416)).toFloatVector();
                assertThat(actual).hasSize(13 * 13 * 25);
                double diff = FaceApiReference.maxAbsDiff(actual, expected);
                max("detector grid", diff);
                // raw logits up to ~|10|; float32 through 7 layers with different summation orders
                assertThat(diff).as(photo.get("name").asText()).isLessThan(1e-3 * Math.max(1, FaceApiReference.maxAbs(expected)));
            }
        }
    }

    @Test
    void facesMatchFaceApi() {
        for (JsonNode photo : FaceApiReference.ROOT.get("photos")) {
            String name = photo.get("name").asText();
            RgbImage image = FaceApiReference.photo(name);
            List<DetectedFace> faces = analyzer.analyze(image);
            JsonNode expectedFaces = photo.get("faces");
            assertThat(faces).as(name).hasSize(expectedFaces.size());
            for (int i = 0; i < faces.size(); i++) {
                DetectedFace face = faces.get(i);
                JsonNode ref = expectedFaces.get(i);
                String what = name + " face " + i;
                FaceBox box = face.detection().box();
                FaceBox refBox = FaceApiReference.box(ref.get("box"));
                max("score", Math.abs(face.detection().score() - ref.get("score").asDouble()));
                max("box px", boxDiff(box, refBox));
                assertThat(face.detection().score()).as(what).isCloseTo(ref.get("score").asDouble(), offset(1e-4));
                // "boxes to a pixel": every edge within 0.5 px (measured: far below)
                assertThat(boxDiff(box, refBox)).as(what + " box").isLessThan(0.5);
                assertThat(face.detection().crop()).as(what + " landmark crop")
                        .isEqualTo(FaceApiReference.box(ref.get("landmarkCrop")));

                double landmarkDiff = 0;
                double[] xs = face.landmarks().xs();
                double[] ys = face.landmarks().ys();
                for (int k = 0; k < 68; k++) {
                    landmarkDiff = Math.max(landmarkDiff, Math.max(
                            Math.abs(xs[k] - ref.get("landmarks").get(k).get(0).asDouble()),
                            Math.abs(ys[k] - ref.get("landmarks").get(k).get(1).asDouble())));
                }
                max("landmarks px", landmarkDiff);
                assertThat(landmarkDiff).as(what + " landmarks (pixels)").isLessThan(0.01);
                max("aligned box px", boxDiff(face.alignedBox(), FaceApiReference.box(ref.get("alignedBox"))));
                assertThat(boxDiff(face.alignedBox(), FaceApiReference.box(ref.get("alignedBox")))).isLessThan(0.01);
                assertThat(face.alignedCrop()).as(what + " aligned crop")
                        .isEqualTo(FaceApiReference.box(ref.get("alignedCrop")));
                assertThat(face.dlibBox()).as(what + " dlib box").isEqualTo(FaceApiReference.box(ref.get("descriptorBox")));
                assertThat(face.descriptorCrop()).as(what + " descriptor crop")
                        .isEqualTo(FaceApiReference.box(ref.get("descriptorCrop")));

                float[] probabilities = expression.model().probabilities(FaceAnalyzer.input(image, face, expression))
                        .toFloatVector();
                float[] descriptor = recognition.outputs(FaceAnalyzer.input(image, face, recognition)).toFloatVector();
                AgeGender ag = AgeGender.fromOutput(ageGender.outputs(FaceAnalyzer.input(image, face, ageGender))
                        .toFloatVector());
                double pd = FaceApiReference.maxAbsDiff(probabilities, FaceApiReference.floats(ref.get("expressions")));
                double dd = FaceApiReference.maxAbsDiff(descriptor, FaceApiReference.floats(ref.get("descriptor")));
                max("expression", pd);
                max("descriptor", dd);
                max("age", Math.abs(ag.age() - ref.get("age").asDouble()));
                max("gender probability", Math.abs(ag.genderProbability() - ref.get("genderProbability").asDouble()));
                assertThat(pd).as(what + " expressions").isLessThan(1e-4);
                assertThat(dd).as(what + " descriptor").isLessThan(1e-4);
                assertThat(ag.age()).as(what + " age").isCloseTo(ref.get("age").asDouble(), offset(1e-3));
                assertThat(ag.gender()).as(what + " gender").isEqualTo(ref.get("gender").asText());
                assertThat(ag.genderProbability()).isCloseTo(ref.get("genderProbability").asDouble(), offset(1e-4));
            }
        }
    }

    private static double boxDiff(FaceBox a, FaceBox b) {
        return Math.max(Math.max(Math.abs(a.x() - b.x()), Math.abs(a.y() - b.y())),
                Math.max(Math.abs(a.right() - b.right()), Math.abs(a.bottom() - b.bottom())));
    }

    private static synchronized void max(String what, double value) {
        MEASURED.merge(what, value, Math::max);
    }
}
