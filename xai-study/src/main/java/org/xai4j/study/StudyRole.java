package org.xai4j.study;

import org.xai4j.models.ImageClassifier;
import org.xai4j.models.toy.ToyModels;

/**
 * The three networks of the seed study, which share one architecture and differ in training. Each role has a shipped
 * toy stand-in ({@link ToyModels}) that the study runs on unless {@link StudyConfig.Builder#optModel} gives a network.
 */
public enum StudyRole {

    /** A network trained on objects: VGG16 in the seed, ObjectVGG among the toy models. */
    OBJECTS("object", "VGG16"),
    /** A network trained on identities: VGGFace in the seed, FaceVGG among the toy models. */
    FACES("face", "VGGFace"),
    /** The face network with its last conv layer retrained for emotions: VGGEmotion in the seed, EmotionVGG here. */
    EMOTIONS("emotion", "VGGEmotion");

    private final String key;
    private final String seedNetwork;

    StudyRole(String key, String seedNetwork) {
        this.key = key;
        this.seedNetwork = seedNetwork;
    }

    /**
     * The role's short name in the report's file names and in {@code summary.json}.
     *
     * @return {@code object}, {@code face} or {@code emotion}
     */
    public String key() {
        return key;
    }

    /**
     * The network the seed study used in this role.
     *
     * @return {@code VGG16}, {@code VGGFace} or {@code VGGEmotion}
     */
    public String seedNetwork() {
        return seedNetwork;
    }

    /** Loads the shipped toy model of this role (the caller closes it). */
    ImageClassifier loadToyModel() {
        return switch (this) {
            case OBJECTS -> ToyModels.objectVgg();
            case FACES -> ToyModels.faceVgg();
            case EMOTIONS -> ToyModels.emotionVgg();
        };
    }
}
