/**
 * Activation maps of a layer (per-neuron maps, spike totals, top-k neurons) and the class activation map family:
 * Grad-CAM, Grad-CAM++, Score-CAM and LayerCAM, all behind {@link org.xai4j.ActivationMapper}.
 */
package org.xai4j.activation;
