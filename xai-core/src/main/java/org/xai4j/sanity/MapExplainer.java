package org.xai4j.sanity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.ActivationMapper;
import org.xai4j.AttributionMethod;
import org.xai4j.engine.ImageModel;

import java.util.function.Function;

/**
 * Produces explanation maps for a model, so that a check can re-run the same explainer on modified models.
 * Maps are {@code [n, H, W]} or {@code [n, C, H, W]} (checks reduce channels as they document).
 */
@FunctionalInterface
public interface MapExplainer {

    /** The maps of {@code inputs} for the classes {@code targets} (one per image, or one for all). */
    INDArray explain(ImageModel model, INDArray inputs, int[] targets);

    /** An attribution method built for each model, e.g. {@code m -> Saliency.builder().setModel(m).build()}. */
    static MapExplainer attribution(Function<ImageModel, ? extends AttributionMethod> method) {
        return (model, inputs, targets) -> method.apply(model).attribute(inputs, targets).values();
    }

    /** An activation mapper built for each model, e.g. {@code m -> GradCam.builder().setModel(m).optLayer(l).build()}. */
    static MapExplainer activationMapper(Function<ImageModel, ? extends ActivationMapper> mapper) {
        return (model, inputs, targets) -> mapper.apply(model).map(inputs, targets).maps();
    }
}
