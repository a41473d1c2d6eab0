package org.xai4j.faceapi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ImageModel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A loaded face-api network, ready to explain: the differentiable model (it takes RGB pixel batches
 * {@code [n, 3, size, size]} in [0, 1], face-api's normalization embedded as its first layer), one label per output,
 * the normalization and the input shape. Load one with {@link FaceApiModels#load(String)}; closing it closes the
 * model.
 *
 * <p>Only the expression network is a classifier. The other heads are exposed the same way, their outputs standing
 * where a classifier's logits stand ({@link ImageModel#logits}); {@link #head()} says what they mean:
 * <ul>
 *   <li>{@link Head#LANDMARKS}: 136 values {@code x0, y0, ..., x67, y67}, each landmark's position relative to the
 *       square network input (0 = left/top edge, 1 = right/bottom edge; {@link FaceLandmarks68#fromOutput});</li>
 *   <li>{@link Head#DESCRIPTOR}: the 128-d identity descriptor (face-api compares descriptors by Euclidean distance,
 *       0.6 being its match threshold; {@link DescriptorSimilarity} is the objective for explanations);</li>
 *   <li>{@link Head#AGE_GENDER}: {@code [age, male, female]}: the age in years and the two gender logits
 *       (face-api's gender probability is their softmax; {@link AgeGender#fromOutput});</li>
 *   <li>{@link Head#DETECTOR}: TinyFaceDetector's raw grid (see {@link FaceDetector}).</li>
 * </ul>
 * Softmax probabilities ({@link ImageModel#probabilities}) are meaningful only for {@link Head#CLASSIFIER}.
 *
 * @param name          the registered name, e.g. {@code faceapi:expression}
 * @param head          what the outputs mean
 * @param model         the model
 * @param labels        one label per output, in output order
 * @param preprocessing the normalization embedded in the model
 * @param inputShape    one example's shape {@code [3, size, size]}
 */
public record FaceApiModel(String name, Head head, ImageModel model, List<String> labels,
                           FaceApiPreprocessing preprocessing, long[] inputShape) implements AutoCloseable {

    /** What a model's outputs are. */
    public enum Head {
        /** Class logits (the expression network: softmax gives face-api's expression probabilities). */
        CLASSIFIER,
        /** 68 landmark positions, relative to the network input. */
        LANDMARKS,
        /** A 128-d face descriptor. */
        DESCRIPTOR,
        /** Age and two gender logits. */
        AGE_GENDER,
        /** The face detector's raw output grid. */
        DETECTOR
    }

    /**
     * Checks that the labels and input shape agree with the model, and copies them.
     *
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if the labels do not match the output count or the shape is not the model's
     */
    public FaceApiModel {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(head, "head must not be null");
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        Objects.requireNonNull(preprocessing, "preprocessing must not be null");
        Objects.requireNonNull(inputShape, "inputShape must not be null");
        if (labels.size() != model.numClasses()) {
            throw new IllegalArgumentException("got " + labels.size() + " labels for a model with "
                    + model.numClasses() + " outputs");
        }
        if (!Arrays.equals(inputShape, model.inputShape())) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(inputShape) + " is not the model's "
                    + Arrays.toString(model.inputShape()));
        }
        labels = List.copyOf(labels);
        inputShape = inputShape.clone();
    }

    /** One example's shape {@code [3, size, size]} (a copy). */
    @Override public long[] inputShape() {
        return inputShape.clone();
    }

    /** The side of the square input, in pixels. */
    public int inputSize() {
        return (int) inputShape[2];
    }

    /**
     * The model's outputs for a batch (its "logits", whatever the head).
     *
     * @param input {@code [n, 3, size, size]} RGB in [0, 1]
     * @return {@code [n, outputs]}
     */
    public INDArray outputs(INDArray input) {
        return model.logits(input);
    }

    @Override public void close() {
        model.close();
    }

    @Override public boolean equals(Object other) {
        return this == other;
    }

    @Override public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override public String toString() {
        return "FaceApiModel[" + name + ", " + head + ", input=" + Arrays.toString(inputShape) + ", outputs="
                + labels.size() + ", " + preprocessing + "]";
    }
}
