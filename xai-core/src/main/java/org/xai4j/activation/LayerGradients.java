package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;

import java.util.Arrays;

/** The gradient of an objective with respect to a layer's activation, {@code dY/dA}, with CAM-specific checks. */
final class LayerGradients {

    /** The activation of the layer, {@code [n, ...]}, and the objective's values and gradient with respect to it. */
    record Result(INDArray activation, INDArray values, INDArray gradient) { }

    private LayerGradients() { }

    static Result of(ImageModel model, INDArray inputs, Objective objective, String layer) {
        long[] shape = model.layerShape(layer);
        if (shape.length != 3) {
            throw new IllegalArgumentException("layer '" + layer + "' is not spatial (per-example shape "
                    + Arrays.toString(shape) + "); expected a [channels, height, width] layer");
        }
        ImageModel.LayerGradient g = model.layerGradient(inputs, objective, layer);
        return new Result(g.activation(), g.values(), g.gradient());
    }
}
