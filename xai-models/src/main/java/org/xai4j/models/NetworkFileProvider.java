package org.xai4j.models;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.UnsupportedLayerException;
import org.xai4j.models.keras.KerasH5Source;

/**
 * Model files that Deeplearning4j reads: Keras HDF5 ({@code .h5}, {@code .hdf5}, {@code .keras}: Functional or
 * Sequential, saved with {@code model.save}), a Keras architecture JSON ({@code .json}) with a weights file, and DL4J
 * model zips ({@code .zip}). The network is converted to the engine's graph with the preprocessing (default
 * {@link Preprocessing#UNIT}) prepended.
 *
 * <p>The input shape is the settings', else the one the file records (Keras files record it in their input layer;
 * DL4J files do not). When neither gives it, the square sizes {@link #CANDIDATE_SIZES} are tried in that order with 3
 * channels, and the first one every layer of the network accepts is used (logged at INFO). A network that ends in
 * global pooling accepts any size, so it gets 224x224: give the size it was trained at.
 */
public final class NetworkFileProvider implements ModelProvider {

    /** The input sizes tried, in order, when neither the file nor the settings give one. */
    public static final List<Integer> CANDIDATE_SIZES = List.of(224, 299, 256, 128, 96, 64, 32, 28);

    private static final Logger LOG = LoggerFactory.getLogger(NetworkFileProvider.class);

    @Override public String name() {
        return "Keras HDF5 / JSON or DL4J zip file";
    }

    @Override public List<String> extensions() {
        return List.of(".h5", ".hdf5", ".keras", ".json", ".zip");
    }

    @Override public boolean takesWeights(ModelSettings settings) {
        return isJson(settings);
    }

    @Override public void validate(ModelSettings settings) {
        if (isJson(settings) && settings.weights() == null) {
            throw new IllegalArgumentException("Keras architecture file " + settings.source() + " needs its weights: "
                    + "call optWeights(weights.h5)");
        }
    }

    private static boolean isJson(ModelSettings settings) {
        return settings.source().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    @Override public ImageClassifier load(ModelSettings settings) throws ModelLoadException {
        Path file = settings.sourceFile();
        NetworkSource source = settings.weights() != null
                ? KerasH5Source.builder().setFile(file).optWeights(Path.of(settings.weights())).build()
                : NetworkSource.fromFile(file);
        Model network = source.load();
        String name = file.getFileName().toString();
        Preprocessing pre = settings.preprocessing() == null ? Preprocessing.UNIT : settings.preprocessing();
        long[] shape = settings.inputShape() != null ? settings.inputShape()
                : source.declaredInputShape().orElse(null);
        Nd4jImageModel model = shape != null ? convert(network, name, shape, pre, source)
                : convertAtFirstFittingSize(network, name, pre, source);
        return ImageClassifier.withLabels(name, model, settings.labels(), pre);
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
        throw new ModelLoadException(source.description() + ": none of the input sizes " + CANDIDATE_SIZES
                + " (3 channels, square) fits the network; give its input shape with optInputShape (first error, at "
                + CANDIDATE_SIZES.get(0) + "x" + CANDIDATE_SIZES.get(0) + ": " + first.getMessage() + ")", first);
    }

    private static Nd4jImageModel tryConvert(Model network, String name, long[] shape, Preprocessing pre) {
        NetworkSpec converted = Dl4jNetworks.toSpec(network, name, shape);
        return Nd4jImageModel.of(pre.prependTo(converted));
    }

    @Override public String toString() {
        return name();
    }
}
