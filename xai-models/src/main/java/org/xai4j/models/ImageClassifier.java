package org.xai4j.models;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.Predictions;
import org.xai4j.engine.ImageModel;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.nd4j.ImageArrays;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A loaded image classifier, ready to explain: the differentiable model, one label per class, the preprocessing the
 * network was trained with, the input shape and the {@link InputSpace} the model takes. It is the one loaded-model type
 * of xai4j: every {@link ModelProvider} ({@link ImageClassifierLoader}), the VGG adapters ({@link VggAdapter#load()})
 * and the toy models return it. Closing it closes the model.
 *
 * <p>In {@link InputSpace#PIXELS} (what every provider and, by default, every adapter gives) the preprocessing is
 * embedded as the model's first layers, so the model takes RGB pixels in [0, 1], and gradients, attributions and
 * <b>baselines live in pixel space</b>: a black baseline is {@code zeros}, and attributions line up with the image as
 * displayed. In {@link InputSpace#MODEL} (a VGG adapter's {@code optInputSpace(MODEL)}) the model takes the network's
 * own input; {@link #toInput} and {@link #toModelInput} apply the preprocessing for it.
 *
 * <p>Image files become inputs through {@link #readImage} ({@link ModelInputs} at the model's input size) and
 * {@link #toInput}.
 *
 * @param name          a short name for reports: the file name, the toy, zoo or VGG model's name
 * @param model         the model; it takes NCHW batches {@code [n, 3, height, width]}: pixels in [0, 1] in PIXELS
 *                      space, the preprocessed pixels in MODEL space
 * @param labels        one label per class, in class-index order
 * @param preprocessing the preprocessing the network was trained with (embedded in the model in PIXELS space)
 * @param inputShape    one example's shape {@code [channels, height, width]}, the model's
 * @param inputSpace    whether {@code model} embeds the preprocessing (PIXELS) or not (MODEL)
 */
public record ImageClassifier(String name, ImageModel model, List<String> labels, Preprocessing preprocessing,
                              long[] inputShape, InputSpace inputSpace) implements AutoCloseable {

    /**
     * Checks that the labels and the input shape agree with the model, and copies them.
     *
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if the labels do not match the class count or the shape is not the model's
     */
    public ImageClassifier {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        Objects.requireNonNull(preprocessing, "preprocessing must not be null");
        Objects.requireNonNull(inputShape, "inputShape must not be null");
        Objects.requireNonNull(inputSpace, "inputSpace must not be null");
        if (labels.size() != model.numClasses()) {
            throw new IllegalArgumentException("got " + labels.size() + " labels for a model with "
                    + model.numClasses() + " classes");
        }
        if (!Arrays.equals(inputShape, model.inputShape())) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(inputShape) + " is not the model's "
                    + Arrays.toString(model.inputShape()));
        }
        labels = List.copyOf(labels);
        inputShape = inputShape.clone();
    }

    /**
     * A classifier whose model takes pixels, its preprocessing embedded ({@link InputSpace#PIXELS}), as every
     * provider loads one.
     *
     * @param name          a short name for reports
     * @param model         the model, taking pixels in [0, 1]
     * @param labels        one label per class, in class-index order
     * @param preprocessing the preprocessing embedded in the model
     * @param inputShape    one example's shape, the model's
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if the labels do not match the class count or the shape is not the model's
     */
    public ImageClassifier(String name, ImageModel model, List<String> labels, Preprocessing preprocessing,
                           long[] inputShape) {
        this(name, model, labels, preprocessing, inputShape, InputSpace.PIXELS);
    }

    /**
     * A classifier of a loaded model with the labels of a labels file, or {@code class_0, class_1, ...}; closes the
     * model if the labels file is refused.
     *
     * @param name          a short name for reports
     * @param model         the model, with its preprocessing embedded
     * @param labelsFile    a labels file (one label per line), or null
     * @param preprocessing the embedded preprocessing
     * @return the classifier
     * @throws ModelLoadException if the labels file is missing or has the wrong number of labels
     */
    public static ImageClassifier withLabels(String name, ImageModel model, String labelsFile,
                                             Preprocessing preprocessing) throws ModelLoadException {
        try {
            List<String> labels = labelsFile != null ? VggAdapter.readLabels(Path.of(labelsFile), model.numClasses())
                    : VggAdapter.numberedLabels(model.numClasses());
            return new ImageClassifier(name, model, labels, preprocessing, model.inputShape());
        } catch (ModelLoadException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * One example's shape.
     *
     * @return a copy of {@code [channels, height, width]}
     */
    @Override public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * The input height in pixels.
     *
     * @return the height
     */
    public int height() {
        return (int) inputShape[1];
    }

    /**
     * The input width in pixels.
     *
     * @return the width
     */
    public int width() {
        return (int) inputShape[2];
    }

    /**
     * The label of a class.
     *
     * @param classIndex a class index
     * @return its label
     * @throws IllegalArgumentException if the index is out of range
     */
    public String label(int classIndex) {
        if (classIndex < 0 || classIndex >= labels.size()) {
            throw new IllegalArgumentException("class index " + classIndex + " is out of range 0.."
                    + (labels.size() - 1));
        }
        return labels.get(classIndex);
    }

    /**
     * How images become this model's inputs: {@link ModelInputs} at the model's input size.
     *
     * @return the model inputs of {@code height() x width()}
     */
    public ModelInputs inputs() {
        return ModelInputs.of(height(), width());
    }

    /**
     * Reads an image file as this model sees it: decoded, its shorter side resized and its center cropped to the input
     * size ({@link ModelInputs#read(Path)}, the same pixels fine-tuning reads).
     *
     * @param file a PNG, JPEG, BMP or GIF file of any size
     * @return the image at the model's input size
     * @throws NullPointerException if {@code file} is null
     * @throws IOException          naming the file, if it is missing or cannot be decoded
     */
    public RgbImage readImage(Path file) throws IOException {
        return inputs().read(file);
    }

    /**
     * A batch of images at the model's input size as the model's input, in the model's data type: the pixels as they
     * are in PIXELS space, preprocessed in MODEL space.
     *
     * @param images one or more images of the model's input size (see {@link #readImage})
     * @return {@code [n, 3, height, width]}
     * @throws NullPointerException     if an image is null
     * @throws IllegalArgumentException if there is no image or one is not of the input size
     */
    public INDArray toInput(RgbImage... images) {
        Objects.requireNonNull(images, "images must not be null");
        for (int i = 0; i < images.length; i++) {
            RgbImage image = Objects.requireNonNull(images[i], "images[" + i + "] must not be null");
            if (image.height() != height() || image.width() != width()) {
                throw new IllegalArgumentException("images[" + i + "] is " + image.height() + "x" + image.width()
                        + " but " + name + " takes " + height() + "x" + width() + " (read files with readImage)");
            }
        }
        return toModelInput(ImageArrays.toBatch(images).castTo(model.dataType()));
    }

    /**
     * Prepares a pixel batch (RGB, NCHW, [0, 1]) for {@link #model()}: as is in PIXELS space, preprocessed in MODEL
     * space.
     *
     * @param pixels a batch {@code [n, 3, height, width]} in [0, 1]
     * @return the model's input
     * @throws IllegalArgumentException if the batch is not of rank 4 (MODEL space)
     */
    public INDArray toModelInput(INDArray pixels) {
        return inputSpace == InputSpace.PIXELS ? pixels : preprocessing.apply(pixels);
    }

    /**
     * The predicted class of each example.
     *
     * @param input a batch {@code [n, 3, height, width]}
     * @return the arg-max of each example's logits
     */
    public int[] predict(INDArray input) {
        return Predictions.predictedClasses(model, input);
    }

    /** Closes the model, releasing its native memory. */
    @Override public void close() {
        model.close();
    }

    @Override public boolean equals(Object other) {
        return other instanceof ImageClassifier c && name.equals(c.name) && model.equals(c.model)
                && labels.equals(c.labels) && preprocessing.equals(c.preprocessing)
                && Arrays.equals(inputShape, c.inputShape) && inputSpace == c.inputSpace;
    }

    @Override public int hashCode() {
        return Objects.hash(name, model, labels, preprocessing, Arrays.hashCode(inputShape), inputSpace);
    }

    @Override public String toString() {
        return "ImageClassifier[" + name + ", input=" + Arrays.toString(inputShape) + ", classes=" + labels.size()
                + ", preprocessing=" + preprocessing + (inputSpace == InputSpace.PIXELS ? "" : ", " + inputSpace
                + " input space") + "]";
    }
}
