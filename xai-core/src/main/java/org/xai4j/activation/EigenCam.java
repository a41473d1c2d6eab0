package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.Objective;

/**
 * Eigen-CAM: the projection of the layer's activations onto their first principal component, a class-agnostic map
 * that needs no gradient and no class (the objective is validated but does not change the map); see
 * {@link PrincipalProjection} for the computation and its sign convention.
 *
 * <p>Muhammad and Yeasin, "Eigen-CAM: Class Activation Map using Principal Components", IJCNN 2020. As
 * pytorch-grad-cam's {@code EigenCAM} (commit 084273b) with the library's sign correction
 * ({@code get_2d_projection_with_sign_correction}) applied: pytorch-grad-cam's {@code EigenCAM} keeps LAPACK's
 * arbitrary sign, so on about half of all inputs it shows the complement of this map.
 */
public final class EigenCam extends AbstractCam {

    private EigenCam(Builder b) { super(b); }

    /**
     * Starts configuring an Eigen-CAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray rawMaps(INDArray inputs, Objective objective) {
        return PrincipalProjection.firstComponent(model.activations(inputs, layer));
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code EigenCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public EigenCam build() { return new EigenCam(this); }
    }
}
