package org.xai4j.models.transfer;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.xai4j.models.VggArchitecture;

import java.util.List;

/**
 * A VGGEmotion network built by {@link EmotionTransfer}, ready for {@link FineTuner}.
 *
 * @param graph          the DL4J network (trained in place by {@link FineTuner})
 * @param retrainedLayer the vertex name of the re-initialized, trainable last convolution (e.g. {@code conv5_3})
 * @param frozenLayers   the vertex names of the frozen layers with parameters (every convolution before it)
 * @param inputFormat    the layout the DL4J network takes (NHWC for Keras imports, NCHW otherwise)
 * @param architecture   the architecture of the result (the base body with the normalized head)
 * @param classes        the class names, in output order
 */
public record EmotionNetwork(ComputationGraph graph, String retrainedLayer, List<String> frozenLayers,
                             CNN2DFormat inputFormat, VggArchitecture architecture, List<String> classes) {

    /** Copies the lists. */
    public EmotionNetwork {
        frozenLayers = List.copyOf(frozenLayers);
        classes = List.copyOf(classes);
    }
}
