package org.xai4j.guided;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;

/**
 * What guided backpropagation and deconvolution share: the input gradient of the objective with the engine's ReLUs
 * overridden by a backward mode; each method is its mode.
 */
abstract class ReluOverride implements AttributionMethod {

    private final String name;
    private final BackwardMode mode;
    private final Nd4jImageModel model;

    ReluOverride(String name, BackwardMode mode, ImageModel model) {
        this.name = name;
        this.mode = mode;
        this.model = BackwardMode.engineModel(model, name);
    }

    @Override public ImageModel model() {
        return model;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        INDArray values = model.gradient(inputs, objective, mode).inputGradient();
        return new Attribution(name, values, objective, null, 0, null, inputs.size(0));
    }

    @Override public String toString() {
        return name;
    }
}
