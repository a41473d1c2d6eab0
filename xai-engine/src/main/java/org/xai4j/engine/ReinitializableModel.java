package org.xai4j.engine;

import java.util.List;
import java.util.Set;

/**
 * A model that can make copies of itself with some layers' learned weights re-drawn at random: what the model
 * randomization sanity check (Adebayo et al. 2018, {@code org.xai4j.sanity.ModelRandomization} in xai-core) needs. A
 * capability of a model, asked for by type, so checks work with any engine that offers it.
 */
public interface ReinitializableModel extends ImageModel {

    /**
     * The layers with learned weights, in forward order.
     *
     * @return the layer names
     */
    List<String> weightedLayers();

    /**
     * A copy of this model whose named layers have new random weights (He-normal, zero biases), each layer drawn from
     * its own generator seeded from {@code seed} and the layer's position, so a layer gets the same weights whatever
     * else is re-drawn with it.
     *
     * @param layers layers of {@link #weightedLayers()}
     * @param seed   the seed
     * @return a new model; the caller closes it
     * @throws IllegalArgumentException if a layer is unknown or has no weights (the message lists the valid ones)
     */
    ImageModel withReinitializedLayers(Set<String> layers, long seed);
}
