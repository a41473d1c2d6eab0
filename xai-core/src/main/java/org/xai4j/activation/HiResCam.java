package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * HiResCAM: the element-wise product of the gradient and the activation summed over channels,
 * {@code ReLU(sum_k g_k(i,j) A_k(i,j))}. Unlike Grad-CAM it does not average the gradient over positions, so for a
 * network whose layer is followed by a linear head the map is exactly each position's contribution to the score.
 *
 * <p>Draelos and Carin, "Use HiResCAM instead of Grad-CAM for faithful explanations of convolutional neural
 * networks", arXiv:2011.08891, 2020. As pytorch-grad-cam's {@code HiResCAM} (commit 084273b).
 */
public final class HiResCam extends GradientCam {

    private HiResCam(Builder b) { super(b); }

    /**
     * Starts configuring a HiResCAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray camImage(INDArray activation, INDArray gradient) {
        return gradient.mul(activation).sum(1);
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code HiResCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public HiResCam build() { return new HiResCam(this); }
    }
}
