package org.xai4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;

/**
 * A method that attributes a model's output to the pixels of its input: integrated gradients, saliency,
 * input times gradient, and noise tunnels over any of them.
 */
public interface AttributionMethod {

    /** The model being explained. */
    ImageModel model();

    /**
     * Attributes a per-example objective (a class logit, a probability, a neuron) to the input pixels.
     *
     * @param inputs    a batch {@code [n, channels, height, width]}
     * @param objective what to explain; targets are per example
     * @return attributions with the shape of {@code inputs}
     */
    Attribution attribute(INDArray inputs, Objective objective);

    /**
     * Attributes the logit of class {@code targets[i]} of each example; with no targets, each example's
     * predicted class.
     */
    default Attribution attribute(INDArray inputs, int... targets) {
        return attribute(inputs, Objective.classLogit(targets == null || targets.length == 0
                ? Predictions.predictedClasses(model(), inputs) : targets));
    }
}
