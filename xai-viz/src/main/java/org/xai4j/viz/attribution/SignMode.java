package org.xai4j.viz.attribution;

/**
 * Which attributions to show, as Captum's {@code sign} argument of {@code visualize_image_attr}.
 */
public enum SignMode {

    /** Only positive attributions (evidence for the class); negatives become 0. Normalized to {@code [0, 1]}. */
    POSITIVE,
    /** Only negative attributions (evidence against), shown by magnitude; positives become 0. {@code [0, 1]}. */
    NEGATIVE,
    /** Magnitudes regardless of sign. Normalized to {@code [0, 1]}. Captum's default. */
    ABSOLUTE,
    /** Both signs, normalized to {@code [-1, 1]} and shown with a diverging colormap centered at 0. */
    ALL;

    /**
     * Returns whether normalized values keep their sign, i.e. lie in {@code [-1, 1]} rather than {@code [0, 1]}
     * and call for a diverging colormap.
     *
     * @return true only for {@link #ALL}
     */
    public boolean isSigned() {
        return this == ALL;
    }
}
