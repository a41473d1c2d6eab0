package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Grad-CAM element-wise: HiResCAM with a ReLU on every product before the channel sum,
 * {@code ReLU(sum_k ReLU(g_k(i,j) A_k(i,j)))}, so that channels cannot cancel each other's positive evidence.
 *
 * <p>pytorch-grad-cam's {@code GradCAMElementWise} (commit 084273b), a variant of Grad-CAM (Selvaraju et al.,
 * "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based Localization", ICCV 2017) and of HiResCAM
 * (Draelos and Carin, arXiv:2011.08891, 2020) without a paper of its own.
 */
public final class GradCamElementWise extends GradientCam {

    private GradCamElementWise(Builder b) { super(b); }

    /**
     * Starts configuring a Grad-CAM element-wise.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray camImage(INDArray activation, INDArray gradient) {
        return Transforms.relu(gradient.mul(activation), false).sum(1);
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code GradCamElementWise}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public GradCamElementWise build() { return new GradCamElementWise(this); }
    }
}
