package org.xai4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelProviders;
import org.xai4j.models.ModelSettings;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How models are named and read: what {@link ModelSettings} takes besides the source. Names and extensions are the
 * model-provider registry's ({@link ModelProviders}); preprocessing names are {@link Preprocessing#fromName}'s.
 */
public final class LoadOptions {

    /** The help of every command's {@code --model}. */
    public static final String MODEL_HELP = "A model file (Keras .h5/.hdf5/.keras, Keras .json with --weights, DL4J .zip, "
            + "and more with other providers on the class path, e.g. .onnx) or a model name (toy:object, toy:face, "
            + "toy:emotion, zoo:vgg16, zoo:vggface, ...).";

    @Option(names = "--labels", paramLabel = "FILE", description = "Class labels, one per line (default: the named "
            + "model's, else class_0, class_1, ...).")
    Path labels;

    @Option(names = "--input-size", paramLabel = "HxW", converter = InputSizeConverter.class,
            description = "Input size, e.g. 224 or 224x224 (default: the file's, else the first of 224, 299, 256, 128, "
                    + "96, 64, 32, 28 the network accepts).")
    long[] inputShape;

    @Option(names = "--preprocess", paramLabel = "MODE", converter = PreprocessingConverter.class,
            description = "What the network expects of [0, 1] RGB pixels: none, unit (default for files), caffe "
                    + "(Keras VGG16/ResNet50), vggface, imagenet (torchvision's mean/std).")
    Preprocessing preprocessing;

    @Option(names = "--mean", paramLabel = "R,G,B", split = ",", description = "With --std: the network takes "
            + "(pixel - mean) / std of [0, 1] RGB pixels (instead of --preprocess).")
    double[] mean;

    @Option(names = "--std", paramLabel = "R,G,B", split = ",", description = "With --mean: per-channel standard "
            + "deviations.")
    double[] std;

    @Option(names = "--weights", paramLabel = "FILE.h5", description = "Weights of a Keras architecture .json model.")
    Path weights;

    /** Filled by picocli. */
    public LoadOptions() { }

    /**
     * The checked settings of a model, whose file must be readable here.
     *
     * @param source a model file or name
     * @return the settings
     * @throws UsageException for a missing or unreadable file, a bad option or a source no provider takes
     */
    public ModelSettings settings(String source) {
        return settings(source, true);
    }

    /**
     * The checked settings of a model.
     *
     * @param source          a model file or name
     * @param checkLocalFiles whether a model file must be readable here (false for a Spark driver, whose files may
     *                        be Hadoop URIs)
     * @return the settings
     * @throws UsageException for a missing or unreadable file, a bad option or a source no provider takes
     */
    public ModelSettings settings(String source, boolean checkLocalFiles) {
        try {
            ModelSettings.Builder b = ModelSettings.builder().setSource(source);
            if (checkLocalFiles && ModelProviders.forSource(source).readsFile() && !Files.isReadable(Path.of(source))) {
                throw new UsageException("cannot read model file " + source);
            }
            if (labels != null) {
                b.optLabels(labels.toString());
            }
            if (inputShape != null) {
                b.optInputShape(inputShape);
            }
            Preprocessing chosen = preprocessing();
            if (chosen != null) {
                b.optPreprocessing(chosen);
            }
            if (weights != null) {
                b.optWeights(weights.toString());
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(Xai4j.oneLine(e), e);
        }
    }

    private Preprocessing preprocessing() {
        if ((mean == null) != (std == null)) {
            throw new UsageException("give --mean and --std together");
        }
        if (mean != null) {
            if (preprocessing != null) {
                throw new UsageException("give either --preprocess or --mean/--std, not both");
            }
            return Preprocessing.meanStd(mean, std);
        }
        return preprocessing;
    }

    /**
     * Loads a classifier.
     *
     * @param source {@code file.h5}, {@code file.zip}, {@code zoo:vgg16}, {@code toy:emotion}, ...
     * @throws UsageException for a missing or unreadable file, a bad option or a file that is not a supported model
     */
    public ImageClassifier load(String source) {
        ModelSettings settings = settings(source);
        try {
            return ImageClassifierLoader.of(settings).load();
        } catch (ModelLoadException e) {
            throw new UsageException("cannot load model " + source + ": " + Xai4j.oneLine(e), e);
        }
    }

    /** {@code 224} or {@code 224x160} to {@code [3, height, width]}. */
    public static final class InputSizeConverter implements CommandLine.ITypeConverter<long[]> {
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

    /** A name of {@link Preprocessing#fromName}. */
    public static final class PreprocessingConverter implements CommandLine.ITypeConverter<Preprocessing> {
        @Override public Preprocessing convert(String value) {
            try {
                return Preprocessing.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(Xai4j.oneLine(e));
            }
        }
    }
}
