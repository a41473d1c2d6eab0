package org.xai4j.models;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.zoo.PretrainedType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.UnsupportedLayerException;
import org.xai4j.models.keras.KerasH5Source;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.zoo.ZooVggSource;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Loads an image classifier from a file or by name, with its preprocessing, input shape and labels:
 *
 * <ul>
 *   <li>a Keras HDF5 file ({@code .h5}, {@code .hdf5}, {@code .keras}: Functional or Sequential, saved with
 *       {@code model.save}), or an architecture JSON ({@code .json}) with {@link Builder#optWeights a weights file};
 *       </li>
 *   <li>a DL4J model zip ({@code .zip}, a {@code MultiLayerNetwork} or {@code ComputationGraph});</li>
 *   <li>the DL4J zoo's pretrained VGG16 from its local cache: {@code zoo:vgg16} (ImageNet, with the ImageNet labels and
 *       Keras "caffe" preprocessing) or {@code zoo:vggface} (VGGFace preprocessing);</li>
 *   <li>the toy mini-VGGs shipped with xai4j: {@code toy:object}, {@code toy:face}, {@code toy:emotion} (with their
 *       own labels, 64x64 input in [0, 1]).</li>
 * </ul>
 *
 * <p>Every classifier takes RGB pixels in [0, 1]: the preprocessing (for files {@link Preprocessing#UNIT} unless
 * {@link Builder#optPreprocessing} says otherwise) is embedded as the model's first layers. <b>Labels are explicit</b>:
 * a labels file ({@link Builder#optLabels}, one label per line, checked against the class count), or the labels a
 * named model knows; a file without a labels file gets {@code class_0, class_1, ...}, whatever its class count.
 *
 * <p>The input shape is {@link Builder#optInputShape}'s, else the one the file records (Keras files record it in their
 * input layer; DL4J files do not). When neither gives it, the square sizes {@value #CANDIDATE_SIZES_TEXT} are tried in that order with 3 channels, and the first one every layer of
 * the network accepts is used (logged at INFO). A network that ends in global pooling accepts any size, so it gets
 * 224x224: give the size it was trained at with {@code optInputShape}.
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
 */
public final class ImageClassifierLoader {

    /** The names of the shipped toy models. */
    public static final List<String> TOY_MODELS = List.of("toy:object", "toy:face", "toy:emotion");

    /** The names of the zoo models. */
    public static final List<String> ZOO_MODELS = List.of("zoo:vgg16", "zoo:vggface");

    /** The input sizes tried, in order, when neither the file nor the builder gives one. */
    static final List<Integer> CANDIDATE_SIZES = List.of(224, 299, 256, 128, 96, 64, 32, 28);

    private static final String CANDIDATE_SIZES_TEXT = "224, 299, 256, 128, 96, 64, 32 and 28";
    private static final Logger LOG = LoggerFactory.getLogger(ImageClassifierLoader.class);

    private final String named;
    private final Path file;
    private final Path weights;
    private final Preprocessing preprocessing;
    private final long[] inputShape;
    private final Path labelsFile;

    private ImageClassifierLoader(Builder b) {
        this.named = b.named;
        this.file = b.file;
        this.weights = b.weights;
        this.preprocessing = b.preprocessing;
        this.inputShape = b.inputShape;
        this.labelsFile = b.labelsFile;
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
     * Loads the classifier.
     *
     * @return the classifier; close it to release the model's native memory
     * @throws ModelLoadException naming the file (or model name) and what was expected: a missing, unreadable or corrupt
     *                            file, a network with a layer xai4j does not support, no input size that fits the
     *                            network, or a labels file with the wrong number of labels
     */
    public ImageClassifier load() throws ModelLoadException {
        if (named != null && named.startsWith("toy:")) {
            return loadToy();
        }
        if (named != null) {
            return fromVgg(vggBuilder(named.equals("zoo:vgg16") ? VGG16.builder() : VGGFace.builder(),
                    ZooVggSource.builder().setType(named.equals("zoo:vgg16") ? PretrainedType.IMAGENET : PretrainedType.VGGFACE).build()));
        }
        NetworkSource source = weights != null ? KerasH5Source.builder().setFile(file).optWeights(weights).build() : NetworkSource.fromFile(file);
        Model network = source.load();
        String name = file.getFileName().toString();
        Preprocessing pre = preprocessing == null ? Preprocessing.UNIT : preprocessing;
        long[] shape = inputShape != null ? inputShape : source.declaredInputShape().orElse(null);
        Nd4jImageModel model = shape != null ? convert(network, name, shape, pre, source)
                : convertAtFirstFittingSize(network, name, pre, source);
        try {
            List<String> labels = labelsFile != null ? VggAdapter.readLabels(labelsFile, model.numClasses())
                    : VggAdapter.numberedLabels(model.numClasses());
            return new ImageClassifier(name, model, labels, pre, model.inputShape());
        } catch (ModelLoadException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private ImageClassifier loadToy() throws ModelLoadException {
        Supplier<VggModel> toy = switch (named) {
            case "toy:object" -> ToyModels::objectVgg;
            case "toy:face" -> ToyModels::faceVgg;
            default -> ToyModels::emotionVgg;
        };
        VggModel vgg;
        try {
            vgg = toy.get();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ModelLoadException("cannot load the shipped model " + named + ": " + e.getMessage(), e);
        }
        List<String> labels = vgg.labels();
        if (labelsFile != null) {
            try {
                labels = VggAdapter.readLabels(labelsFile, labels.size());
            } catch (ModelLoadException e) {
                vgg.model().close();
                throw e;
            }
        }
        return new ImageClassifier(vgg.name(), vgg.model(), labels, vgg.preprocessing(), vgg.model().inputShape());
    }

    private VggAdapter.Builder vggBuilder(VggAdapter.Builder builder, NetworkSource source) {
        builder.setSource(source);
        if (preprocessing != null) {
            builder.optPreprocessing(preprocessing);
        }
        if (inputShape != null) {
            builder.optInputSize((int) inputShape[1], (int) inputShape[2]);
        }
        if (labelsFile != null) {
            builder.optLabelsFile(labelsFile);
        }
        return builder;
    }

    private static ImageClassifier fromVgg(VggAdapter.Builder builder) throws ModelLoadException {
        VggModel vgg = builder.build().load();
        return new ImageClassifier(vgg.name(), vgg.model(), vgg.labels(), vgg.preprocessing(), vgg.model().inputShape());
    }

    private static Nd4jImageModel convert(Model network, String name, long[] shape, Preprocessing pre,
                                          NetworkSource source) throws ModelLoadException {
        try {
            return tryConvert(network, name, shape, pre);
        } catch (RuntimeException e) {
            throw new ModelLoadException(source.description() + ": cannot use the network with input shape "
                    + Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    private static Nd4jImageModel convertAtFirstFittingSize(Model network, String name, Preprocessing pre,
                                                            NetworkSource source) throws ModelLoadException {
        RuntimeException first = null;
        for (int size : CANDIDATE_SIZES) {
            long[] shape = {3, size, size};
            try {
                Nd4jImageModel model = tryConvert(network, name, shape, pre);
                LOG.info("{}: no input size given; using {}, the first of the sizes {} the network accepts",
                        source.description(), Arrays.toString(shape), CANDIDATE_SIZES);
                return model;
            } catch (UnsupportedLayerException e) {
                throw new ModelLoadException(source.description() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new ModelLoadException(source.description() + ": none of the input sizes " + CANDIDATE_SIZES_TEXT
                + " (3 channels, square) fits the network; give its input shape with optInputShape (first error, at "
                + CANDIDATE_SIZES.get(0) + "x" + CANDIDATE_SIZES.get(0) + ": " + first.getMessage() + ")", first);
    }

    private static Nd4jImageModel tryConvert(Model network, String name, long[] shape, Preprocessing pre) {
        NetworkSpec converted = Dl4jNetworks.toSpec(network, name, shape);
        return Nd4jImageModel.of(pre.prependTo(converted));
    }

    @Override public String toString() {
        return "ImageClassifierLoader[source=" + (named != null ? named : file) + (weights == null ? ""
                : ", weights=" + weights) + ", preprocessing=" + preprocessing + ", inputShape="
                + Arrays.toString(inputShape) + ", labels=" + labelsFile + "]";
    }

    /**
     * Builder: required {@link #setSource(Path)} or {@link #setSource(String)}; optional {@link #optWeights},
     * {@link #optPreprocessing}, {@link #optInputShape}, {@link #optLabels}.
     */
    public static final class Builder {
        private String named;
        private Path file;
        private Path weights;
        private Preprocessing preprocessing;
        private long[] inputShape;
        private Path labelsFile;

        private Builder() { }

        /**
         * The model file: a Keras {@code .h5}/{@code .hdf5}/{@code .keras}, a Keras architecture {@code .json} (with
         * {@link #optWeights}), or a DL4J {@code .zip}.
         *
         * @param modelFile the file
         * @return this builder
         * @throws NullPointerException if {@code modelFile} is null
         */
        public Builder setSource(Path modelFile) {
            this.file = Objects.requireNonNull(modelFile, "modelFile must not be null");
            this.named = null;
            return this;
        }

        /**
         * The model by name ({@link #TOY_MODELS}, {@link #ZOO_MODELS}) or, for anything else, a file path as
         * {@link #setSource(Path)} takes.
         *
         * @param source {@code toy:object}, {@code zoo:vgg16}, {@code models/resnet.zip}, ...
         * @return this builder
         * @throws NullPointerException if {@code source} is null
         */
        public Builder setSource(String source) {
            Objects.requireNonNull(source, "source must not be null");
            if (source.startsWith("toy:") || source.startsWith("zoo:")) {
                this.named = source;
                this.file = null;
                return this;
            }
            return setSource(Path.of(source));
        }

        /**
         * The weights file ({@code model.save_weights}) of a Keras architecture JSON given as the source.
         *
         * @param weightsH5 the HDF5 weights
         * @return this builder
         * @throws NullPointerException if {@code weightsH5} is null
         */
        public Builder optWeights(Path weightsH5) {
            this.weights = Objects.requireNonNull(weightsH5, "weightsH5 must not be null");
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
            this.preprocessing = Objects.requireNonNull(networkPreprocessing, "preprocessing must not be null");
            return this;
        }

        /**
         * The input shape {@code [channels, height, width]} (default: the first fitting size, see the class comment).
         *
         * @param shape three positive sizes
         * @return this builder
         * @throws NullPointerException if {@code shape} is null
         */
        public Builder optInputShape(long... shape) {
            this.inputShape = Objects.requireNonNull(shape, "inputShape must not be null").clone();
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
            this.labelsFile = Objects.requireNonNull(file, "labels file must not be null");
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the loader
         * @throws NullPointerException     if no source was set
         * @throws IllegalArgumentException if the model name is unknown (the message lists the valid ones), the file
         *                                  extension is not one of the supported ones, the input shape is not three
         *                                  positive sizes, weights are given for a source that is not a JSON (or a
         *                                  JSON has none), or a toy model is given another preprocessing or size
         */
        public ImageClassifierLoader build() {
            if (named == null && file == null) {
                throw new NullPointerException("source is required: call setSource");
            }
            if (inputShape != null && (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(d -> d <= 0))) {
                throw new IllegalArgumentException("input shape must be [channels, height, width] with positive sizes, "
                        + "got " + Arrays.toString(inputShape));
            }
            if (named != null) {
                checkNamed();
            } else {
                String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (lower.endsWith(".json") != (weights != null)) {
                    throw new IllegalArgumentException(weights != null
                            ? "optWeights applies to a Keras architecture .json source, got " + file
                            : "Keras architecture file " + file + " needs its weights: call optWeights(weights.h5)");
                }
                if (weights == null) {
                    NetworkSource.fromFile(file); // checks the extension
                }
            }
            return new ImageClassifierLoader(this);
        }

        private void checkNamed() {
            List<String> valid = new ArrayList<>(TOY_MODELS);
            valid.addAll(ZOO_MODELS);
            if (!valid.contains(named)) {
                throw new IllegalArgumentException("unknown model '" + named + "'; expected one of " + valid
                        + " or a model file");
            }
            if (weights != null) {
                throw new IllegalArgumentException("optWeights applies to a Keras architecture .json, not to " + named);
            }
            if (named.startsWith("toy:")) {
                if (preprocessing != null && preprocessing != Preprocessing.UNIT && preprocessing != Preprocessing.NONE) {
                    throw new IllegalArgumentException(named + " takes pixels in [0, 1] (Preprocessing.UNIT), not "
                            + preprocessing);
                }
                long[] toyShape = {3, ToyModels.SIZE, ToyModels.SIZE};
                if (inputShape != null && !Arrays.equals(inputShape, toyShape)) {
                    throw new IllegalArgumentException(named + " has input shape " + Arrays.toString(toyShape)
                            + ", not " + Arrays.toString(inputShape));
                }
            } else if (inputShape != null && inputShape[0] != 3) {
                throw new IllegalArgumentException(named + " takes 3 channels, not " + inputShape[0]);
            }
        }
    }
}
