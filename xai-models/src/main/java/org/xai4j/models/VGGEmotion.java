package org.xai4j.models;

import java.util.List;

/**
 * VGGEmotion: VGGFace retrained by transfer learning to recognize seven emotions (see
 * {@link org.xai4j.models.transfer.EmotionTransfer}). Its body is VGGFace's; only {@code block5_conv3} was retrained,
 * and the head is {@code block5_pool -> batch_normalization -> dropout -> flatten -> predictions} (softmax over
 * {@link #EMOTIONS}).
 */
public final class VGGEmotion {

    /** The seven emotions, in class-index order (the FER-2013 order). */
    public static final List<String> EMOTIONS = List.of("angry", "disgust", "fear", "happy", "sad", "surprise",
            "neutral");

    private VGGEmotion() { }

    /** VGGFace's body (224x224) with the emotion head for the seven {@link #EMOTIONS}. */
    public static VggArchitecture architecture() {
        return VGGFace.architecture().toBuilder().optNormalizedHead(true).optNumClasses(EMOTIONS.size()).build();
    }

    /**
     * A builder with the VGGEmotion defaults: {@link #architecture()}, {@link Preprocessing#VGGFACE} (it was trained on
     * VGGFace's input), the {@link #EMOTIONS} as labels (numbered labels for another class count).
     */
    public static VggAdapter.Builder builder() {
        return new VggAdapter.Builder("VGGEmotion", architecture(), Preprocessing.VGGFACE,
                n -> n == EMOTIONS.size() ? EMOTIONS : VggAdapter.numberedLabels(n));
    }
}
