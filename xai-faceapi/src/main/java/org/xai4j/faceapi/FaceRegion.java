package org.xai4j.faceapi;

/**
 * Face regions defined by the 68 landmarks, for asking where an attribution falls. Each region is the convex hull of
 * its landmarks (two hulls for the paired parts), widened by a margin ({@link RegionMasks}): the brows' landmarks
 * lie on a line, so without a margin they would cover no area.
 */
public enum FaceRegion {

    /** The outer lip contour, landmarks 48-59. */
    MOUTH(new int[][] {range(48, 60)}),
    /** Both eyes, landmarks 36-41 and 42-47. */
    EYES(new int[][] {range(36, 42), range(42, 48)}),
    /** Both brows, landmarks 17-21 and 22-26. */
    BROWS(new int[][] {range(17, 22), range(22, 27)}),
    /** The nose bridge and base, landmarks 27-35. */
    NOSE(new int[][] {range(27, 36)});

    private final int[][] parts;

    FaceRegion(int[][] parts) {
        this.parts = parts;
    }

    /** The landmark indices of each part (one hull per part). */
    int[][] parts() {
        return parts;
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
