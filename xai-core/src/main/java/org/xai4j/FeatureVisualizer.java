package org.xai4j;

import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.features.FeatureVisualization;

/**
 * Activation maximization: synthesizes input images that maximize an objective (a channel of a layer, a neuron, a
 * class logit), to show what a network has learned to detect.
 *
 * <p>Implementation: {@link org.xai4j.features.ActivationMaximization}.
 */
public interface FeatureVisualizer {

    /** The model whose features are visualized. */
    ImageModel model();

    /**
     * Optimizes {@code images} images together, image i for the objective's target i (one target applies to all).
     * Image i depends only on the seed and i, not on the other images of the batch.
     */
    FeatureVisualization visualize(Objective objective, int images);

    /**
     * One image per channel of a layer (the mean activation of the channel), optimized in batches. The image of a
     * channel depends only on the seed and the channel, not on which other channels are visualized with it.
     *
     * @throws IllegalArgumentException for an unknown layer (listing the valid names) or a channel out of range
     */
    FeatureVisualization visualizeChannels(String layer, int... channels);

    /** One image per channel of the layer, for all its channels. */
    FeatureVisualization visualizeLayer(String layer);

    /** One image per class, maximizing its logit. */
    FeatureVisualization visualizeClasses(int... classes);
}
