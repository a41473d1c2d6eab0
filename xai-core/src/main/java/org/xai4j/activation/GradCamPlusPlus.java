package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Grad-CAM++: channel weights {@code w_k = sum_ij a_k(i,j) ReLU(g_k(i,j))} with
 * {@code a = g^2 / (2 g^2 + sum_ij(A_k) g^3 + 1e-6)}, set to 0 where {@code g = 0}: the closed form that replaces the
 * exponential's higher derivatives by powers of the first, exactly as pytorch-grad-cam's {@code GradCAMPlusPlus}
 * computes it (commit 084273b).
 *
 * <p>Chattopadhyay et al., "Grad-CAM++: Generalized Gradient-based Visual Explanations for Deep Convolutional
 * Networks", WACV 2018. ReLU on the weighted sum by default.
 *
 * <p>The constant {@code 1e-6} in the denominator is pytorch-grad-cam's and is kept on purpose: it is not negligible.
 * Where the gradients are small (about {@code |g| < 1e-3}, common in residual networks and at early layers)
 * {@code 2 g^2} is of the order of {@code 1e-6} or less, the coefficient {@code a} falls from about 1/2 towards
 * {@code g^2 / 1e-6}, and the channel weights change by several percent of the map's range; without the constant
 * xai4j's maps would differ from the library users compare with.
 */
public final class GradCamPlusPlus extends GradientCam.ChannelWeighted {

    /** pytorch-grad-cam's {@code eps}, added to every denominator. */
    static final double EPS = 1e-6;

    private GradCamPlusPlus(Builder b) { super(b); }

    /**
     * Starts configuring a Grad-CAM++.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override INDArray channelWeights(INDArray a, INDArray g) {
        INDArray g2 = g.mul(g);
        INDArray g3 = g2.mul(g);
        long n = a.size(0);
        long c = a.size(1);
        INDArray sumA = a.sum(2, 3).reshape(n, c, 1, 1).broadcast(a.shape());
        INDArray denominator = g2.mul(2).addi(g3.mul(sumA)).addi(EPS);
        INDArray alpha = g2.div(denominator).muli(Transforms.abs(g, true).gt(0).castTo(DataType.DOUBLE));
        return Transforms.relu(g, true).muli(alpha).sum(2, 3);
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
