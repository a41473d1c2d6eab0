package org.xai4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.activation.ActivationMap;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;

/**
 * Maps what one spatial layer of a model sees onto the input image: one heat map per image, at input resolution.
 *
 * <p>Implementations: {@link org.xai4j.activation.NeuronActivations} (the activation map of a chosen neuron, plus
 * spike totals and top-k neurons), and the class activation maps {@link org.xai4j.activation.GradCam},
 * {@link org.xai4j.activation.GradCamPlusPlus}, {@link org.xai4j.activation.ScoreCam},
 * {@link org.xai4j.activation.LayerCam}, {@link org.xai4j.activation.HiResCam},
 * {@link org.xai4j.activation.GradCamElementWise}, {@link org.xai4j.activation.XGradCam},
 * {@link org.xai4j.activation.EigenCam}, {@link org.xai4j.activation.EigenGradCam},
 * {@link org.xai4j.activation.AblationCam} and {@link org.xai4j.activation.FullGrad} (whose map is at input
 * resolution: its {@link #layer()} is the model input).
 */
public interface ActivationMapper {

    /** The model being explained. */
    ImageModel model();

    /** The spatial layer whose activations are mapped. */
    String layer();

    /**
     * One map per image for a per-example target.
     *
     * @param inputs    a batch {@code [n, channels, height, width]}
     * @param objective what to map: a class objective for CAMs, a channel of {@link #layer()} for neuron maps
     * @return maps {@code [n, height, width]}, normalized as the mapper documents
     */
    ActivationMap map(INDArray inputs, Objective objective);

    /**
     * One map per image for the target {@code targets[i]} of image i (one target applies to all): a class for CAMs
     * (no targets: each image's predicted class), a channel of {@link #layer()} for neuron maps.
     */
    ActivationMap map(INDArray inputs, int... targets);
}
