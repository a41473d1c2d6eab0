package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.Objective;

/**
 * LayerCAM: position-wise weights, {@code ReLU(sum_k ReLU(g_k(i,j)) A_k(i,j))}, which stays faithful at shallow
 * layers where Grad-CAM's spatial averaging blurs.
 *
 * <p>Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization", IEEE TIP 2021.
 */
public final class LayerCam extends AbstractCam {

    private LayerCam(Builder b) { super(b); }

    /**
     * Starts configuring a LayerCAM.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray rawMaps(INDArray inputs, Objective objective) {
        LayerGradients.Result r = LayerGradients.of(model, inputs, objective, layer);
        INDArray g = Transforms.relu(r.gradient().castTo(DataType.DOUBLE), true);
        return g.muli(r.activation().castTo(DataType.DOUBLE)).sum(1);
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
