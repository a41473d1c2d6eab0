package org.xai4j.models.toy;

/**
 * Which attribute of a {@link FaceWorld} sample is used as its class label.
 *
 * <p>The rendered pixels and masks do not depend on the task: a {@code FaceWorld} of the same seed and size with another task yields
 * the very same images, only {@link ToySample#label()} and {@link ToySample#labelName()} change.
 */
public enum FaceTask {
    /** Label = identity index ({@link FaceWorld#IDENTITY_COUNT} classes), the VGGFace stand-in. */
    IDENTITY,
    /** Label = {@link Emotion} ordinal (seven classes), the VGGEmotion stand-in. */
    EMOTION
}
