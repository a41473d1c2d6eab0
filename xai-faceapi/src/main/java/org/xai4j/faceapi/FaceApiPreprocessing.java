package org.xai4j.faceapi;

import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;

/**
 * face-api's input normalization ({@code ops/normalize.ts}): subtract a per-channel RGB mean from 0-255 pixels, then
 * divide by 255. On xai4j's [0, 1] pixels that is {@code x - mean / 255}, which every face-api model carries as its
 * first layer, {@code preprocessing} (a {@link LayerSpec.ChannelAffine} with scale 1), so that models take RGB pixels
 * in [0, 1] and baselines live in pixel space, as for every other xai4j model.
 */
public enum FaceApiPreprocessing {

    /** FaceFeatureExtractor, FaceRecognitionNet and TinyXception: mean RGB (122.782, 117.001, 104.298). */
    FACE(122.782, 117.001, 104.298),

    /** TinyFaceDetector ({@code tinyFaceDetector/const.ts}): mean RGB (117.001, 114.697, 97.404). */
    TINY_FACE_DETECTOR(117.001, 114.697, 97.404);

    /** The name of the layer that performs it inside a model. */
    public static final String LAYER_NAME = "preprocessing";

    private final double[] meanRgb;

    FaceApiPreprocessing(double... meanRgb) {
        this.meanRgb = meanRgb;
    }

    /** The means subtracted from 0-255 RGB pixels, in RGB order. */
    public double[] meanRgb() {
        return meanRgb.clone();
    }

    /** The layer {@code preprocessing}: {@code y = x - mean[c] / 255} on [0, 1] RGB pixels. */
    public LayerSpec layer() {
        // Double precision: the model casts to its own type, so a float64 model gets the exact shift.
        return new LayerSpec.ChannelAffine(LAYER_NAME, Nd4j.createFromArray(1.0, 1.0, 1.0),
                Nd4j.createFromArray(-meanRgb[0] / 255, -meanRgb[1] / 255, -meanRgb[2] / 255),
                ActivationFunction.IDENTITY, 0);
    }

    @Override public String toString() {
        return name() + "[(rgb - (" + meanRgb[0] + ", " + meanRgb[1] + ", " + meanRgb[2] + ")) / 255]";
    }
}
