package org.xai4j.faceapi;

import java.util.Locale;
import java.util.Objects;

/**
 * A detected face: its score and box in image pixels, as face-api's {@code FaceDetection} reports them.
 *
 * @param score       the detector's confidence, in (0, 1)
 * @param box         the box in image pixels (may reach past the image borders)
 * @param imageWidth  the width of the image it was found in
 * @param imageHeight the height of the image it was found in
 */
public record FaceDetection(double score, FaceBox box, int imageWidth, int imageHeight) {

    /** Checks the values. */
    public FaceDetection {
        Objects.requireNonNull(box, "box must not be null");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
        if (imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
        }
    }

    /** The region face-api cuts out for the landmark network: the box clipped to the image, whole pixels. */
    public FaceBox crop() {
        return box.clipAtImageBorders(imageWidth, imageHeight);
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "FaceDetection[score=%.4f, %s]", score, box);
    }
}
