package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.AttributionMethod;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.internal.Checks;

/**
 * Saliency: the gradient of the objective with respect to the input, optionally its absolute value.
 *
 * <p>Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks: Visualising Image Classification Models
 * and Saliency Maps", ICLR Workshop 2014.
 */
public final class Saliency implements AttributionMethod {

    private final ImageModel model;
    private final boolean absolute;

    private Saliency(ImageModel model, boolean absolute) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        this.model = model;
        this.absolute = absolute;
    }

    /** Plain saliency: the signed gradient. */
    public static Saliency of(ImageModel model) {
        return new Saliency(model, false);
    }

    /** Absolute saliency (the paper's map, before the channel maximum): |gradient|. */
    public static Saliency absolute(ImageModel model) {
        return new Saliency(model, true);
    }

    @Override public ImageModel model() {
        return model;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        Checks.imageBatch(inputs, model.inputShape(), "input");
        INDArray gradient = model.gradient(inputs, objective).inputGradient();
        return new Attribution(absolute ? "AbsoluteSaliency" : "Saliency",
                absolute ? Transforms.abs(gradient, false) : gradient, objective, null, 0, null, inputs.size(0));
    }

    @Override public String toString() {
        return absolute ? "Saliency[absolute]" : "Saliency";
    }
}
