package org.xai4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How model files are read: what {@link ImageClassifierLoader} takes besides the source. */
final class LoadOptions {

    @Option(names = "--labels", paramLabel = "FILE", description = "Class labels, one per line (default: the named "
            + "model's, else class_0, class_1, ...).")
    Path labels;

    @Option(names = "--input-size", paramLabel = "HxW", converter = InputSizeConverter.class,
            description = "Input size, e.g. 224 or 224x224 (default: the file's, else the first of 224, 299, 256, 128, "
                    + "96, 64, 32, 28 the network accepts).")
    long[] inputShape;

    @Option(names = "--preprocess", paramLabel = "MODE", converter = PreprocessingConverter.class,
            description = "What the network expects of [0, 1] RGB pixels: none, unit (default for files), caffe "
                    + "(Keras VGG16/ResNet50), vggface.")
    Preprocessing preprocessing;

    @Option(names = "--weights", paramLabel = "FILE.h5", description = "Weights of a Keras architecture .json model.")
    Path weights;

    /**
     * Loads a classifier.
     *
     * @param source {@code file.h5}, {@code file.zip}, {@code zoo:vgg16}, {@code toy:emotion}, ...
     * @throws UsageException for a missing or unreadable file, a bad option or a file that is not a supported model
     */
    ImageClassifier load(String source) {
        boolean named = source.startsWith("toy:") || source.startsWith("zoo:");
        if (!named && !Files.isReadable(Path.of(source))) {
            throw new UsageException("cannot read model file " + source);
        }
        ImageClassifierLoader loader;
        try {
            ImageClassifierLoader.Builder b = ImageClassifierLoader.builder().setSource(source);
            if (labels != null) {
                b.optLabels(labels);
            }
            if (inputShape != null) {
                b.optInputShape(inputShape);
            }
            if (preprocessing != null) {
                b.optPreprocessing(preprocessing);
            }
            if (weights != null) {
                b.optWeights(weights);
            }
            loader = b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(Xai4j.oneLine(e), e);
        }
        try {
            return loader.load();
        } catch (ModelLoadException e) {
            throw new UsageException("cannot load model " + source + ": " + Xai4j.oneLine(e), e);
        }
    }

    /** {@code 224} or {@code 224x160} to {@code [3, height, width]}. */
    static final class InputSizeConverter implements CommandLine.ITypeConverter<long[]> {
        @Override public long[] convert(String value) {
            String[] parts = value.toLowerCase(Locale.ROOT).split("x", -1);
            try {
                long h = Long.parseLong(parts[0].strip());
                long w = parts.length == 2 ? Long.parseLong(parts[1].strip()) : h;
                if (parts.length > 2 || h <= 0 || w <= 0) {
                    throw new NumberFormatException();
                }
                return new long[] {3, h, w};
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size; expected e.g. 224 or "
                        + "224x224");
            }
        }
    }

    /** {@code none|unit|caffe|vggface}. */
    static final class PreprocessingConverter implements CommandLine.ITypeConverter<Preprocessing> {
        @Override public Preprocessing convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "none" -> Preprocessing.NONE;
                case "unit" -> Preprocessing.UNIT;
                case "caffe" -> Preprocessing.CAFFE_IMAGENET;
                case "vggface" -> Preprocessing.VGGFACE;
                default -> throw new CommandLine.TypeConversionException("unknown preprocessing '" + value
                        + "'; expected none, unit, caffe or vggface");
            };
        }
    }
}
