package org.xai4j.engine;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sequential image network: input shape and an ordered list of layers, framework-independent.
 *
 * @param name       a label for logs and error messages
 * @param inputShape one example's shape {@code [channels, height, width]}
 * @param layers     the layers, first to last; names must be unique
 */
public record NetworkSpec(String name, long[] inputShape, List<LayerSpec> layers) {

    /** Checks the input shape and the layer names, and copies the arguments. */
    public NetworkSpec {
        if (inputShape == null || inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("input shape must be [channels, height, width] with positive sizes, got "
                    + Arrays.toString(inputShape));
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("network '" + name + "' has no layers");
        }
        Set<String> names = new HashSet<>();
        for (LayerSpec layer : layers) {
            if (layer.name() == null || layer.name().isBlank() || !names.add(layer.name())) {
                throw new IllegalArgumentException("layer names must be unique and non-blank, got '" + layer.name()
                        + "' twice or blank in network '" + name + "'");
            }
        }
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
    }

    /**
     * One example's shape.
     *
     * @return a copy of {@code [channels, height, width]}
     */
    @Override public long[] inputShape() { return inputShape.clone(); }

    @Override public String toString() {
        return "NetworkSpec[" + name + ", input=" + Arrays.toString(inputShape) + ", layers=" + layers.size() + "]";
    }
}
