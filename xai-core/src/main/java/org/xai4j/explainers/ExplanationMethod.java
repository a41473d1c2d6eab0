package org.xai4j.explainers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The explanation methods of xai4j by their short names, as a command line or configuration file gives them.
 */
public enum ExplanationMethod {

    /** Integrated gradients ({@link org.xai4j.attribution.IntegratedGradients}). */
    IG("ig", Output.INPUT_ATTRIBUTION),
    /** The signed input gradient ({@link org.xai4j.attribution.Saliency}). */
    SALIENCY("saliency", Output.INPUT_ATTRIBUTION),
    /** Input times gradient ({@link org.xai4j.attribution.InputXGradient}). */
    INPUT_X_GRADIENT("inputxgrad", Output.INPUT_ATTRIBUTION),
    /** SmoothGrad: the mean saliency of noisy copies ({@link org.xai4j.attribution.NoiseTunnel}). */
    SMOOTHGRAD("smoothgrad", Output.INPUT_ATTRIBUTION),
    /** SmoothGrad-squared: the mean squared saliency of noisy copies. */
    SMOOTHGRAD_SQUARED("smoothgrad_sq", Output.INPUT_ATTRIBUTION),
    /** VarGrad: the variance of the saliency of noisy copies. */
    VARGRAD("vargrad", Output.INPUT_ATTRIBUTION),
    /** Grad-CAM ({@link org.xai4j.activation.GradCam}). */
    GRAD_CAM("gradcam", Output.CLASS_MAP),
    /** Grad-CAM++ ({@link org.xai4j.activation.GradCamPlusPlus}). */
    GRAD_CAM_PLUS_PLUS("gradcampp", Output.CLASS_MAP),
    /** Score-CAM ({@link org.xai4j.activation.ScoreCam}). */
    SCORE_CAM("scorecam", Output.CLASS_MAP),
    /** LayerCAM ({@link org.xai4j.activation.LayerCam}). */
    LAYER_CAM("layercam", Output.CLASS_MAP),
    /** The activation map of one neuron of a layer ({@link org.xai4j.activation.NeuronActivations}). */
    ACTIVATIONS("activations", Output.NEURON_MAP);

    /** What a method's map is, and what its target means. */
    public enum Output {
        /** One value per input element {@code [n, channels, height, width]}; targets are classes. */
        INPUT_ATTRIBUTION,
        /** A class activation map of a layer, upsampled to {@code [n, height, width]}; targets are classes. */
        CLASS_MAP,
        /** A neuron's activation map, upsampled to {@code [n, height, width]}; targets are channels of the layer. */
        NEURON_MAP
    }

    private final String id;
    private final Output output;

    ExplanationMethod(String id, Output output) {
        this.id = id;
        this.output = output;
    }

    /**
     * The short name, e.g. {@code ig} or {@code gradcampp}.
     *
     * @return the name
     */
    public String id() {
        return id;
    }

    /**
     * What the method's map is.
     *
     * @return the output kind
     */
    public Output output() {
        return output;
    }

    /**
     * Whether the method reads a layer (CAMs and neuron maps) rather than attributing to the input.
     *
     * @return true for layer methods
     */
    public boolean readsLayer() {
        return output != Output.INPUT_ATTRIBUTION;
    }

    /**
     * Whether the method is a noise tunnel over saliency (SmoothGrad, SmoothGrad-squared, VarGrad).
     *
     * @return true for noise tunnels
     */
    public boolean isNoiseTunnel() {
        return this == SMOOTHGRAD || this == SMOOTHGRAD_SQUARED || this == VARGRAD;
    }

    /**
     * Every short name, in declaration order.
     *
     * @return {@code [ig, saliency, ..., activations]}
     */
    public static List<String> ids() {
        return Arrays.stream(values()).map(ExplanationMethod::id).toList();
    }

    /**
     * The method of a short name, ignoring case.
     *
     * @param id a short name such as {@code ig}
     * @return the method
     * @throws NullPointerException     if {@code id} is null
     * @throws IllegalArgumentException if no method has that name (the message lists the valid names)
     */
    public static ExplanationMethod fromId(String id) {
        Objects.requireNonNull(id, "id must not be null");
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        for (ExplanationMethod m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown explanation method '" + id + "'; expected one of "
                + String.join(", ", ids()));
    }
}
