package org.xai4j.models;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads an image classifier from a file or by name, with its preprocessing, input shape and labels, through the
 * {@link ModelProvider} that {@link ModelProviders} finds for the source:
 *
 * <ul>
 *   <li>a Keras HDF5 file ({@code .h5}, {@code .hdf5}, {@code .keras}), a Keras architecture JSON ({@code .json})
 *       with {@link Builder#optWeights a weights file}, or a DL4J model zip ({@code .zip}):
 *       {@link NetworkFileProvider};</li>
 *   <li>the DL4J zoo's pretrained VGG16 from its local cache: {@code zoo:vgg16}, {@code zoo:vggface}
 *       ({@link ZooProvider});</li>
 *   <li>the toy mini-VGGs shipped with xai4j: {@code toy:object}, {@code toy:face}, {@code toy:emotion};</li>
 *   <li>whatever other providers are on the class path (ONNX files with {@code xai-onnx}, face-api's networks with
 *       {@code xai-faceapi}).</li>
 * </ul>
 *
 * <p>Every classifier takes RGB pixels in [0, 1]: the preprocessing (for files {@link Preprocessing#UNIT} unless
 * {@link Builder#optPreprocessing} says otherwise) is embedded as the model's first layers. <b>Labels are explicit</b>:
 * a labels file ({@link Builder#optLabels}, one label per line, checked against the class count), or the labels a
 * named model knows; a file without a labels file gets {@code class_0, class_1, ...}, whatever its class count.
 *
 * <pre>{@code
 * try (ImageClassifier classifier = ImageClassifierLoader.builder()
 *         .setSource(Path.of("resnet50.zip"))
 *         .optPreprocessing(Preprocessing.CAFFE_IMAGENET)
 *         .optInputShape(3, 224, 224)
 *         .optLabels(Path.of("imagenet-labels.txt"))
 *         .build()
 *         .load()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>The settings are one serializable value, {@link ModelSettings}, which Spark ships to its executors as it is.
 */
public final class ImageClassifierLoader {

    private final ModelSettings settings;

    private ImageClassifierLoader(ModelSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts configuring a loader.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A loader for checked settings.
     *
     * @param settings the settings
     * @return the loader
     * @throws NullPointerException if {@code settings} is null
     */
    public static ImageClassifierLoader of(ModelSettings settings) {
        return new ImageClassifierLoader(Objects.requireNonNull(settings, "settings must not be null"));
    }

    /**
     * The settings.
     *
     * @return the checked settings
     */
    public ModelSettings settings() {
        return settings;
    }

    /**
     * Loads the classifier.
     *
     * @return the classifier; close it to release the model's native memory
     * @throws ModelLoadException naming the file (or model name) and what was expected: a missing, unreadable or corrupt
     *                            file, a network with a layer xai4j does not support, no input size that fits the
     *                            network, or a labels file with the wrong number of labels
     */
    public ImageClassifier load() throws ModelLoadException {
        return settings.provider().load(settings);
    }

    @Override public String toString() {
        return "ImageClassifierLoader[" + settings + "]";
    }

    /**
     * Builder: required {@link #setSource(Path)} or {@link #setSource(String)}; optional {@link #optWeights},
     * {@link #optPreprocessing}, {@link #optInputShape}, {@link #optLabels}. A shorthand for
     * {@link ModelSettings.Builder}.
     */
    public static final class Builder {
        private final ModelSettings.Builder settings = ModelSettings.builder();
        private boolean sourceSet;

        private Builder() { }

        /**
         * The model file, e.g. a Keras {@code .h5}, a Keras architecture {@code .json} (with {@link #optWeights}) or a
         * DL4J {@code .zip}.
         *
         * @param modelFile the file
         * @return this builder
         * @throws NullPointerException if {@code modelFile} is null
         */
        public Builder setSource(Path modelFile) {
            settings.setSource(modelFile);
            sourceSet = true;
            return this;
        }

        /**
         * The model by name ({@code toy:object}, {@code zoo:vgg16}, ...) or a file path.
         *
         * @param source a name or a file
         * @return this builder
         * @throws NullPointerException if {@code source} is null
         */
        public Builder setSource(String source) {
            settings.setSource(source);
            sourceSet = true;
            return this;
        }

        /**
         * The weights file ({@code model.save_weights}) of a Keras architecture JSON given as the source.
         *
         * @param weightsH5 the HDF5 weights
         * @return this builder
         * @throws NullPointerException if {@code weightsH5} is null
         */
        public Builder optWeights(Path weightsH5) {
            settings.optWeights(Objects.requireNonNull(weightsH5, "weightsH5 must not be null").toString());
            return this;
        }

        /**
         * The preprocessing the network was trained with (default: {@link Preprocessing#UNIT} for files, the model's
         * own for named models).
         *
         * @param networkPreprocessing the preprocessing to embed
         * @return this builder
         * @throws NullPointerException if {@code networkPreprocessing} is null
         */
        public Builder optPreprocessing(Preprocessing networkPreprocessing) {
            settings.optPreprocessing(networkPreprocessing);
            return this;
        }

        /**
         * The input shape {@code [channels, height, width]} (default: the model's own, else the first fitting size).
         *
         * @param shape three positive sizes
         * @return this builder
         * @throws NullPointerException if {@code shape} is null
         */
        public Builder optInputShape(long... shape) {
            settings.optInputShape(shape);
            return this;
        }

        /**
         * A labels file: UTF-8, one label per line in class-index order, as many lines as classes.
         *
         * @param file the labels file, read at {@link ImageClassifierLoader#load()}
         * @return this builder
         * @throws NullPointerException if {@code file} is null
         */
        public Builder optLabels(Path file) {
            settings.optLabels(Objects.requireNonNull(file, "labels file must not be null").toString());
            return this;
        }

        /**
         * Checks the settings with the source's provider, without reading any file.
         *
         * @return the loader
         * @throws NullPointerException     if no source was set
         * @throws IllegalArgumentException if no provider takes the source (the message lists the known names and
         *                                  extensions), or the provider refuses the settings
         */
        public ImageClassifierLoader build() {
            if (!sourceSet) {
                throw new NullPointerException("source is required: call setSource");
            }
            return new ImageClassifierLoader(settings.build());
        }
    }
}
