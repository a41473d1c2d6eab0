package org.xai4j.faceapi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.viz.RgbImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * face-api's {@code detectAllFaces(image, new TinyFaceDetectorOptions()).withFaceLandmarks()}: detects the faces of a
 * photograph, runs the 68-landmark network on each detection's region, and derives the aligned regions the other
 * networks see. {@link #input} then cuts the input of any face network for a face, as face-api does.
 * Close it to free its two networks.
 */
public final class FaceAnalyzer implements AutoCloseable {

    private final FaceDetector detector;
    private final FaceApiModel landmarks;

    /**
     * An analyzer with the given detector.
     *
     * @param detector the detector (owned by the analyzer from now on)
     */
    public FaceAnalyzer(FaceDetector detector) {
        this.detector = Objects.requireNonNull(detector, "detector must not be null");
        this.landmarks = FaceApiModels.load("landmarks");
    }

    /** An analyzer with face-api's default detector settings (input 416, score above 0.5). */
    public FaceAnalyzer() {
        this(FaceDetector.builder().build());
    }

    /**
     * Finds the faces of an image with their landmarks.
     *
     * @param image the photograph
     * @return the faces, in detection order (highest score first)
     */
    public List<DetectedFace> analyze(RgbImage image) {
        Objects.requireNonNull(image, "image must not be null");
        List<DetectedFace> faces = new ArrayList<>();
        for (FaceDetection detection : detector.detect(image)) {
            FaceBox region = detection.crop();
            if (region.width() <= 0 || region.height() <= 0) {
                continue; // face-api's extractFaceTensors drops empty regions too
            }
            INDArray out = landmarks.outputs(FaceInputs.crop(image, region, landmarks.inputSize(), true));
            FaceLandmarks68 points = FaceLandmarks68.fromOutput(out.toFloatVector(), region, detection.box().x(),
                    detection.box().y(), landmarks.inputSize());
            faces.add(new DetectedFace(detection, points, points.alignedBox(), points.dlibBox()));
        }
        return faces;
    }

    /**
     * The input of a face network for one face: the face's region for that network, padded and resized as face-api
     * does.
     *
     * @param image the photograph the face was found in
     * @param face  the face
     * @param model the network
     * @return {@code [1, 3, size, size]} pixels in [0, 1]
     */
    public static INDArray input(RgbImage image, DetectedFace face, FaceApiModel model) {
        return FaceInputs.crop(image, face.cropFor(model), model.inputSize(), true);
    }

    @Override public void close() {
        try {
            landmarks.close();
        } finally {
            detector.close();
        }
    }

    @Override public String toString() {
        return "FaceAnalyzer[" + detector + ", " + landmarks.name() + "]";
    }
}
