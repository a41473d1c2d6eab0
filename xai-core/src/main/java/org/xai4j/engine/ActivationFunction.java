package org.xai4j.engine;

/** Element-wise activation functions the engine can run forward and differentiate with respect to their input. */
public enum ActivationFunction {
    IDENTITY,
    RELU,
    /** Leaky ReLU with the slope given by the layer ({@code alpha}). */
    LEAKY_RELU,
    TANH,
    SIGMOID,
    SOFTPLUS,
    /** Softmax over the feature dimension; only allowed as the last layer's activation (its input is the logits). */
    SOFTMAX
}
