package org.xai4j.faceapi;

import java.util.Objects;

/**
 * A face found in a photograph, with the regions face-api feeds its networks: the detection (whose clipped box the
 * landmark network sees), the landmarks, the min-bbox alignment (expression and age/gender networks) and the dlib-style
 * alignment (recognition network).
 *
 * @param detection   the detector's box and score
 * @param landmarks   the 68 landmarks in image pixels
 * @param alignedBox  face-api's {@code alignedRect} box
 * @param dlibBox     the box face-api computes descriptors on
 */
public record DetectedFace(FaceDetection detection, FaceLandmarks68 landmarks, FaceBox alignedBox, FaceBox dlibBox) {

    /** Checks for nulls. */
    public DetectedFace {
        Objects.requireNonNull(detection, "detection must not be null");
        Objects.requireNonNull(landmarks, "landmarks must not be null");
        Objects.requireNonNull(alignedBox, "alignedBox must not be null");
        Objects.requireNonNull(dlibBox, "dlibBox must not be null");
    }

    /** The whole-pixel region the expression and age/gender networks see. */
    public FaceBox alignedCrop() {
        return alignedBox.clipAtImageBorders(detection.imageWidth(), detection.imageHeight());
    }

    /** The whole-pixel region the recognition network sees. */
    public FaceBox descriptorCrop() {
        return dlibBox.clipAtImageBorders(detection.imageWidth(), detection.imageHeight());
    }

    /**
     * The region a model of this module sees for this face.
     *
     * @param model a face network (not the detector)
     * @return the recognition network's dlib box for {@link FaceApiModel.Head#DESCRIPTOR}, the detection box for
     *         {@link FaceApiModel.Head#LANDMARKS}, the aligned box otherwise
     */
    public FaceBox cropFor(FaceApiModel model) {
        return switch (model.head()) {
            case DESCRIPTOR -> descriptorCrop();
            case LANDMARKS -> detection.crop();
            case CLASSIFIER, AGE_GENDER -> alignedCrop();
            case DETECTOR -> throw new IllegalArgumentException("the detector sees whole images, not faces");
        };
    }
}
