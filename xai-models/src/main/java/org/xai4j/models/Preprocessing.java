package org.xai4j.models;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

/**
 * The input transformation a network was trained with, from xai4j pixel space (RGB, NCHW, values in [0, 1]) to the
 * network's own input: an optional RGB-to-BGR swap, then per channel {@code y = x * scale[c] - shift[c]}.
 *
 * <p>Models carry this transformation as their first layers ({@link #layers()}: a {@link LayerSpec.ChannelOrder} and
 * a {@link LayerSpec.ChannelAffine}), so gradients are taken with respect to pixels: <b>baselines live in pixel
 * space</b>. A black baseline is {@code zeros}, not the negated dataset mean, and integrated gradients, saliency and
 * feature visualization need no knowledge of the mean.
 *
 * <p>The named conventions ({@link #NONE}, {@link #UNIT}, {@link #CAFFE_IMAGENET}, {@link #VGGFACE},
 * {@link #IMAGENET}) are unique instances; {@link #meanStd} describes any other {@code (x - mean) / std}. Names are
 * parsed in one place, {@link #fromName}. Immutable and serializable.
 */
public final class Preprocessing implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The input is used as is; nothing is known about its relation to pixels. */
    public static final Preprocessing NONE = new Preprocessing("none", false, null, null);

    /** Pixels in [0, 1], RGB, used as is: networks trained on unit-range images (the toy models). */
    public static final Preprocessing UNIT = new Preprocessing("unit", false, null, null);

    /**
     * Keras {@code preprocess_input(mode="caffe")}, the VGG16 ImageNet convention: {@code x * 255}, RGB to BGR, minus
     * the ImageNet BGR means {@code (103.939, 116.779, 123.68)}.
     */
    public static final Preprocessing CAFFE_IMAGENET = new Preprocessing("caffe", true,
            new double[] {255, 255, 255}, new double[] {103.939, 116.779, 123.68});

    /**
     * keras-vggface {@code utils.preprocess_input(x, version=1)}, the VGGFace (VGG16) convention: {@code x * 255},
     * RGB to BGR, minus the VGGFace v1 BGR means {@code (93.5940, 104.7624, 129.1863)}.
     */
    public static final Preprocessing VGGFACE = new Preprocessing("vggface", true,
            new double[] {255, 255, 255}, new double[] {93.5940, 104.7624, 129.1863});

    /**
     * torchvision's ImageNet normalization of [0, 1] RGB ({@code transforms.Normalize}): mean
     * {@code (0.485, 0.456, 0.406)}, std {@code (0.229, 0.224, 0.225)}: what PyTorch and most ONNX classifiers expect.
     */
    public static final Preprocessing IMAGENET = meanStd("imagenet", new double[] {0.485, 0.456, 0.406},
            new double[] {0.229, 0.224, 0.225});

    private static final List<Preprocessing> NAMED = List.of(NONE, UNIT, CAFFE_IMAGENET, VGGFACE, IMAGENET);

    /** Output channel i of the BGR swap reads input channel {@code BGR_ORDER[i]}. */
    private static final int[] BGR_ORDER = {2, 1, 0};

    private final String name;
    private final boolean bgr;
    private final double[] scale;
    private final double[] shift;

    private Preprocessing(String name, boolean bgr, double[] scale, double[] shift) {
        this.name = name;
        this.bgr = bgr;
        this.scale = scale;
        this.shift = shift;
    }

    /**
     * {@code (x - mean[c]) / std[c]} on [0, 1] RGB pixels, e.g. a torchvision {@code Normalize}.
     *
     * @param mean three per-channel means, RGB
     * @param std  three positive per-channel standard deviations, RGB
     * @return the preprocessing
     * @throws IllegalArgumentException if there are not three finite means and three positive finite deviations
     */
    public static Preprocessing meanStd(double[] mean, double[] std) {
        return meanStd(null, mean, std);
    }

    /**
     * A named {@code (x - mean[c]) / std[c]} on [0, 1] RGB pixels, for a convention a provider defines (face-api's,
     * say); {@link #fromName} knows only the built-in names.
     *
     * @param name a short name for messages and reports
     * @param mean three per-channel means, RGB
     * @param std  three positive per-channel standard deviations, RGB
     * @return the preprocessing
     * @throws IllegalArgumentException if there are not three finite means and three positive finite deviations
     */
    public static Preprocessing meanStd(String name, double[] mean, double[] std) {
        Objects.requireNonNull(mean, "mean must not be null");
        Objects.requireNonNull(std, "std must not be null");
        if (mean.length != 3 || std.length != 3 || Arrays.stream(mean).anyMatch(m -> !Double.isFinite(m))
                || Arrays.stream(std).anyMatch(s -> !(s > 0) || !Double.isFinite(s))) {
            throw new IllegalArgumentException("preprocessing needs three finite means and three positive standard "
                    + "deviations (RGB), got mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std));
        }
        double[] scale = new double[3];
        double[] shift = new double[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1 / std[c];
            shift[c] = mean[c] / std[c];
        }
        return new Preprocessing(name != null ? name
                : "mean=" + Arrays.toString(mean) + ",std=" + Arrays.toString(std), false, scale, shift);
    }

    /**
     * The preprocessing of a name: {@code none}, {@code unit}, {@code caffe}, {@code vggface} or {@code imagenet}
     * (any case), the one place where names are parsed.
     *
     * @param name the name
     * @return the preprocessing
     * @throws IllegalArgumentException if the name is unknown (the message lists the names)
     */
    public static Preprocessing fromName(String name) {
        Objects.requireNonNull(name, "preprocessing name must not be null");
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (Preprocessing p : NAMED) {
            if (p.name.equals(wanted) || (p == CAFFE_IMAGENET && wanted.equals("caffe_imagenet"))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preprocessing '" + name + "'; expected one of " + names());
    }

    /**
     * The names {@link #fromName} takes.
     *
     * @return {@code [none, unit, caffe, vggface, imagenet]}
     */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        NAMED.forEach(p -> names.add(p.name));
        return names;
    }

    /**
     * The name: a convention's ({@code caffe}), or {@code mean=[...],std=[...]}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether the network's input channels are BGR (the pixels are RGB).
     *
     * @return true for the Caffe-style conventions
     */
    public boolean swapsToBgr() {
        return bgr;
    }

    /**
     * The factor applied to [0, 1] pixels when it is the same for every channel (255 for the Caffe-style conventions).
     *
     * @return the factor
     * @throws IllegalStateException if the channels are scaled differently (see {@link #channelScales()})
     */
    public double scale() {
        double[] s = channelScales();
        if (s[0] != s[1] || s[1] != s[2]) {
            throw new IllegalStateException(name + " scales each channel differently: " + Arrays.toString(s));
        }
        return s[0];
    }

    /**
     * The per-channel factors, in the network's channel order.
     *
     * @return three factors ({@code 1} for {@link #NONE} and {@link #UNIT})
     */
    public double[] channelScales() {
        return scale == null ? new double[] {1, 1, 1} : scale.clone();
    }

    /**
     * The per-channel values subtracted after scaling, in the network's channel order (BGR for the Caffe-style
     * conventions, {@code mean / std} for {@link #meanStd}).
     *
     * @return the values; empty if none
     */
    public double[] channelMeans() {
        return shift == null ? new double[0] : shift.clone();
    }

    /**
     * The layers that perform this preprocessing inside a model (empty for {@link #NONE} and {@link #UNIT}): for the
     * BGR conventions a channel permutation named {@code preprocessing_bgr}, then a per-channel affine map named
     * {@code preprocessing_affine} ({@code y = x * scale[c] - shift[c]}).
     *
     * @return the layers
     */
    public List<LayerSpec> layers() {
        if (shift == null) {
            return List.of();
        }
        // Double precision: the model casts to its own type, so a float64 model gets the exact means.
        INDArray scales = Nd4j.createFromArray(scale.clone());
        INDArray shifts = Nd4j.createFromArray(-shift[0], -shift[1], -shift[2]);
        LayerSpec affine = new LayerSpec.ChannelAffine("preprocessing_affine", scales, shifts,
                ActivationFunction.IDENTITY, 0);
        return bgr ? List.of(new LayerSpec.ChannelOrder("preprocessing_bgr", BGR_ORDER.clone()), affine)
                : List.of(affine);
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
        Objects.requireNonNull(network, "network must not be null");
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
                    + (pixels == null ? "null" : Arrays.toString(pixels.shape())));
        }
        if (shift == null) {
            return pixels;
        }
        if (pixels.size(1) != 3) {
            throw new IllegalArgumentException(this + " preprocessing needs 3 RGB channels, got shape "
                    + Arrays.toString(pixels.shape()));
        }
        INDArray out = Nd4j.create(pixels.dataType(), pixels.shape());
        for (int c = 0; c < 3; c++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.point(c)).assign(pixels.get(NDArrayIndex.all(),
                    NDArrayIndex.point(bgr ? BGR_ORDER[c] : c)).mul(scale[c]).subi(shift[c]));
        }
        return out;
    }

    /** Keeps the named conventions unique after deserialization, so {@code ==} stays right. */
    private Object readResolve() {
        for (Preprocessing p : NAMED) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        return this;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Preprocessing p && name.equals(p.name) && bgr == p.bgr && Arrays.equals(scale, p.scale)
                && Arrays.equals(shift, p.shift);
    }

    @Override public int hashCode() {
        return Objects.hash(name, bgr, Arrays.hashCode(scale), Arrays.hashCode(shift));
    }

    @Override public String toString() {
        return name;
    }
}
