package org.xai4j.models;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

import java.util.List;

/**
 * The input transformation a network was trained with, from xai4j pixel space (RGB, NCHW, values in [0, 1]) to the
 * network's own input.
 *
 * <p>A {@link VggModel} in {@link InputSpace#PIXELS} carries this transformation as its first layers
 * ({@link #layers()}: a {@link LayerSpec.ChannelOrder} and a {@link LayerSpec.ChannelAffine}), so gradients are taken
 * with respect to pixels: <b>baselines live in pixel space</b>. A black baseline is {@code zeros}, not the negated
 * dataset mean, and integrated gradients, saliency and feature visualization need no knowledge of the mean.
 */
public enum Preprocessing {

    /** The input is used as is; nothing is known about its relation to pixels. */
    NONE(false, 1.0, null),

    /** Pixels in [0, 1], RGB, used as is: networks trained on unit-range images (the toy models). */
    UNIT(false, 1.0, null),

    /**
     * Keras {@code preprocess_input(mode="caffe")}, the VGG16 ImageNet convention: {@code x * 255}, RGB to BGR, minus
     * the ImageNet BGR means {@code (103.939, 116.779, 123.68)}.
     */
    CAFFE_IMAGENET(true, 255.0, new double[] {103.939, 116.779, 123.68}),

    /**
     * keras-vggface {@code utils.preprocess_input(x, version=1)}, the VGGFace (VGG16) convention: {@code x * 255},
     * RGB to BGR, minus the VGGFace v1 BGR means {@code (93.5940, 104.7624, 129.1863)}.
     */
    VGGFACE(true, 255.0, new double[] {93.5940, 104.7624, 129.1863});

    /** Output channel i of the BGR swap reads input channel {@code BGR_ORDER[i]}. */
    private static final int[] BGR_ORDER = {2, 1, 0};

    private final boolean bgr;
    private final double scale;
    private final double[] meanBgr;

    Preprocessing(boolean bgr, double scale, double[] meanBgr) {
        this.bgr = bgr;
        this.scale = scale;
        this.meanBgr = meanBgr;
    }

    /** Whether the network's input channels are BGR (the pixels are RGB). */
    public boolean swapsToBgr() {
        return bgr;
    }

    /** The factor applied to [0, 1] pixels (255 for the Caffe-style conventions). */
    public double scale() {
        return scale;
    }

    /** The per-channel means subtracted after scaling, in the network's (BGR) channel order; empty if none. */
    public double[] channelMeans() {
        return meanBgr == null ? new double[0] : meanBgr.clone();
    }

    /**
     * The layers that perform this preprocessing inside a model (empty for {@link #NONE} and {@link #UNIT}): a
     * channel permutation named {@code preprocessing_bgr}, then a per-channel affine map named
     * {@code preprocessing_affine} ({@code y = x * scale - mean[c]}).
     */
    public List<LayerSpec> layers() {
        if (meanBgr == null) {
            return List.of();
        }
        // Double precision: the model casts to its own type, so a float64 model gets the exact means.
        INDArray scales = Nd4j.createFromArray(scale, scale, scale);
        INDArray shifts = Nd4j.createFromArray(-meanBgr[0], -meanBgr[1], -meanBgr[2]);
        return List.of(new LayerSpec.ChannelOrder("preprocessing_bgr", BGR_ORDER.clone()),
                new LayerSpec.ChannelAffine("preprocessing_affine", scales, shifts, ActivationFunction.IDENTITY, 0));
    }

    /**
     * The network with this preprocessing as its first layers ({@link #layers()}), reading the model input; the
     * layers that read the model input read the preprocessed input instead. Works for chains and graphs alike.
     *
     * @param network a network taking the preprocessed input
     * @return a network taking pixels (the same network for {@link #NONE} and {@link #UNIT})
     * @throws NullPointerException if {@code network} is null
     */
    public NetworkSpec prependTo(NetworkSpec network) {
        java.util.Objects.requireNonNull(network, "network must not be null");
        List<LayerSpec> first = layers();
        if (first.isEmpty()) {
            return network;
        }
        NetworkSpec.GraphBuilder graph = NetworkSpec.graph(network.name(), network.inputShape());
        first.forEach(graph::add);
        String preprocessed = first.get(first.size() - 1).name();
        for (LayerSpec layer : network.layers()) {
            graph.add(layer, network.inputsOf(layer.name()).stream()
                    .map(in -> LayerInfo.MODEL_INPUT.equals(in) ? preprocessed : in).toArray(String[]::new));
        }
        return graph.build();
    }

    /**
     * Applies the preprocessing to a batch of pixels, for use with a model in {@link InputSpace#MODEL}.
     *
     * @param pixels {@code [n, 3, h, w]} RGB in [0, 1] (for {@link #NONE}: any {@code [n, c, h, w]})
     * @return a new array in the network's input space (the input itself for {@link #NONE} and {@link #UNIT})
     */
    public INDArray apply(INDArray pixels) {
        if (pixels == null || pixels.rank() != 4) {
            throw new IllegalArgumentException("pixels must be a batch [n, 3, height, width], got "
                    + (pixels == null ? "null" : java.util.Arrays.toString(pixels.shape())));
        }
        if (meanBgr == null) {
            return pixels;
        }
        if (pixels.size(1) != 3) {
            throw new IllegalArgumentException(this + " preprocessing needs 3 RGB channels, got shape "
                    + java.util.Arrays.toString(pixels.shape()));
        }
        INDArray out = Nd4j.create(pixels.dataType(), pixels.shape());
        for (int c = 0; c < 3; c++) {
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .assign(pixels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(BGR_ORDER[c])).mul(scale).subi(meanBgr[c]));
        }
        return out;
    }
}
