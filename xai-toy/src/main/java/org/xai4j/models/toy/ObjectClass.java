package org.xai4j.models.toy;

import java.util.Arrays;
import java.util.List;

/**
 * The six object classes of the {@link ObjectWorld}; the enum ordinal is the class label.
 *
 * <p>The classes are defined by shape (disk, square, triangle, ring, star) or by texture (stripes),
 * so that a network has to rely on the same kind of evidence VGG16 uses on ImageNet: outlines,
 * corners, holes and periodic texture, rather than color, which is random for every class.
 */
public enum ObjectClass {
    /** A filled, slightly elliptical disk. */
    DISK("disk"),
    /** A filled square (slight aspect-ratio jitter), rotated arbitrarily. */
    SQUARE("square"),
    /** A filled triangle with jittered vertices. */
    TRIANGLE("triangle"),
    /** A round or square patch textured with parallel two-color stripes. */
    STRIPES("stripes"),
    /** A thick annulus through which the background shows. */
    RING("ring"),
    /** A filled five-pointed star. */
    STAR("star");

    private final String displayName;

    ObjectClass(String displayName) {
        this.displayName = displayName;
    }

    /**
     * Returns the human-readable, lower-case name used as label name.
     *
     * @return the display name, e.g. {@code "disk"}
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns the display names of all classes in label (ordinal) order.
     *
     * @return an immutable list of display names
     */
    public static List<String> displayNames() {
        return Arrays.stream(values()).map(ObjectClass::displayName).toList();
    }
}
