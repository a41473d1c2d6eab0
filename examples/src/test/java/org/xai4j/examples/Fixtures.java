package org.xai4j.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.VggModel;
import org.xai4j.models.toy.Emotion;
import org.xai4j.models.toy.FaceWorld;
import org.xai4j.models.toy.ObjectClass;
import org.xai4j.models.toy.ToyModelTrainer;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.transfer.EmotionTransfer;

/**
 * Test models: the shipped toy mini-VGGs when their weights are on the classpath, otherwise untrained networks of the
 * same architectures (same layer names, shapes and cost), so the pipeline is tested either way.
 */
final class Fixtures {

    private static final Map<String, ComputationGraph> NETWORKS = new HashMap<>();

    private Fixtures() {
    }

    static boolean shippedModelsPresent() {
        return ToyModels.class.getResource(ToyModels.EMOTION_VGG_ZIP) != null
                && ToyModels.class.getResource(ToyModels.OBJECT_VGG_ZIP) != null
                && ToyModels.class.getResource(ToyModels.FACE_VGG_ZIP) != null;
    }

    static Study.ToySource toys() {
        return shippedModelsPresent() ? Study.ToySource.shipped() : untrained();
    }

    static synchronized ComputationGraph network(String key) {
        return NETWORKS.computeIfAbsent(key, k -> switch (k) {
            case "object" -> ToyModelTrainer.buildNetwork(ToyModels.objectArchitecture(), 1, 1e-3, 0);
            case "face" -> ToyModelTrainer.buildNetwork(ToyModels.faceArchitecture(), 2, 1e-3, 0);
            case "emotion" -> EmotionTransfer.builder().setBaseNetwork(network("face"))
                    .optBaseArchitecture(ToyModels.faceArchitecture()).optClasses(Emotion.displayNames())
                    .optSeed(3).build().graph();
            default -> throw new IllegalArgumentException(k);
        });
    }

    static Study.ToySource untrained() {
        return key -> ToyModels.toVggModel(name(key), network(key), architecture(key), labels(key));
    }

    private static VggArchitecture architecture(String key) {
        return switch (key) {
            case "object" -> ToyModels.objectArchitecture();
            case "face" -> ToyModels.faceArchitecture();
            default -> ToyModels.emotionArchitecture();
        };
    }

    private static String name(String key) {
        return switch (key) {
            case "object" -> ToyModels.OBJECT_VGG;
            case "face" -> ToyModels.FACE_VGG;
            default -> ToyModels.EMOTION_VGG;
        };
    }

    private static List<String> labels(String key) {
        return switch (key) {
            case "object" -> ObjectClass.displayNames();
            case "face" -> FaceWorld.identityNames();
            default -> Emotion.displayNames();
        };
    }
}
