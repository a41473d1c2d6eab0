package org.xai4j.spark;

import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.Preprocessing;
import org.xai4j.spark.internal.ShippedModel;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which model a dataset job explains and how its executors get it: a named model ({@code toy:object},
 * {@code zoo:vgg16}), or a model file with optional weights and labels files, which the driver reads once and
 * broadcasts ({@link Distribution#BROADCAST}, the default: executors need no shared file system), or which every
 * executor reads from the same path ({@link Distribution#SHARED_PATH}: a network file system or a file baked into
 * the executors' image). Either way each executor JVM loads the model once ({@link ImageClassifierLoader}) and keeps it
 * for every task of every job that names the same model.
 *
 * <pre>{@code
 * ModelSource model = ModelSource.builder().setSource("hdfs:///models/vgg16.h5")
 *         .optPreprocessing(Preprocessing.CAFFE_IMAGENET).optLabels("hdfs:///models/imagenet-labels.txt").build();
 * }</pre>
 */
public final class ModelSource implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How executors get a model file. */
    public enum Distribution {
        /** The driver reads the files and broadcasts their bytes; each executor writes them to a temporary folder. */
        BROADCAST,
        /** Every executor reads the files from the same local path. */
        SHARED_PATH
    }

    private final String source;
    private final String weights;
    private final String labels;
    private final Preprocessing preprocessing;
    private final long[] inputShape;
    private final Distribution distribution;

    private ModelSource(Builder b) {
        this.source = b.source;
        this.weights = b.weights;
        this.labels = b.labels;
        this.preprocessing = b.preprocessing;
        this.inputShape = b.inputShape == null ? null : b.inputShape.clone();
        this.distribution = b.distribution;
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
     * The model's name ({@code toy:...}, {@code zoo:...}) or file (a local path or a Hadoop URI).
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * Whether the source is a model name rather than a file.
     *
     * @return true for {@code toy:} and {@code zoo:} models
     */
    public boolean isNamed() {
        return isNamed(source);
    }

    /**
     * The weights file of a Keras architecture JSON.
     *
     * @return the file, or null
     */
    public String weights() {
        return weights;
    }

    /**
     * The labels file.
     *
     * @return the file, or null
     */
    public String labels() {
        return labels;
    }

    /**
     * How executors get the files.
     *
     * @return the distribution
     */
    public Distribution distribution() {
        return distribution;
    }

    /**
     * A loader for this model whose files are at the given local paths.
     *
     * @param modelFile   the local model file, or null for a named model
     * @param weightsFile the local weights file, or null
     * @param labelsFile  the local labels file, or null
     * @return the loader
     * @throws IllegalArgumentException if the loader refuses the settings (unknown name, bad extension, ...)
     */
    public ImageClassifierLoader loader(Path modelFile, Path weightsFile, Path labelsFile) {
        ImageClassifierLoader.Builder b = ImageClassifierLoader.builder();
        if (isNamed()) {
            b.setSource(source);
        } else {
            b.setSource(Objects.requireNonNull(modelFile, "modelFile must not be null for a model file"));
        }
        if (weightsFile != null) {
            b.optWeights(weightsFile);
        }
        if (labelsFile != null) {
            b.optLabels(labelsFile);
        }
        if (preprocessing != null) {
            b.optPreprocessing(preprocessing);
        }
        if (inputShape != null) {
            b.optInputShape(inputShape);
        }
        return b.build();
    }

    static boolean isNamed(String source) {
        return source.startsWith("toy:") || source.startsWith("zoo:");
    }

    @Override public boolean equals(Object o) {
        return o instanceof ModelSource m && source.equals(m.source) && Objects.equals(weights, m.weights)
                && Objects.equals(labels, m.labels) && preprocessing == m.preprocessing
                && Arrays.equals(inputShape, m.inputShape) && distribution == m.distribution;
    }

    @Override public int hashCode() {
        return Objects.hash(source, weights, labels, preprocessing, Arrays.hashCode(inputShape), distribution);
    }

    @Override public String toString() {
        return "ModelSource[" + source + (weights == null ? "" : ", weights=" + weights)
                + (labels == null ? "" : ", labels=" + labels)
                + (preprocessing == null ? "" : ", preprocessing=" + preprocessing)
                + (inputShape == null ? "" : ", inputShape=" + Arrays.toString(inputShape))
                + (isNamed() ? "" : ", " + distribution) + "]";
    }

    /**
     * Builder: required {@link #setSource}; optional {@link #optWeights}, {@link #optLabels},
     * {@link #optPreprocessing}, {@link #optInputShape}, {@link #optDistribution}.
     */
    public static final class Builder {
        private String source;
        private String weights;
        private String labels;
        private Preprocessing preprocessing;
        private long[] inputShape;
        private Distribution distribution = Distribution.BROADCAST;

        private Builder() { }

        /**
         * The model (required): a name of {@link ImageClassifierLoader#TOY_MODELS} or
         * {@link ImageClassifierLoader#ZOO_MODELS}, or a model file as {@link ImageClassifierLoader} reads them (Keras
         * {@code .h5}, architecture {@code .json} with {@link #optWeights}, DL4J {@code .zip}); with
         * {@link Distribution#BROADCAST} the file may be any Hadoop URI the driver can read.
         *
         * @param source the name or file
         * @return this builder
         */
        public Builder setSource(String source) {
            this.source = source;
            return this;
        }

        /**
         * The weights of a Keras architecture JSON.
         *
         * @param weightsFile the HDF5 weights file
         * @return this builder
         */
        public Builder optWeights(String weightsFile) {
            this.weights = Objects.requireNonNull(weightsFile, "weights file must not be null");
            return this;
        }

        /**
         * A labels file, one label per line in class order (default: the named model's labels, else
         * {@code class_0, class_1, ...}).
         *
         * @param labelsFile the file
         * @return this builder
         */
        public Builder optLabels(String labelsFile) {
            this.labels = Objects.requireNonNull(labelsFile, "labels file must not be null");
            return this;
        }

        /**
         * The preprocessing the network was trained with ({@link ImageClassifierLoader.Builder#optPreprocessing}).
         *
         * @param networkPreprocessing the preprocessing
         * @return this builder
         */
        public Builder optPreprocessing(Preprocessing networkPreprocessing) {
            this.preprocessing = Objects.requireNonNull(networkPreprocessing, "preprocessing must not be null");
            return this;
        }

        /**
         * The input shape {@code [channels, height, width]} ({@link ImageClassifierLoader.Builder#optInputShape}).
         *
         * @param shape three positive sizes
         * @return this builder
         */
        public Builder optInputShape(long... shape) {
            this.inputShape = Objects.requireNonNull(shape, "inputShape must not be null").clone();
            return this;
        }

        /**
         * How executors get model files (default {@link Distribution#BROADCAST}); named models ignore it.
         *
         * @param distribution the distribution
         * @return this builder
         */
        public Builder optDistribution(Distribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution must not be null");
            return this;
        }

        /**
         * Checks the settings with {@link ImageClassifierLoader.Builder#build()}.
         *
         * @return the model source
         * @throws NullPointerException     if no source was set
         * @throws IllegalArgumentException if the loader refuses the settings (the message says why)
         */
        public ModelSource build() {
            Objects.requireNonNull(source, "source is required: call setSource");
            if (source.isBlank()) {
                throw new IllegalArgumentException("model source must not be blank");
            }
            ModelSource built = new ModelSource(this);
            // validate names, extensions and options the way the loader will, without reading any file
            built.loader(built.isNamed() ? null : Path.of(ShippedModel.fileName(source)),
                    weights == null ? null : Path.of(ShippedModel.fileName(weights)), labels == null ? null : Path.of(ShippedModel.fileName(labels)));
            return built;
        }
    }
}
