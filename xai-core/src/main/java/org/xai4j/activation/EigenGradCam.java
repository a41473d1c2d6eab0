package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Eigen-Grad-CAM: {@link EigenCam} applied to the element-wise products {@code g_k(i,j) A_k(i,j)} instead of the
 * activations, which makes the first principal component class-specific.
 *
 * <p>pytorch-grad-cam's {@code EigenGradCAM} (commit 084273b), after Muhammad and Yeasin, "Eigen-CAM: Class Activation
 * Map using Principal Components", IJCNN 2020. The sign of the component follows {@link PrincipalProjection}: flipped
 * so that its largest magnitude is positive (pytorch-grad-cam's own sign correction); pytorch-grad-cam's
 * {@code EigenGradCAM} keeps whatever sign LAPACK returns, which is arbitrary.
 */
public final class EigenGradCam extends GradientCam {

    private EigenGradCam(Builder b) { super(b); }

    /**
     * Starts configuring a Eigen-Grad-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray camImage(INDArray activation, INDArray gradient) {
        return PrincipalProjection.firstComponent(gradient.mul(activation));
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code EigenGradCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public EigenGradCam build() { return new EigenGradCam(this); }
    }
}
