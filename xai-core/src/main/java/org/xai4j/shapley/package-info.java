/**
 * Shapley-value attribution: Shapley value sampling over features (permutation sampling, or every permutation),
 * KernelSHAP (a weighted linear regression over coalitions) and GradientSHAP (expected gradients from random
 * baselines), following Captum's {@code ShapleyValueSampling}/{@code ShapleyValues}, {@code KernelShap} and
 * {@code GradientShap}. Every random draw comes from a generator seeded per call and example.
 */
package org.xai4j.shapley;
