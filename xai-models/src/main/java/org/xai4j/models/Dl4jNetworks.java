package org.xai4j.models;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.xai4j.models.dl4j.Dl4jNetworkConverter;
import org.xai4j.engine.NetworkSpec;

/** Conversion of either kind of DL4J network to a {@link NetworkSpec} through {@link Dl4jNetworkConverter}. */
public final class Dl4jNetworks {

    private Dl4jNetworks() { }

    /** Converts a {@link ComputationGraph} or {@link MultiLayerNetwork} whose input is {@code inputShape} (CHW). */
    public static NetworkSpec toSpec(Model network, String name, long[] inputShape) {
        if (network instanceof ComputationGraph graph) {
            return Dl4jNetworkConverter.toSpec(graph, name, inputShape);
        }
        if (network instanceof MultiLayerNetwork mln) {
            return Dl4jNetworkConverter.toSpec(mln, name, inputShape);
        }
        throw new IllegalArgumentException("unsupported network type "
                + (network == null ? "null" : network.getClass().getName())
                + "; expected a ComputationGraph or a MultiLayerNetwork");
    }
}
