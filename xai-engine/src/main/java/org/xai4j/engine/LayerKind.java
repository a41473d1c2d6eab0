package org.xai4j.engine;

/**
 * What a layer of an {@link ImageModel} computes, coarsely: enough for choosing layers (the last convolution, the last
 * spatial layer before global pooling) without knowing the engine's types.
 */
public enum LayerKind {
    /** A 2-D convolution (plain, or the pointwise part of a separable convolution). */
    CONVOLUTION,
    /** A depthwise 2-D convolution: each input channel convolved with its own kernels. */
    DEPTHWISE_CONVOLUTION,
    /** Max or average pooling over windows. */
    POOLING,
    /** Max or average pooling over all spatial positions, {@code [c, h, w] -> [c]}. */
    GLOBAL_POOLING,
    /** A fully connected layer. */
    DENSE,
    /** A normalization: batch normalization at inference time, a per-channel affine map, L2 normalization. */
    NORMALIZATION,
    /** An element-wise activation function. */
    ACTIVATION,
    /** A vertex that combines several inputs: element-wise sum, product, average, maximum, or channel concatenation. */
    MERGE,
    /** A change of shape or layout without arithmetic: flatten, zero padding, cropping, upsampling, channel order. */
    RESHAPE,
    /** A scalar affine map of its input ({@code x * scale + shift}). */
    SCALE,
    /** The identity at inference time (dropout). */
    IDENTITY
}
