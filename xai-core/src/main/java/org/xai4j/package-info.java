/**
 * The xai4j core API: the differentiable {@link org.xai4j.ImageModel} every explainer works on,
 * the scalar {@link org.xai4j.Objective}s whose input gradients explainers need, and the explainer interfaces.
 */
package org.xai4j;
