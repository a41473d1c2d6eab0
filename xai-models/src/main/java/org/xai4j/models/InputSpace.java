package org.xai4j.models;

/**
 * Which input an {@link ImageClassifier}'s {@link org.xai4j.engine.ImageModel} takes.
 *
 * <p>The xai4j convention is {@link #PIXELS}: the network's preprocessing is part of the model, so inputs,
 * gradients, attributions and baselines (a black baseline is all zeros, a gray one is 0.5) all live in the space of
 * the image a user looks at. {@link #MODEL} leaves the preprocessing out (a VGG adapter's
 * {@link VggAdapter.Builder#optInputSpace}), for users who want the raw network; {@link ImageClassifier#toInput}
 * and {@link ImageClassifier#toModelInput} apply {@link Preprocessing#apply} for it, and a "black" baseline is
 * whatever black becomes after it.
 */
public enum InputSpace {
    /** RGB, NCHW, values in [0, 1]; the preprocessing is the model's first layers. */
    PIXELS,
    /** The network's own input (after preprocessing), NCHW. */
    MODEL
}
