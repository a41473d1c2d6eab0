package org.xai4j.engine;

/** Element-wise activation functions the engine can run forward and differentiate with respect to their input. */
public enum ActivationFunction {
    /** No activation. */
    IDENTITY,
    /** {@code max(0, x)}. */
    RELU,
    /** Leaky ReLU with the slope given by the layer ({@code alpha}). */
    LEAKY_RELU,
    /** Hyperbolic tangent. */
    TANH,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** {@code log(1 + exp(x))}. */
    SOFTPLUS,
    /** Softmax over the feature dimension; only allowed as the last layer's activation (its input is the logits). */
    SOFTMAX
}
