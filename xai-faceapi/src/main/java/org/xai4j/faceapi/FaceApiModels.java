package org.xai4j.faceapi;

import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * face-api's trained face networks, loaded from the weights shipped in this module's resources
 * ({@code org/xai4j/faceapi/model/}, copied unchanged from the {@code model/} folder of the npm package
 * {@code @vladmandic/face-api} 1.7.15, MIT licence in {@code org/xai4j/faceapi/LICENSE}). No network access is needed.
 *
 * <table>
 *   <caption>Models</caption>
 *   <tr><th>name</th><th>face-api class, weights</th><th>input</th><th>outputs</th></tr>
 *   <tr><td>{@code faceapi:expression}</td><td>FaceExpressionNet, {@code face_expression_model}</td><td>112</td>
 *       <td>7 expression logits ({@link #EXPRESSION_LABELS})</td></tr>
 *   <tr><td>{@code faceapi:landmarks}</td><td>FaceLandmark68Net, {@code face_landmark_68_model}</td><td>112</td>
 *       <td>136 relative coordinates</td></tr>
 *   <tr><td>{@code faceapi:recognition}</td><td>FaceRecognitionNet, {@code face_recognition_model}</td><td>150</td>
 *       <td>128-d descriptor</td></tr>
 *   <tr><td>{@code faceapi:age-gender}</td><td>AgeGenderNet, {@code age_gender_model}</td><td>112</td>
 *       <td>age, male and female logits</td></tr>
 *   <tr><td>{@code faceapi:detector}</td><td>TinyFaceDetector, {@code tiny_face_detector_model}</td><td>416</td>
 *       <td>the raw 13x13x(5 anchors x 5) grid</td></tr>
 * </table>
 */
public final class FaceApiModels {

    /** The prefix of every registered name. */
    public static final String PREFIX = "faceapi:";

    /** face-api's expression labels ({@code FACE_EXPRESSION_LABELS}), in output order. */
    public static final List<String> EXPRESSION_LABELS =
            List.of("neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised");

    /** The names {@link #load} accepts (without the prefix). */
    public static final List<String> NAMES = List.of("expression", "landmarks", "recognition", "age-gender", "detector");

    /** The detector's default input size (face-api's {@code TinyFaceDetectorOptions} default). */
    public static final int DETECTOR_INPUT_SIZE = 416;

    private static final String RESOURCES = "/org/xai4j/faceapi/model/";

    private FaceApiModels() { }

    /**
     * Loads a network.
     *
     * @param name one of {@link #NAMES}, with or without the {@code faceapi:} prefix (case-insensitive)
     * @return the model with its labels, preprocessing and input shape; the caller closes it
     * @throws IllegalArgumentException if the name is unknown (the message lists the valid names)
     * @throws UncheckedIOException     if the shipped weights cannot be read (a broken build)
     */
    public static FaceApiModel load(String name) {
        String key = shortName(name);
        return switch (key) {
            case "expression" -> {
                NetworkSpec spec = FaceApiNetworks.featureExtractorWithHead(PREFIX + key, weights("face_expression_model"),
                        EXPRESSION_LABELS.size());
                yield model(key, head(key), spec, EXPRESSION_LABELS, FaceApiPreprocessing.FACE);
            }
            case "landmarks" -> {
                NetworkSpec spec = FaceApiNetworks.featureExtractorWithHead(PREFIX + key,
                        weights("face_landmark_68_model"), 136);
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < 68; i++) {
                    labels.add("x" + i);
                    labels.add("y" + i);
                }
                yield model(key, head(key), spec, labels, FaceApiPreprocessing.FACE);
            }
            case "recognition" -> {
                NetworkSpec spec = FaceApiNetworks.recognition(PREFIX + key, weights("face_recognition_model"));
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < 128; i++) {
                    labels.add("d" + i);
                }
                yield model(key, head(key), spec, labels, FaceApiPreprocessing.FACE);
            }
            case "age-gender" -> {
                NetworkSpec spec = FaceApiNetworks.ageGender(PREFIX + key, weights("age_gender_model"));
                yield model(key, head(key), spec, List.of("age", "male", "female"),
                        FaceApiPreprocessing.FACE);
            }
            case "detector" -> detector(DETECTOR_INPUT_SIZE);
            default -> throw new IllegalArgumentException("unknown face-api model '" + name + "'; valid names are "
                    + NAMES.stream().map(n -> PREFIX + n).toList() + " (the prefix is optional)");
        };
    }

    /**
     * What a network's outputs are, by name.
     *
     * @param name one of {@link #NAMES}, with or without the {@code faceapi:} prefix (case-insensitive)
     * @return the head
     * @throws IllegalArgumentException if the name is unknown (the message lists the valid names)
     */
    public static FaceApiModel.Head head(String name) {
        String key = shortName(name);
        return switch (key) {
            case "expression" -> FaceApiModel.Head.CLASSIFIER;
            case "landmarks" -> FaceApiModel.Head.LANDMARKS;
            case "recognition" -> FaceApiModel.Head.DESCRIPTOR;
            case "age-gender" -> FaceApiModel.Head.AGE_GENDER;
            case "detector" -> FaceApiModel.Head.DETECTOR;
            default -> throw new IllegalArgumentException("unknown face-api model '" + name + "'; valid names are "
                    + NAMES.stream().map(n -> PREFIX + n).toList() + " (the prefix is optional)");
        };
    }

    /**
     * Loads the TinyFaceDetector for an input size.
     *
     * @param inputSize the square input side, a positive multiple of 32 (face-api's rule); 416 by default, 608 finds
     *                  smaller faces
     * @return the detector network; its outputs are the raw grid {@link FaceDetector} decodes
     * @throws IllegalArgumentException if the size is not a positive multiple of 32
     */
    public static FaceApiModel detector(int inputSize) {
        if (inputSize <= 0 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("detector input size must be a positive multiple of 32, got " + inputSize);
        }
        NetworkSpec spec = FaceApiNetworks.tinyFaceDetector(PREFIX + "detector", weights("tiny_face_detector_model"),
                inputSize);
        int cells = gridCells(inputSize);
        List<String> labels = new ArrayList<>();
        String[] fields = {"x", "y", "w", "h", "score"};
        for (int r = 0; r < cells; r++) {
            for (int c = 0; c < cells; c++) {
                for (int a = 0; a < FaceDetector.ANCHORS.length; a++) {
                    for (String f : fields) {
                        labels.add("r" + r + "_c" + c + "_a" + a + "_" + f);
                    }
                }
            }
        }
        return model("detector", head("detector"), spec, labels, FaceApiPreprocessing.TINY_FACE_DETECTOR);
    }

    /** The detector's grid side for an input size: a VALID 3x3 convolution, then five 2x2 poolings (SAME). */
    static int gridCells(int inputSize) {
        int s = inputSize - 2;
        for (int i = 0; i < 5; i++) {
            s = (s + 1) / 2;
        }
        return s;
    }

    /**
     * The weights of one of the shipped networks.
     *
     * @param model the file stem, e.g. {@code face_expression_model}
     * @return its tensors
     * @throws UncheckedIOException if the resources cannot be read
     */
    public static TfjsWeights weights(String model) {
        String manifest = RESOURCES + model + "-weights_manifest.json";
        try (InputStream in = FaceApiModels.class.getResourceAsStream(manifest)) {
            if (in == null) {
                throw new IOException("resource " + manifest + " not found");
            }
            return TfjsWeights.read(in, manifest, p -> FaceApiModels.class.getResourceAsStream(RESOURCES + p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped face-api weights " + manifest, e);
        }
    }

    private static String shortName(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        return key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    }

    private static FaceApiModel model(String key, FaceApiModel.Head head, NetworkSpec spec, List<String> labels,
                                      FaceApiPreprocessing preprocessing) {
        Nd4jImageModel model = Nd4jImageModel.of(spec);
        return new FaceApiModel(PREFIX + key, head, model, labels, preprocessing, model.inputShape());
    }
}
