/**
 * Feature masks for perturbation methods: an image's pixels grouped into features (segments) that feature ablation,
 * Shapley value sampling, KernelSHAP and LIME switch on and off together, over all channels. {@link
 * org.xai4j.segmentation.Segmentation} makes a mask per image: square grid cells ({@code grid:N}) or SLIC superpixels
 * ({@code slic:K}, a port of {@code skimage.segmentation.slic}).
 */
package org.xai4j.segmentation;
