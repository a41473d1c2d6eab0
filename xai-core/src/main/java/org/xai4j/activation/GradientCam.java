package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.Objective;

/**
 * A CAM computed from the layer's activation {@code A} and the objective's gradient {@code G = dY/dA} alone, in one
 * forward and one partial backward pass: subclasses define the map {@link #camImage} (pytorch-grad-cam's
 * {@code get_cam_image}), or only channel weights through {@link ChannelWeighted}.
 */
abstract class GradientCam extends AbstractCam {

    GradientCam(Builder<?> b) { super(b); }

    @Override final INDArray rawMaps(INDArray inputs, Objective objective) {
        LayerGradients.Result r = LayerGradients.of(model, inputs, objective, layer);
        return camImage(r.activation().castTo(DataType.DOUBLE), r.gradient().castTo(DataType.DOUBLE));
    }

    /**
     * The map before the final ReLU.
     *
     * @param activation {@code A}, {@code [n, c, h, w]} in DOUBLE
     * @param gradient   {@code dY/dA}, same shape, in DOUBLE
     * @return {@code [n, h, w]}
     */
    abstract INDArray camImage(INDArray activation, INDArray gradient);

    /** A CAM that is a weighted sum of the layer's channels, {@code sum_k w_k A_k}: subclasses give the weights. */
    abstract static class ChannelWeighted extends GradientCam {

        ChannelWeighted(Builder<?> b) { super(b); }

        @Override final INDArray camImage(INDArray activation, INDArray gradient) {
            return weightedSum(channelWeights(activation, gradient), activation);
        }

        /**
         * The channel weights (pytorch-grad-cam's {@code get_cam_weights}).
         *
         * @param activation {@code A}, {@code [n, c, h, w]} in DOUBLE
         * @param gradient   {@code dY/dA}, same shape, in DOUBLE
         * @return {@code [n, c]}
         */
        abstract INDArray channelWeights(INDArray activation, INDArray gradient);
    }
}
