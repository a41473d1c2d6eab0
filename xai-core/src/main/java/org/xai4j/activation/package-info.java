/**
 * Activation maps of a layer (per-neuron maps, spike totals, top-k neurons) and the class activation map family,
 * all behind {@link org.xai4j.ActivationMapper}: Grad-CAM, Grad-CAM++, Score-CAM, LayerCAM, HiResCAM, Grad-CAM
 * element-wise, XGrad-CAM, Eigen-CAM, Eigen-Grad-CAM, Ablation-CAM and FullGrad.
 *
 * <p><b>pytorch-grad-cam parity.</b> Each CAM's weights follow pytorch-grad-cam (commit 084273b), its constants
 * included (Grad-CAM++'s {@code 1e-6}, XGrad-CAM's {@code 1e-7}, Score-CAM's softmax over channels); the deliberate
 * differences are documented on the class (Eigen-CAM's sign, Ablation-CAM's ablation value for layers that can be
 * negative, and the paper's Score-CAM as an option). The pipeline after the weights is the same map too:
 * pytorch-grad-cam takes the ReLU of the map, min-max scales it ({@code scale_cam_image}, with {@code 1e-7} in the
 * denominator), resizes it with {@code cv2.resize} (bilinear, half-pixel centers) and min-max scales it again; xai4j
 * takes the ReLU, resizes with the same bilinear convention ({@link org.xai4j.activation.Heatmaps}) and normalizes
 * ({@link org.xai4j.activation.Normalization#MIN_MAX} by default). Min-max scaling commutes with bilinear
 * upsampling, whose weights sum to 1, so {@link org.xai4j.activation.ActivationMap#maps()} is pytorch-grad-cam's
 * output up to float32 rounding and the {@code 1e-7}; {@link org.xai4j.activation.ActivationMap#raw()} is the map at
 * the layer's resolution after the ReLU, unnormalized. The tests compare both, min-max normalized, with maps made by
 * pytorch-grad-cam itself ({@code CamReferenceTest}).
 */
package org.xai4j.activation;
