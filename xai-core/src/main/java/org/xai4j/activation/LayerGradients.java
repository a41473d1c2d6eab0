package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.ObjectiveGradient;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.SameDiffImageModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.WeakHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gradient of an objective with respect to a layer's activation, {@code dY/dA}, which the gradient-weighted CAMs
 * need and {@link ImageModel} does not expose (it only returns input gradients).
 *
 * <p>For a {@link SameDiffImageModel} it is computed exactly: the network after the layer is itself a network whose
 * input is the layer's activation, so its input gradient is {@code dY/dA}. The "head" model is built once per layer
 * from the public {@link NetworkSpec} and cached. Other models need the core addition
 * {@code ImageModel.layerGradient(input, objective, layer)}.
 */
final class LayerGradients {

    private static final Map<SameDiffImageModel, Map<String, SameDiffImageModel>> HEADS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** The activation of the layer, {@code [n, ...]}, and the objective's values and gradient with respect to it. */
    record Result(INDArray activation, INDArray values, INDArray gradient) { }

    private LayerGradients() { }

    static Result of(ImageModel model, INDArray inputs, Objective objective, String layer) {
        if (!(model instanceof SameDiffImageModel sd)) {
            throw new IllegalArgumentException("gradient-weighted CAMs need dY/dA at layer '" + layer + "', which "
                    + model.getClass().getSimpleName() + " does not provide; expected a SameDiffImageModel (or a model "
                    + "implementing the proposed ImageModel.layerGradient(input, objective, layer))");
        }
        INDArray activation = model.activations(inputs, layer);
        SameDiffImageModel head = HEADS.computeIfAbsent(sd, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(layer, l -> head(sd, l));
        if (objective.layer().isPresent() && !head.layerNames().contains(objective.layer().get())) {
            throw new IllegalArgumentException("objective " + objective + " reads layer '" + objective.layer().get()
                    + "', which is not after layer '" + layer + "'; expected the logits or one of " + head.layerNames());
        }
        ObjectiveGradient g = head.gradient(activation, objective);
        return new Result(activation, g.values(), g.inputGradient());
    }

    private static SameDiffImageModel head(SameDiffImageModel model, String layer) {
        NetworkSpec spec = model.spec();
        List<LayerSpec> layers = spec.layers();
        int index = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layer)) {
                index = i;
            }
        }
        List<LayerSpec> rest = new ArrayList<>(layers.subList(index + 1, layers.size()));
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("layer '" + layer + "' is the output layer; expected a layer before it");
        }
        long[] shape = model.layerShape(layer);
        if (shape.length != 3) {
            throw new IllegalArgumentException("layer '" + layer + "' is not spatial (per-example shape "
                    + Arrays.toString(shape) + "); expected a [channels, height, width] layer");
        }
        return SameDiffImageModel.of(new NetworkSpec(spec.name() + "/after-" + layer, shape, rest), model.dataType());
    }
}
