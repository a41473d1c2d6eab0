package org.xai4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.zoo.PretrainedType;
import org.xai4j.ImageModel;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.models.Dl4jNetworks;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.NetworkSource;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.VGG16;
import org.xai4j.models.VGGEmotion;
import org.xai4j.models.VGGFace;
import org.xai4j.models.VggAdapter;
import org.xai4j.models.VggModel;
import org.xai4j.models.dl4j.ModelZipSource;
import org.xai4j.models.keras.KerasH5Source;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.zoo.ZooVggSource;

/** Loads the models the examples run on: the embedded toy mini-VGGs, VGG weight files, or any DL4J/Keras image model. */
final class Models {

    private Models() {
    }

    /** A model ready to explain: pixel-space input {@code [3, height, width]}, with labels. */
    record Loaded(String name, ImageModel model, List<String> labels, Preprocessing preprocessing) {

        int height() {
            return (int) model.inputShape()[1];
        }

        int width() {
            return (int) model.inputShape()[2];
        }

        String label(int i) {
            return i >= 0 && i < labels.size() ? labels.get(i) : "class_" + i;
        }

        static Loaded of(VggModel m) {
            return new Loaded(m.name(), m.model(), m.labels(), m.preprocessing());
        }
    }

    /** The embedded toy models by their short name ({@code object}, {@code face}, {@code emotion}). */
    static VggModel toy(String which) {
        return switch (which) {
            case "object" -> ToyModels.objectVgg();
            case "face" -> ToyModels.faceVgg();
            case "emotion" -> ToyModels.emotionVgg();
            default -> throw new UsageException("unknown toy model 'toy:" + which + "'; expected toy:object, toy:face "
                    + "or toy:emotion");
        };
    }

    /** Parses {@code none|unit|caffe|vggface}. */
    static Preprocessing preprocessing(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> Preprocessing.NONE;
            case "unit" -> Preprocessing.UNIT;
            case "caffe" -> Preprocessing.CAFFE_IMAGENET;
            case "vggface" -> Preprocessing.VGGFACE;
            default -> throw new UsageException("unknown preprocessing '" + name
                    + "'; expected none, unit, caffe or vggface");
        };
    }

    /** A network source for {@code zoo}, a {@code .h5} file or a DL4J {@code .zip}. */
    static NetworkSource source(String spec, PretrainedType zooType) {
        if (spec.equals("zoo")) {
            return ZooVggSource.of(zooType);
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException("cannot read model file " + file);
        }
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".h5") || lower.endsWith(".hdf5") || lower.endsWith(".keras")) {
            return KerasH5Source.of(file);
        }
        if (lower.endsWith(".zip")) {
            return ModelZipSource.of(file);
        }
        throw new UsageException("unsupported model file " + file + "; expected a Keras .h5 or a DL4J .zip");
    }

    /** VGG16, VGGFace or VGGEmotion from {@code zoo}, an .h5 or a .zip, in pixel space. */
    static VggModel vgg(String role, String spec) {
        try {
            VggAdapter.Builder b = switch (role) {
                case "vgg16" -> VGG16.builder().setSource(source(spec, PretrainedType.IMAGENET));
                case "vggface" -> VGGFace.builder().setSource(source(spec, PretrainedType.VGGFACE));
                case "vggemotion" -> {
                    if (spec.equals("zoo")) {
                        throw new UsageException("there is no zoo VGGEmotion; give --vggemotion a .h5 or .zip file");
                    }
                    yield VGGEmotion.builder().setSource(source(spec, null));
                }
                default -> throw new IllegalArgumentException(role);
            };
            return b.build().load();
        } catch (ModelLoadException e) {
            throw new UsageException("cannot load --" + role + " " + spec + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads any model for the explain command: {@code toy:object|face|emotion}, or a Keras .h5 / DL4J .zip image
     * classifier, with the given preprocessing embedded (so that it takes pixels in [0, 1]).
     *
     * @param fallbackHeight input height when the file does not declare one (the image's)
     * @param fallbackWidth  input width when the file does not declare one
     */
    static Loaded load(String spec, Preprocessing preprocessing, int fallbackHeight, int fallbackWidth) {
        if (spec.startsWith("toy:")) {
            VggModel toy = toy(spec.substring(4));
            if (preprocessing != null && preprocessing != Preprocessing.UNIT && preprocessing != Preprocessing.NONE) {
                throw new UsageException("the toy models take pixels in [0, 1]; use --preprocess unit (or none)");
            }
            return Loaded.of(toy);
        }
        NetworkSource source = source(spec, null);
        Model network;
        try {
            network = source.load();
        } catch (ModelLoadException e) {
            throw new UsageException("cannot load model " + spec + ": " + e.getMessage(), e);
        }
        String name = Path.of(spec).getFileName().toString();
        Preprocessing pre = preprocessing == null ? Preprocessing.UNIT : preprocessing;
        // DL4J files do not record the input size: try the image's, then common sizes. Only building the model checks
        // that a size fits every layer (e.g. that the flattened activation matches the first dense layer).
        Nd4jImageModel model = null;
        RuntimeException firstError = null;
        int[][] sizes = {{fallbackHeight, fallbackWidth}, {224, 224}, {64, 64}, {32, 32}, {28, 28}};
        List<String> tried = new ArrayList<>();
        for (int[] size : sizes) {
            String label = size[0] + "x" + size[1];
            if (tried.contains(label)) {
                continue;
            }
            tried.add(label);
            long[] candidate = {3, size[0], size[1]};
            try {
                NetworkSpec converted = Dl4jNetworks.toSpec(network, name, candidate);
                List<LayerSpec> layers = new ArrayList<>(pre.layers());
                layers.addAll(converted.layers());
                model = Nd4jImageModel.of(new NetworkSpec(name, candidate, layers));
                break;
            } catch (RuntimeException e) {
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        if (model == null) {
            throw new UsageException("cannot use model " + spec + ": no input size fits its layers (tried "
                    + String.join(", ", tried) + "): " + Explain.oneLine(firstError), firstError);
        }
        int classes = model.numClasses();
        List<String> labels;
        if (classes == VGG16.NUM_CLASSES) {
            labels = VGG16.imageNetLabels();
        } else if (classes == VGGEmotion.EMOTIONS.size()) {
            labels = VGGEmotion.EMOTIONS;
        } else {
            labels = java.util.stream.IntStream.range(0, classes).mapToObj(i -> "class_" + i).toList();
        }
        return new Loaded(name, model, labels, pre);
    }

}
