package org.xai4j.spark.internal;

import org.xai4j.sanity.PixelRelevance;
import org.xai4j.spark.ExplainerFactory;

import java.io.Serializable;

/**
 * What every partition of a dataset job needs, resolved on the driver.
 *
 * @param model            the model and how to get it
 * @param explainer        makes the explainer
 * @param spikeLayer       the spatial layer whose per-neuron sums are the spike totals
 * @param topK             how many top neurons each row lists
 * @param batchSize        images per model batch
 * @param explainLabels    whether an image with a label is explained for its label rather than its prediction
 * @param tolerance        the pointing game's tolerance in pixels
 * @param mapRelevance     how input attributions become one value per pixel for the mean maps
 * @param attributionsDir  where raw maps go as {@code .npy} files, or null for none
 * @param io               file access with the job's Hadoop configuration
 */
public record JobSettings(ShippedModel model, ExplainerFactory explainer, String spikeLayer, int topK, int batchSize,
                          boolean explainLabels, double tolerance, PixelRelevance mapRelevance, String attributionsDir,
                          HadoopFiles io) implements Serializable { }
