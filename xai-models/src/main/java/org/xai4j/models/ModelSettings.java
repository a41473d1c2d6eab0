package org.xai4j.models;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a model load needs, as one immutable, serializable value: the source (a model name such as
 * {@code toy:object} or {@code faceapi:expression}, or a model file), and the optional weights file, labels file,
 * preprocessing and input shape. Spark ships it to executors as it is; {@link ImageClassifierLoader} loads it through
 * the provider that {@link ModelProviders} finds for the source.
 *
 * <p>File locations are kept as strings, so a driver may name a file its executors will see at another path (see
 * {@link #withFiles}).
 */
public final class ModelSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String weights;
    private final String labels;
    private final Preprocessing preprocessing;
    private final long[] inputShape;

    private ModelSettings(Builder b) {
        this.source = b.source;
        this.weights = b.weights;
        this.labels = b.labels;
        this.preprocessing = b.preprocessing;
        this.inputShape = b.inputShape == null ? null : b.inputShape.clone();
    }

    /**
     * Starts describing a model.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The model name or file, as given.
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * The provider that loads this source.
     *
     * @return the provider
     */
    public ModelProvider provider() {
        return ModelProviders.forSource(source);
    }

    /**
     * Whether the source is a file (rather than a name a provider knows).
     *
     * @return true for model files
     */
    public boolean isFile() {
        return provider().readsFile();
    }

    /**
     * The source as a local file.
     *
     * @return the path
     * @throws IllegalStateException if the source is a model name
     */
    public Path sourceFile() {
        if (!isFile()) {
            throw new IllegalStateException(source + " is a model name, not a file");
        }
        return Path.of(source);
    }

    /**
     * The weights file of an architecture file (a Keras {@code .json}).
     *
     * @return the file, or null
     */
    public String weights() {
        return weights;
    }

    /**
     * The labels file: UTF-8, one label per line in class order.
     *
     * @return the file, or null for the model's own labels ({@code class_0, class_1, ...} for a file)
     */
    public String labels() {
        return labels;
    }

    /**
     * The preprocessing the network was trained with.
     *
     * @return the preprocessing, or null for the provider's default
     */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * One example's shape {@code [channels, height, width]}.
     *
     * @return a copy, or null for the model's own
     */
    public long[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /**
     * The same settings with the files at other locations (e.g. where an executor wrote broadcast bytes).
     *
     * @param sourceFile  the model file, or null to keep the source
     * @param weightsFile the weights file, or null to keep it
     * @param labelsFile  the labels file, or null to keep it
     * @return new settings
     */
    public ModelSettings withFiles(Path sourceFile, Path weightsFile, Path labelsFile) {
        Builder b = toBuilder();
        if (sourceFile != null) {
            b.source = sourceFile.toString();
        }
        if (weightsFile != null) {
            b.weights = weightsFile.toString();
        }
        if (labelsFile != null) {
            b.labels = labelsFile.toString();
        }
        return b.build();
    }

    /**
     * A builder holding these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.source = source;
        b.weights = weights;
        b.labels = labels;
        b.preprocessing = preprocessing;
        b.inputShape = inputShape == null ? null : inputShape.clone();
        return b;
    }

    @Override public boolean equals(Object o) {
        return o instanceof ModelSettings m && source.equals(m.source) && Objects.equals(weights, m.weights)
                && Objects.equals(labels, m.labels) && Objects.equals(preprocessing, m.preprocessing)
                && Arrays.equals(inputShape, m.inputShape);
    }

    @Override public int hashCode() {
        return Objects.hash(source, weights, labels, preprocessing, Arrays.hashCode(inputShape));
    }

    @Override public String toString() {
        return "ModelSettings[" + source + (weights == null ? "" : ", weights=" + weights)
                + (labels == null ? "" : ", labels=" + labels)
                + (preprocessing == null ? "" : ", preprocessing=" + preprocessing)
                + (inputShape == null ? "" : ", inputShape=" + Arrays.toString(inputShape)) + "]";
    }

    /**
     * Builder: required {@link #setSource}; optional {@link #optWeights}, {@link #optLabels},
     * {@link #optPreprocessing}, {@link #optInputShape}. {@link #build()} checks the settings with the source's
     * provider, without reading any file.
     */
    public static final class Builder {
        private String source;
        private String weights;
        private String labels;
        private Preprocessing preprocessing;
        private long[] inputShape;

        private Builder() { }

        /**
         * The model (required): a name a provider knows ({@code toy:object}, {@code zoo:vgg16}, ...) or a model file.
         *
         * @param source the name or file
         * @return this builder
         */
        public Builder setSource(String source) {
            this.source = Objects.requireNonNull(source, "source must not be null");
            return this;
        }

        /**
         * The model file.
         *
         * @param file the file
         * @return this builder
         */
        public Builder setSource(Path file) {
            return setSource(Objects.requireNonNull(file, "modelFile must not be null").toString());
        }

        /**
         * The weights of an architecture file (a Keras {@code .json} saved with {@code model.to_json}).
         *
         * @param file the HDF5 weights file
         * @return this builder
         */
        public Builder optWeights(String file) {
            this.weights = Objects.requireNonNull(file, "weights file must not be null");
            return this;
        }

        /**
         * A labels file, one label per line in class order.
         *
         * @param file the file
         * @return this builder
         */
        public Builder optLabels(String file) {
            this.labels = Objects.requireNonNull(file, "labels file must not be null");
            return this;
        }

        /**
         * The preprocessing the network was trained with (default: the provider's).
         *
         * @param preprocessing the preprocessing
         * @return this builder
         */
        public Builder optPreprocessing(Preprocessing preprocessing) {
            this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing must not be null");
            return this;
        }

        /**
         * The input shape {@code [channels, height, width]}.
         *
         * @param shape three positive sizes
         * @return this builder
         */
        public Builder optInputShape(long... shape) {
            this.inputShape = Objects.requireNonNull(shape, "inputShape must not be null").clone();
            return this;
        }

        /**
         * Checks the settings with the source's provider.
         *
         * @return the settings
         * @throws NullPointerException     if no source was set
         * @throws IllegalArgumentException if no provider takes the source, or it refuses the settings (the message
         *                                  says why and what was expected)
         */
        public ModelSettings build() {
            if (source == null) {
                throw new NullPointerException("source is required: call setSource");
            }
            if (source.isBlank()) {
                throw new IllegalArgumentException("model source must not be blank");
            }
            if (inputShape != null && (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(d -> d <= 0))) {
                throw new IllegalArgumentException("input shape must be [channels, height, width] with positive sizes, "
                        + "got " + Arrays.toString(inputShape));
            }
            ModelSettings settings = new ModelSettings(this);
            ModelProvider provider = ModelProviders.forSource(source);
            if (weights != null && !provider.takesWeights(settings)) {
                throw new IllegalArgumentException("optWeights applies to a Keras architecture .json, not to "
                        + source);
            }
            provider.validate(settings);
            return settings;
        }
    }
}
