package org.xai4j.models;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a VGG network comes from: a Keras HDF5 file ({@link org.xai4j.models.keras.KerasH5Source}), the DL4J zoo
 * cache ({@link org.xai4j.models.zoo.ZooVggSource}), a DL4J model zip ({@link org.xai4j.models.dl4j.ModelZipSource}),
 * or a network already in memory ({@link #inMemory(Model)}).
 */
public interface NetworkSource {

    /**
     * Loads the network: a {@link ComputationGraph} or a {@link MultiLayerNetwork}.
     *
     * @throws ModelLoadException naming the file and what was wrong with it
     */
    Model load() throws ModelLoadException;

    /** A short description for messages: the file path, or the zoo model and cache file. */
    String description();

    /**
     * The input shape the source records for its network, if it records one: Keras files do (the input layer's
     * {@code batch_input_shape}, unless it leaves sizes open), DL4J files do not.
     *
     * @return {@code [channels, height, width]}, or empty if the source does not record it
     * @throws ModelLoadException naming the file, if it cannot be read
     */
    default Optional<long[]> declaredInputShape() throws ModelLoadException {
        return Optional.empty();
    }

    /**
     * The source for a model file, by its extension: a Keras HDF5 file ({@code .h5}, {@code .hdf5}, {@code .keras};
     * {@link org.xai4j.models.keras.KerasH5Source}) or a DL4J model zip ({@code .zip};
     * {@link org.xai4j.models.dl4j.ModelZipSource}). The file is read by {@link #load()}.
     *
     * @param file the model file
     * @return its source
     * @throws NullPointerException     if {@code file} is null
     * @throws IllegalArgumentException if the extension is none of these
     */
    static NetworkSource fromFile(Path file) {
        java.util.Objects.requireNonNull(file, "file must not be null");
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
            return org.xai4j.models.keras.KerasH5Source.builder().setFile(file).build();
        }
        if (name.endsWith(".zip")) {
            return org.xai4j.models.dl4j.ModelZipSource.builder().setFile(file).build();
        }
        throw new IllegalArgumentException("unsupported model file " + file + "; expected a Keras .h5, .hdf5 or "
                + ".keras file, or a DL4J .zip");
    }

    /**
     * A network already in memory, a {@link ComputationGraph} or a {@link MultiLayerNetwork} (it is read, never
     * modified).
     *
     * @param network the network
     * @return its source
     * @throws NullPointerException     if {@code network} is null
     * @throws IllegalArgumentException if it is neither a ComputationGraph nor a MultiLayerNetwork
     */
    static NetworkSource inMemory(Model network) {
        java.util.Objects.requireNonNull(network, "network must not be null");
        if (!(network instanceof ComputationGraph) && !(network instanceof MultiLayerNetwork)) {
            throw new IllegalArgumentException("unsupported network type " + network.getClass().getName()
                    + "; expected a ComputationGraph or a MultiLayerNetwork");
        }
        return inMemory(network, network.getClass().getSimpleName());
    }

    private static NetworkSource inMemory(Model network, String type) {
        return new NetworkSource() {
            @Override public Model load() {
                return network;
            }

            @Override public String description() {
                return "in-memory " + type;
            }
        };
    }
}
