package org.xai4j.models;

import org.deeplearning4j.nn.api.Model;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Loads a VGG network from a {@link NetworkSource} as an {@link ImageClassifier}: converts the network, checks it
 * against the expected {@link VggArchitecture}, renames its layers Keras-style ({@link VggLayout}), embeds the
 * preprocessing (in {@link InputSpace#PIXELS}) and attaches the labels. Get a builder with family defaults from
 * {@link VGG16#builder()}, {@link VGGFace#builder()} or {@link VGGEmotion#builder()}. The {@code zoo:} provider loads
 * through it; the architecture a network was checked against stays with the adapter ({@link #architecture()}).
 *
 * <p>The loaded model's layers are named Keras-style whatever the source: {@code block1_conv1 ... block5_conv3},
 * {@code block1_pool ... block5_pool}, {@code flatten}, {@code fc1}, {@code fc2}, {@code predictions} (VGGEmotion:
 * {@code batch_normalization}, {@code dropout}, {@code flatten}, {@code predictions}; the list is
 * {@link VggLayout#layerNames}); its logits are the pre-softmax scores of {@code predictions}.
 *
 * <pre>{@code
 * ImageClassifier vgg = VGG16.builder()
 *         .setSource(KerasH5Source.builder().setFile(Path.of("vgg16_weights_tf_dim_ordering_tf_kernels.h5")).build())
 *         .build()
 *         .load();
 * }</pre>
 */
public final class VggAdapter {

    private final String name;
    private final NetworkSource source;
    private final VggArchitecture architecture;
    private final Preprocessing preprocessing;
    private final InputSpace inputSpace;
    private final List<String> labels;
    private final Path labelsFile;
    private final IntFunction<List<String>> defaultLabels;

    private VggAdapter(Builder b) {
        this.name = b.name;
        this.source = b.source;
        this.architecture = b.architecture;
        this.preprocessing = b.preprocessing;
        this.inputSpace = b.inputSpace;
        this.labels = b.labels;
        this.labelsFile = b.labelsFile;
        this.defaultLabels = b.defaultLabels;
    }

    /** The model family name ("VGG16", "VGGFace", "VGGEmotion"). */
    public String name() {
        return name;
    }

    /** The architecture every loaded network is checked against. */
    public VggArchitecture architecture() {
        return architecture;
    }

    /**
     * Loads, checks and converts the network.
     *
     * @return the classifier, named after the family ("VGG16", "VGGFace", "VGGEmotion"); the caller closes it
     * @throws ModelLoadException if the source cannot be loaded, the network differs from the architecture (wrong
     *                            layers, shapes or number of classes), or the labels file is unreadable or has the
     *                            wrong number of lines; the message names the file or source
     */
    public ImageClassifier load() throws ModelLoadException {
        List<String> classLabels = labels();
        Model network = source.load();
        NetworkSpec converted;
        try {
            converted = Dl4jNetworks.toSpec(network, name + " from " + source.description(), architecture.inputShape());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source.description() + ": cannot convert the network for " + name + ": "
                    + e.getMessage(), e);
        }
        checkClassCount(converted);
        NetworkSpec renamed;
        try {
            renamed = VggLayout.toKerasNames(converted, architecture);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source.description() + ": not a " + name + " network: " + e.getMessage(), e);
        }
        NetworkSpec chain = new NetworkSpec(name, architecture.inputShape(), renamed.layers());
        Nd4jImageModel model = Nd4jImageModel.of(inputSpace == InputSpace.PIXELS ? preprocessing.prependTo(chain)
                : chain);
        return new ImageClassifier(name, model, classLabels, preprocessing, architecture.inputShape(), inputSpace);
    }

    private void checkClassCount(NetworkSpec spec) throws ModelLoadException {
        for (int i = spec.layers().size() - 1; i >= 0; i--) {
            if (spec.layers().get(i) instanceof LayerSpec.Dense dense) {
                long classes = dense.weights().size(1);
                if (classes != architecture.numClasses()) {
                    throw new ModelLoadException(source.description() + ": the network has " + classes
                            + " output classes (layer '" + dense.name() + "') but " + name + " expects "
                            + architecture.numClasses() + "; set the class count with optArchitecture");
                }
                return;
            }
        }
    }

    private List<String> labels() throws ModelLoadException {
        if (labelsFile != null) {
            return readLabels(labelsFile, architecture.numClasses());
        }
        if (labels != null) {
            return labels;
        }
        return defaultLabels.apply(architecture.numClasses());
    }

    /**
     * Reads a labels file: UTF-8, one label per line, in class-index order (trailing blank lines are ignored).
     *
     * @throws ModelLoadException if the file is missing or unreadable, or has a number of labels other than
     *                            {@code expected} (the message names the file and both counts)
     */
    public static List<String> readLabels(Path file, int expected) throws ModelLoadException {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("labels file " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelLoadException("cannot read labels file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        List<String> result = new ArrayList<>(lines.size());
        for (String line : lines) {
            result.add(line.strip());
        }
        if (result.size() != expected) {
            throw new ModelLoadException("labels file " + file.toAbsolutePath() + " has " + result.size()
                    + " labels but the model has " + expected + " classes (expected " + expected
                    + " lines, one label per line)");
        }
        return List.copyOf(result);
    }

    /** Generic labels {@code class_0, class_1, ...}. */
    static List<String> numberedLabels(int count) {
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add("class_" + i);
        }
        return List.copyOf(list);
    }

    /**
     * Builder for a {@link VggAdapter}. Required: {@link #setSource}. Everything else has the family's default.
     */
    public static final class Builder {
        private final String name;
        private NetworkSource source;
        private VggArchitecture architecture;
        private Preprocessing preprocessing;
        private InputSpace inputSpace = InputSpace.PIXELS;
        private List<String> labels;
        private Path labelsFile;
        private final IntFunction<List<String>> defaultLabels;

        Builder(String name, VggArchitecture architecture, Preprocessing preprocessing,
                IntFunction<List<String>> defaultLabels) {
            this.name = name;
            this.architecture = architecture;
            this.preprocessing = preprocessing;
            this.defaultLabels = defaultLabels;
        }

        /** Where the network comes from (required). */
        public Builder setSource(NetworkSource networkSource) {
            this.source = networkSource;
            return this;
        }

        /** The architecture to check the network against (input size, widths, class count). */
        public Builder optArchitecture(VggArchitecture expected) {
            this.architecture = expected;
            return this;
        }

        /** Shorthand for {@code optArchitecture(architecture.toBuilder().optInputSize(height, width).build())}. */
        public Builder optInputSize(int height, int width) {
            this.architecture = architecture.toBuilder().optInputSize(height, width).build();
            return this;
        }

        /** Shorthand for {@code optArchitecture(architecture.toBuilder().optNumClasses(classes).build())}. */
        public Builder optNumClasses(int classes) {
            this.architecture = architecture.toBuilder().optNumClasses(classes).build();
            return this;
        }

        /** The preprocessing the network was trained with. */
        public Builder optPreprocessing(Preprocessing networkPreprocessing) {
            this.preprocessing = networkPreprocessing;
            return this;
        }

        /** PIXELS (default: preprocessing embedded, pixel-space gradients) or MODEL (raw network input). */
        public Builder optInputSpace(InputSpace space) {
            this.inputSpace = space;
            return this;
        }

        /** The class labels, one per class. */
        public Builder optLabels(List<String> classLabels) {
            this.labels = classLabels == null ? null : List.copyOf(classLabels);
            return this;
        }

        /** A UTF-8 text file with one label per line, read and checked at {@link VggAdapter#load()}. */
        public Builder optLabelsFile(Path file) {
            this.labelsFile = file;
            return this;
        }

        /**
         * Validates the settings.
         *
         * @throws NullPointerException     if no source was set
         * @throws IllegalArgumentException if a setting is null or the labels do not match the class count
         */
        public VggAdapter build() {
            if (source == null) {
                throw new NullPointerException(name + ": source is required: call setSource");
            }
            if (architecture == null || preprocessing == null || inputSpace == null) {
                throw new NullPointerException(name + ": architecture, preprocessing and input space must not be null");
            }
            if (labels != null && labelsFile != null) {
                throw new IllegalArgumentException(name + ": give either labels or a labels file, not both");
            }
            if (labels != null && labels.size() != architecture.numClasses()) {
                throw new IllegalArgumentException(name + ": got " + labels.size() + " labels but the architecture has "
                        + architecture.numClasses() + " classes");
            }
            return new VggAdapter(this);
        }
    }
}
