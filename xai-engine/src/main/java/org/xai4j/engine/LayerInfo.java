package org.xai4j.engine;

import java.util.Arrays;
import java.util.List;

/**
 * One layer of an {@link ImageModel}: its name, what it computes, the shape of one example's activation and the
 * layers it reads.
 *
 * @param name   the layer name, unique within the model
 * @param kind   what the layer computes
 * @param shape  one example's activation shape: {@code [channels, height, width]} or {@code [units]}
 * @param inputs the names of the layers it reads, in order; {@link #MODEL_INPUT} for the model's input
 */
public record LayerInfo(String name, LayerKind kind, long[] shape, List<String> inputs) {

    /** The name under which a layer's inputs list the model's own input. */
    public static final String MODEL_INPUT = "input";

    /** Checks the components and copies the arrays. */
    public LayerInfo {
        if (name == null || kind == null || shape == null || inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("a layer needs a name, a kind, a shape and at least one input, got name="
                    + name + ", kind=" + kind + ", shape=" + Arrays.toString(shape) + ", inputs=" + inputs);
        }
        shape = shape.clone();
        inputs = List.copyOf(inputs);
    }

    /**
     * One example's activation shape.
     *
     * @return a copy of the shape
     */
    @Override public long[] shape() {
        return shape.clone();
    }

    /**
     * Whether the activation has spatial dimensions, {@code [channels, height, width]}.
     *
     * @return true for rank-3 activations
     */
    public boolean isSpatial() {
        return shape.length == 3;
    }

    @Override public String toString() {
        return "LayerInfo[" + name + ", " + kind + ", shape=" + Arrays.toString(shape) + ", inputs=" + inputs + "]";
    }
}
