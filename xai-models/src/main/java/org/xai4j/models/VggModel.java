package org.xai4j.models;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.Predictions;
import org.xai4j.engine.ImageModel;

import java.util.List;

/**
 * A loaded VGG network with its class labels.
 *
 * <p>In {@link InputSpace#PIXELS} (the default of every loader) {@link #model()} takes xai4j pixel-space input: RGB,
 * NCHW, values in [0, 1]. The network's {@link #preprocessing()} is embedded as the model's first layers
 * ({@code preprocessing_bgr}, {@code preprocessing_affine}), so gradients, attributions and <b>baselines live in pixel
 * space</b>: a black baseline is {@code zeros}, and attributions line up with the image as displayed. In
 * {@link InputSpace#MODEL} the model takes the network's own input; use {@link #toModelInput(INDArray)} to prepare
 * pixels for it.
 *
 * <p>The model's layers are named Keras-style whatever the source: {@code block1_conv1 ... block5_conv3},
 * {@code block1_pool ... block5_pool}, {@code flatten}, {@code fc1}, {@code fc2}, {@code predictions} (VGGEmotion:
 * {@code batch_normalization}, {@code dropout}, {@code flatten}, {@code predictions}); its logits are the pre-softmax
 * scores of {@code predictions}.
 *
 * @param name          the model's name ("VGG16", "VGGFace", "VGGEmotion")
 * @param model         the differentiable model
 * @param labels        one label per class, in class-index order
 * @param preprocessing what the network expects of its input
 * @param inputSpace    whether {@code model} embeds the preprocessing (PIXELS) or not (MODEL)
 * @param architecture  the checked layout of the network
 */
public record VggModel(String name, ImageModel model, List<String> labels, Preprocessing preprocessing,
                       InputSpace inputSpace, VggArchitecture architecture) implements AutoCloseable {

    /** Validates the components. */
    public VggModel {
        if (model == null || preprocessing == null || inputSpace == null || architecture == null) {
            throw new NullPointerException("model, preprocessing, input space and architecture must not be null");
        }
        java.util.Objects.requireNonNull(labels, "labels must not be null");
        if (labels.size() != model.numClasses()) {
            throw new IllegalArgumentException("got " + (labels == null ? "no" : labels.size()) + " labels for a model "
                    + "with " + model.numClasses() + " classes");
        }
        labels = List.copyOf(labels);
    }

    /** The label of a class index. */
    public String label(int classIndex) {
        if (classIndex < 0 || classIndex >= labels.size()) {
            throw new IllegalArgumentException("class index " + classIndex + " is out of range 0.." + (labels.size() - 1));
        }
        return labels.get(classIndex);
    }

    /** The index of the class with the highest score for each example of a batch. */
    public int[] predict(INDArray input) {
        return Predictions.predictedClasses(model, input);
    }

    /** Prepares a pixel batch (RGB, NCHW, [0, 1]) for {@link #model()}: as is in PIXELS, preprocessed in MODEL space. */
    public INDArray toModelInput(INDArray pixels) {
        return inputSpace == InputSpace.PIXELS ? pixels : preprocessing.apply(pixels);
    }

    /** Closes the model, releasing its native memory; results it returned stay valid. */
    @Override public void close() {
        model.close();
    }
}
