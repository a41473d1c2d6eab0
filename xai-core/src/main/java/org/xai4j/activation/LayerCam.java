package org.xai4j.activation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerCAM: position-wise weights, {@code ReLU(sum_k ReLU(g_k(i,j)) A_k(i,j))}, which stays faithful at shallow
 * layers where Grad-CAM's spatial averaging blurs.
 *
 * <p>Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization", IEEE TIP 2021.
 */
public final class LayerCam extends GradientCam {

    private LayerCam(Builder b) { super(b); }

    /**
     * Starts configuring a LayerCAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray camImage(INDArray activation, INDArray gradient) {
        return Transforms.relu(gradient, true).muli(activation).sum(1);
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code LayerCam}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public LayerCam build() { return new LayerCam(this); }
    }
}
