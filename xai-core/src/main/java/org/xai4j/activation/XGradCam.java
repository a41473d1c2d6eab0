package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * XGrad-CAM: channel weights {@code w_k = sum_ij g_k(i,j) A_k(i,j) / (sum_ij A_k(i,j) + 1e-7)}, the
 * activation-weighted average of the gradient, chosen so that the map satisfies the sensitivity and conservation
 * axioms.
 *
 * <p>Fu et al., "Axiom-based Grad-CAM: Towards Accurate Visualization and Explanation of CNNs", BMVC 2020. As
 * pytorch-grad-cam's {@code XGradCAM} (commit 084273b), including its {@code 1e-7}.
 */
public final class XGradCam extends GradientCam.ChannelWeighted {

    private XGradCam(Builder b) { super(b); }

    /**
     * Starts configuring a XGrad-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    /** pytorch-grad-cam's {@code eps}. */
    static final double EPS = 1e-7;

    @Override INDArray channelWeights(INDArray activation, INDArray gradient) {
        long n = activation.size(0);
        long c = activation.size(1);
        INDArray sum = activation.sum(2, 3).addi(EPS);
        return gradient.mul(activation).sum(2, 3).divi(sum.reshape(n, c));
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code XGradCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public XGradCam build() { return new XGradCam(this); }
    }
}
