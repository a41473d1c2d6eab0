/**
 * Perturbation attribution: occlusion (a sliding window replaced by a baseline) and feature ablation (each feature of
 * a {@link org.xai4j.segmentation.Segmentation} replaced by a baseline), following Captum's {@code Occlusion} and
 * {@code FeatureAblation}; {@link org.xai4j.perturbation.FeatureAttribution}, the per-feature result that the
 * feature-based methods (here, {@code org.xai4j.shapley} and {@code org.xai4j.surrogate}) share; and their common
 * bases, {@link org.xai4j.perturbation.PerturbationMethod} (builder settings, checks, the per-example loop) and
 * {@link org.xai4j.perturbation.FeaturePerturbationMethod} (the segmentation and the per-feature result).
 */
package org.xai4j.perturbation;
