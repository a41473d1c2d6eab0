/**
 * The xai4j explainer API: the interfaces explainers implement ({@link org.xai4j.AttributionMethod},
 * {@link org.xai4j.ActivationMapper}, {@link org.xai4j.FeatureVisualizer}), their results, progress and cancellation,
 * layer selectors and predictions. They work on the model contract of module xai-engine: the differentiable
 * {@link org.xai4j.engine.ImageModel} and the scalar {@link org.xai4j.engine.Objective}s whose input gradients
 * explainers need (package {@code org.xai4j.engine}).
 */
package org.xai4j;
