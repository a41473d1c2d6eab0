package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grad-CAM: the layer's channels weighted by the spatial mean of the objective's gradient,
 * {@code ReLU(sum_k alpha_k A_k)} with {@code alpha_k = mean_ij dY/dA_k(i, j)}.
 *
 * <p>Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based Localization", ICCV 2017.
 * The ReLU is on by default (as in the paper and pytorch-grad-cam; Captum's default is off), see
 * {@link Builder#optRelu}. For a network whose layer feeds global average pooling and a linear head, Grad-CAM is the
 * CAM of Zhou et al. (2016) divided by the number of positions.
 */
public final class GradCam extends GradientCam.ChannelWeighted {

    private GradCam(Builder b) { super(b); }

    /**
     * Starts configuring a Grad-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray channelWeights(INDArray activation, INDArray gradient) {
        return gradient.mean(2, 3);
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code GradCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public GradCam build() { return new GradCam(this); }
    }
}
