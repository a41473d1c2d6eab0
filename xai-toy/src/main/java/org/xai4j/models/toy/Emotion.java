package org.xai4j.models.toy;

import java.util.Arrays;
import java.util.List;

/**
 * The seven basic facial expressions of the VGGEmotion task (FER-2013 order); the enum ordinal is the
 * emotion label.
 *
 * <p>In the {@link FaceWorld} every expression is drawn through a distinct combination of mouth,
 * eyebrow and eye shapes:
 *
 * <table>
 *   <caption>How each expression is rendered</caption>
 *   <tr><th>Emotion</th><th>Mouth</th><th>Eyebrows</th><th>Eyes</th></tr>
 *   <tr><td>angry</td><td>clenched teeth</td><td>lowered, angled inward (V)</td><td>narrowed, lids slanting inward</td></tr>
 *   <tr><td>disgust</td><td>asymmetric sneer</td><td>asymmetric: one lowered, one raised</td><td>squinting, nose wrinkles</td></tr>
 *   <tr><td>fear</td><td>wavy, open and stretched</td><td>raised, inner ends highest</td><td>wide open, small irises</td></tr>
 *   <tr><td>happy</td><td>open smile with teeth</td><td>relaxed, arched</td><td>closed crescents</td></tr>
 *   <tr><td>sad</td><td>frown</td><td>inner ends raised (slanted)</td><td>half closed, drooping outward</td></tr>
 *   <tr><td>surprise</td><td>round open "O"</td><td>high and arched</td><td>wide open</td></tr>
 *   <tr><td>neutral</td><td>flat line</td><td>straight</td><td>normal</td></tr>
 * </table>
 */
public enum Emotion {
    /** Anger. */
    ANGRY("angry"),
    /** Disgust. */
    DISGUST("disgust"),
    /** Fear. */
    FEAR("fear"),
    /** Happiness. */
    HAPPY("happy"),
    /** Sadness. */
    SAD("sad"),
    /** Surprise. */
    SURPRISE("surprise"),
    /** No particular expression. */
    NEUTRAL("neutral");

    private final String displayName;

    Emotion(String displayName) {
        this.displayName = displayName;
    }

    /**
     * Returns the human-readable, lower-case name used as label name.
     *
     * @return the display name, e.g. {@code "happy"}
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns the display names of all emotions in label (ordinal) order.
     *
     * @return an immutable list of display names
     */
    public static List<String> displayNames() {
        return Arrays.stream(values()).map(Emotion::displayName).toList();
    }
}
