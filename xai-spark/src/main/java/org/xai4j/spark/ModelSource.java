package org.xai4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelSettings;
import org.xai4j.models.Preprocessing;



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

    private final ModelSettings settings;
    private final Distribution distribution;

    private ModelSource(ModelSettings settings, Distribution distribution) {
        this.settings = settings;
        this.distribution = distribution;
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
     * A model source for loader settings, as the application or command line made them.
     *
     * @param settings     the settings (their files are local paths or Hadoop URIs the driver can read)
     * @param distribution how executors get model files
     * @return the model source
     */
    public static ModelSource of(ModelSettings settings, Distribution distribution) {
        return new ModelSource(Objects.requireNonNull(settings, "settings must not be null"),
                Objects.requireNonNull(distribution, "distribution must not be null"));
    }

    /**
     * The loader settings, shipped to executors as they are.
     *
     * @return the settings
     */
    public ModelSettings settings() {
        return settings;
    }

    /**
     * The model's name ({@code toy:...}, {@code zoo:...}, ...) or file (a local path or a Hadoop URI).
     *
     * @return the source
     */
    public String source() {
        return settings.source();
    }

    /**
     * Whether the source is a model name rather than a file (the model-provider registry decides).
     *
     * @return true for named models
     */
    public boolean isNamed() {
        return !settings.isFile();
    }

    /**
     * The weights file of a Keras architecture JSON.
     *
     * @return the file, or null
     */
    public String weights() {
        return settings.weights();
    }

    /**
     * The labels file.
     *
     * @return the file, or null
     */
    public String labels() {
        return settings.labels();
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
     * @throws IllegalArgumentException if the loader refuses the settings
     */
    public ImageClassifierLoader loader(Path modelFile, Path weightsFile, Path labelsFile) {
        if (!isNamed()) {
            Objects.requireNonNull(modelFile, "modelFile must not be null for a model file");
        }
        return ImageClassifierLoader.of(settings.withFiles(modelFile, weightsFile, labelsFile));
    }

    @Override public boolean equals(Object o) {
        return o instanceof ModelSource m && settings.equals(m.settings) && distribution == m.distribution;
    }

    @Override public int hashCode() {
        return Objects.hash(settings, distribution);
    }

    @Override public String toString() {
        return "ModelSource[" + settings + (isNamed() ? "" : ", " + distribution) + "]";
    }

    /**
     * Builder: required {@link #setSource}; optional {@link #optWeights}, {@link #optLabels},
     * {@link #optPreprocessing}, {@link #optInputShape} (a shorthand for {@link ModelSettings.Builder}) and
     * {@link #optDistribution}.
     */
    public static final class Builder {
        private final ModelSettings.Builder settings = ModelSettings.builder();
        private boolean sourceSet;
        private Distribution distribution = Distribution.BROADCAST;

        private Builder() { }

        /**
         * The model (required): a model name the provider registry knows, or a model file as
         * {@link ImageClassifierLoader} reads them; with {@link Distribution#BROADCAST} the file may be any Hadoop URI
         * the driver can read.
         *
         * @param source the name or file
         * @return this builder
         */
        public Builder setSource(String source) {
            settings.setSource(source);
            sourceSet = true;
            return this;
        }

        /**
         * The weights of a Keras architecture JSON.
         *
         * @param weightsFile the HDF5 weights file
         * @return this builder
         */
        public Builder optWeights(String weightsFile) {
            settings.optWeights(weightsFile);
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
            settings.optLabels(labelsFile);
            return this;
        }

        /**
         * The preprocessing the network was trained with.
         *
         * @param networkPreprocessing the preprocessing
         * @return this builder
         */
        public Builder optPreprocessing(Preprocessing networkPreprocessing) {
            settings.optPreprocessing(networkPreprocessing);
            return this;
        }

        /**
         * The input shape {@code [channels, height, width]}.
         *
         * @param shape three positive sizes
         * @return this builder
         */
        public Builder optInputShape(long... shape) {
            settings.optInputShape(shape);
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
         * Checks the settings with the source's provider, without reading any file.
         *
         * @return the model source
         * @throws NullPointerException     if no source was set
         * @throws IllegalArgumentException if the provider refuses the settings (the message says why)
         */
        public ModelSource build() {
            if (!sourceSet) {
                throw new NullPointerException("source is required: call setSource");
            }
            return new ModelSource(settings.build(), distribution);
        }
    }
}
