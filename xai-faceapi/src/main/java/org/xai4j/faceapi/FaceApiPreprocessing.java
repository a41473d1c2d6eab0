package org.xai4j.faceapi;

import org.xai4j.models.Preprocessing;

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
    FACE("faceapi", 122.782, 117.001, 104.298),

    /** TinyFaceDetector ({@code tinyFaceDetector/const.ts}): mean RGB (117.001, 114.697, 97.404). */
    TINY_FACE_DETECTOR("faceapi-detector", 117.001, 114.697, 97.404);

    /** The name of the layer that performs it inside a model. */
    public static final String LAYER_NAME = "preprocessing_affine";

    private final double[] meanRgb;
    private final Preprocessing preprocessing;

    FaceApiPreprocessing(String name, double... meanRgb) {
        this.meanRgb = meanRgb;
        // face-api subtracts the means from 0-255 pixels and divides by 255: on [0, 1] pixels, x - mean / 255
        this.preprocessing = Preprocessing.meanStd(name, new double[] {meanRgb[0] / 255, meanRgb[1] / 255,
                meanRgb[2] / 255}, new double[] {1, 1, 1});
    }

    /**
     * The same normalization as xai4j's {@link Preprocessing}, which every model loader uses.
     *
     * @return the preprocessing
     */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The means subtracted from 0-255 RGB pixels, in RGB order. */
    public double[] meanRgb() {
        return meanRgb.clone();
    }

    /**
     * The layer {@code preprocessing_affine} ({@link Preprocessing#layers()}): {@code y = x - mean[c] / 255} on
     * [0, 1] RGB pixels.
     *
     * @return the layer
     */
    public LayerSpec layer() {
        return preprocessing.layers().get(0);
    }

    @Override public String toString() {
        return name() + "[(rgb - (" + meanRgb[0] + ", " + meanRgb[1] + ", " + meanRgb[2] + ")) / 255]";
    }
}
