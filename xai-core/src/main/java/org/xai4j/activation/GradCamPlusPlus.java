package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.Objective;

/**
 * Grad-CAM++: channel weights {@code w_k = sum_ij a_k(i,j) ReLU(g_k(i,j))} with
 * {@code a = g^2 / (2 g^2 + sum_ij(A_k) g^3)} (0 where {@code g = 0}), the closed form that replaces the exponential's
 * higher derivatives by powers of the first (as pytorch-grad-cam does).
 *
 * <p>Chattopadhyay et al., "Grad-CAM++: Generalized Gradient-based Visual Explanations for Deep Convolutional
 * Networks", WACV 2018. ReLU on the weighted sum by default.
 */
public final class GradCamPlusPlus extends AbstractCam {

    private static final double EPS = 1e-7;

    private GradCamPlusPlus(Builder b) { super(b); }

    /**
     * Starts configuring a Grad-CAM++.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray rawMaps(INDArray inputs, Objective objective) {
        LayerGradients.Result r = LayerGradients.of(model, inputs, objective, layer);
        INDArray a = r.activation().castTo(DataType.DOUBLE);
        INDArray g = r.gradient().castTo(DataType.DOUBLE);
        INDArray g2 = g.mul(g);
        INDArray g3 = g2.mul(g);
        long n = a.size(0);
        long c = a.size(1);
        INDArray sumA = a.sum(2, 3).reshape(n, c, 1, 1).broadcast(a.shape());
        INDArray denominator = g2.mul(2).addi(g3.mul(sumA));
        // where(denominator != 0, denominator, 1) as pytorch-grad-cam guards, plus the g == 0 mask.
        INDArray safe = denominator.dup();
        safe.addi(Transforms.abs(denominator, true).lt(EPS).castTo(DataType.DOUBLE));
        INDArray alpha = g2.div(safe).muli(Transforms.abs(g, true).gt(0).castTo(DataType.DOUBLE));
        INDArray weights = Transforms.relu(g, true).muli(alpha).sum(2, 3);
        return weightedSum(weights, a);
    }

    /** Builder: required {@code setModel}; optional {@code optLayer}, {@code optRelu}, {@code optNormalization}. */
    public static final class Builder extends AbstractCam.Builder<Builder> {
        private Builder() { }

        /**
         * Creates the mapper.
         *
         * @return the configured {@code GradCamPlusPlus}
         * @throws IllegalArgumentException if the model is missing, the layer is unknown or not spatial
         *                                  ({@code [channels, height, width]}), or the normalization is null
         */
        public GradCamPlusPlus build() { return new GradCamPlusPlus(this); }
    }
}
