package org.xai4j.models;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Where a VGG network comes from: a Keras HDF5 file ({@link org.xai4j.models.keras.KerasH5Source}), the DL4J zoo
 * cache ({@link org.xai4j.models.zoo.ZooVggSource}), a DL4J model zip ({@link org.xai4j.models.dl4j.ModelZipSource}),
 * or a network already in memory ({@link #of(ComputationGraph)}, {@link #of(MultiLayerNetwork)}).
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

    /** A network already in memory (it is read, never modified). */
    static NetworkSource of(ComputationGraph network) {
        return inMemory(network, "ComputationGraph");
    }

    /** A network already in memory (it is read, never modified). */
    static NetworkSource of(MultiLayerNetwork network) {
        return inMemory(network, "MultiLayerNetwork");
    }

    private static NetworkSource inMemory(Model network, String type) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
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
