package org.xai4j.engine;

/** Element-wise activation functions the engine can run forward and differentiate with respect to their input. */
public enum ActivationFunction {
    /** No activation. */
    IDENTITY,
    /** {@code max(0, x)}. */
    RELU,
    /** {@code min(max(0, x), 6)}, as MobileNet uses. */
    RELU6,
    /** Leaky ReLU with the slope given by the layer ({@code alpha}): {@code x} for {@code x >= 0}, else {@code alpha x}. */
    LEAKY_RELU,
    /** Exponential linear unit: {@code x} for {@code x > 0}, else {@code alpha (exp(x) - 1)}. */
    ELU,
    /** {@code x * sigmoid(x)} (also called SiLU). */
    SWISH,
    /** {@code min(1, max(0, 0.2 x + 0.5))}, as Keras and DL4J define it. */
    HARD_SIGMOID,
    /** Hyperbolic tangent. */
    TANH,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** {@code log(1 + exp(x))}. */
    SOFTPLUS,
    /** Softmax over the feature dimension; only allowed as the last layer's activation (its input is the logits). */
    SOFTMAX;

    /**
     * Whether the function takes the layer's {@code alpha} parameter (the slope of leaky ReLU, the scale of ELU).
     *
     * @return true for {@link #LEAKY_RELU} and {@link #ELU}
     */
    public boolean usesAlpha() {
        return this == LEAKY_RELU || this == ELU;
    }
}
