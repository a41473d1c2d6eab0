package org.xai4j.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

import java.util.List;
import java.util.Random;

/**
 * Small engine networks with seeded random weights for tests: VGG-style, smooth (for finite differences), CAM-style,
 * and a linear model with a closed form. Weights are drawn with {@link java.util.Random}, never from ND4J's global
 * generator.
 */
public final class TestNetworks {

    private TestNetworks() { }

    /**
     * A VGG-style ReLU CNN: two conv blocks with max pooling, dense, dropout, softmax output. Input [3, 16, 16]. Its
     * biases are zero (as DL4J initializes them), so with a zero baseline it is linear along the integration path.
     */
    public static NetworkSpec vggStyle(long seed) {
        Random random = new Random(seed);
        NetworkSpec spec = new NetworkSpec("vgg", new long[] {3, 16, 16}, List.of(
                convolution(random, "block1_conv1", 3, 6, 3, 1, 0, true, ActivationFunction.RELU),
                convolution(random, "block1_conv2", 6, 6, 3, 1, 0, true, ActivationFunction.RELU),
                new LayerSpec.Pooling("block1_pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {0, 0}, false, false),
                convolution(random, "block2_conv1", 6, 8, 3, 1, 0, true, ActivationFunction.RELU),
                new LayerSpec.Pooling("block2_pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {0, 0}, false, false),
                new LayerSpec.Flatten("fc1/flatten", false),
                dense(random, "fc1", 8 * 4 * 4, 16, ActivationFunction.RELU),
                new LayerSpec.Identity("dropout"),
                dense(random, "predictions", 16, 5, ActivationFunction.SOFTMAX)));
        return withZeroBiases(spec);
    }

    /** The same network with every convolution and dense bias set to zero. */
    public static NetworkSpec withZeroBiases(NetworkSpec spec) {
        List<LayerSpec> zeroed = new java.util.ArrayList<>();
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof LayerSpec.Convolution c && c.bias() != null) {
                zeroed.add(new LayerSpec.Convolution(c.name(), c.weights(), c.bias().mul(0), c.stride(), c.padding(),
                        c.dilation(), c.samePadding(), c.activation(), c.alpha()));
            } else if (layer instanceof LayerSpec.Dense d && d.bias() != null) {
                zeroed.add(new LayerSpec.Dense(d.name(), d.weights(), d.bias().mul(0), d.activation(), d.alpha()));
            }
        }
        return spec.withLayers(zeroed);
    }

    /**
     * A smooth CNN (tanh, softplus, sigmoid, average pooling, strided and padded convolutions, a batch-norm-like
     * affine map) whose gradients can be checked by finite differences without ReLU or max-pool kinks. Input
     * [3, 12, 12].
     */
    public static NetworkSpec smooth(long seed) {
        Random random = new Random(seed);
        return new NetworkSpec("smooth", new long[] {3, 12, 12}, List.of(
                convolution(random, "conv1", 3, 5, 3, 1, 0, true, ActivationFunction.TANH),
                channelAffine(random, "bn1", 5),
                convolution(random, "conv2", 5, 6, 3, 2, 0, true, ActivationFunction.SOFTPLUS),
                convolution(random, "conv3", 6, 4, 2, 2, 1, false, ActivationFunction.SIGMOID),
                new LayerSpec.Pooling("pool", LayerSpec.PoolingType.AVG, new int[] {2, 2}, new int[] {1, 1},
                        new int[] {0, 0}, false, false),
                new LayerSpec.Activation("act", ActivationFunction.TANH, 0),
                new LayerSpec.Flatten("fc/flatten", false),
                dense(random, "fc", 4 * 3 * 3, 7, ActivationFunction.TANH),
                dense(random, "out", 7, 4, ActivationFunction.SOFTMAX)));
    }

    /** A CAM-style network: convolutions, global average pooling and a linear head. Input [3, 10, 10]. */
    public static NetworkSpec globalAveragePooling(long seed) {
        Random random = new Random(seed);
        return new NetworkSpec("gap", new long[] {3, 10, 10}, List.of(
                convolution(random, "conv1", 3, 4, 3, 1, 0, true, ActivationFunction.LEAKY_RELU),
                convolution(random, "conv2", 4, 6, 3, 1, 0, true, ActivationFunction.RELU),
                new LayerSpec.GlobalPooling("gap", LayerSpec.PoolingType.AVG),
                dense(random, "out", 6, 3, ActivationFunction.SOFTMAX)));
    }

    /**
     * A small ResNet-style graph: zero-padded stride-2 stem with batch norm, max pooling, an identity block and a
     * projection block with a stride-2 1x1 shortcut (both joined by addition), global average pooling and a softmax
     * head. Input [3, 18, 14]. {@code activation} is used everywhere ReLU would be (a smooth one for finite
     * differences).
     */
    public static NetworkSpec resNetStyle(long seed, ActivationFunction activation) {
        Random random = new Random(seed);
        ActivationFunction none = ActivationFunction.IDENTITY;
        return NetworkSpec.graph("resnet_style", 3, 18, 14)
                .add(new LayerSpec.ZeroPadding("stem_pad", new int[] {1, 1, 1, 1}))
                .add(convolution(random, "stem_conv", 3, 6, 3, 2, 0, false, none))
                .add(channelAffine(random, "stem_bn", 6, activation))
                .add(new LayerSpec.Pooling("stem_pool", LayerSpec.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2},
                        new int[] {0, 0}, true, false))
                .add(convolution(random, "b1_conv1", 6, 4, 1, 1, 0, true, none))
                .add(channelAffine(random, "b1_bn1", 4, activation))
                .add(convolution(random, "b1_conv2", 4, 6, 3, 1, 0, true, none))
                .add(channelAffine(random, "b1_bn2", 6, none))
                .add(new LayerSpec.ElementWise("b1_add", LayerSpec.ElementWiseOp.ADD), "b1_bn2", "stem_pool")
                .add(new LayerSpec.Activation("b1_out", activation, alphaOf(activation)))
                .add(convolution(random, "b2_conv1", 6, 4, 1, 2, 0, false, none))
                .add(channelAffine(random, "b2_bn1", 4, activation))
                .add(convolution(random, "b2_conv2", 4, 8, 3, 1, 0, true, none))
                .add(channelAffine(random, "b2_bn2", 8, none))
                .add(convolution(random, "b2_shortcut", 6, 8, 1, 2, 0, false, none), "b1_out")
                .add(channelAffine(random, "b2_shortcut_bn", 8, none))
                .add(new LayerSpec.ElementWise("b2_add", LayerSpec.ElementWiseOp.ADD), "b2_bn2", "b2_shortcut_bn")
                .add(new LayerSpec.Activation("b2_out", activation, alphaOf(activation)))
                .add(new LayerSpec.GlobalPooling("avg_pool", LayerSpec.PoolingType.AVG))
                .add(dense(random, "predictions", 8, 5, ActivationFunction.SOFTMAX))
                .build();
    }

    /**
     * A small MobileNet-style graph: stride-2 stem, a depthwise-separable inverted residual block joined by addition,
     * a zero-padded stride-2 depthwise convolution with depth multiplier 2, a fire module (1x1 and 3x3 expansions
     * concatenated, as SqueezeNet), global average pooling and a softmax head. Input [3, 16, 13].
     */
    public static NetworkSpec mobileNetStyle(long seed, ActivationFunction activation) {
        Random random = new Random(seed);
        ActivationFunction none = ActivationFunction.IDENTITY;
        return NetworkSpec.graph("mobilenet_style", 3, 16, 13)
                .add(convolution(random, "conv1", 3, 8, 3, 2, 0, true, none))
                .add(channelAffine(random, "conv1_bn", 8, activation))
                .add(depthwise(random, "dw1", 8, 1, 3, 1, true))
                .add(channelAffine(random, "dw1_bn", 8, activation))
                .add(convolution(random, "pw1", 8, 8, 1, 1, 0, true, none))
                .add(channelAffine(random, "pw1_bn", 8, none))
                .add(new LayerSpec.ElementWise("block1_add", LayerSpec.ElementWiseOp.ADD), "pw1_bn", "conv1_bn")
                .add(new LayerSpec.ZeroPadding("dw2_pad", new int[] {0, 1, 0, 1}))
                .add(depthwise(random, "dw2", 8, 2, 3, 2, false))
                .add(channelAffine(random, "dw2_bn", 16, activation))
                .add(convolution(random, "pw2", 16, 12, 1, 1, 0, true, none))
                .add(channelAffine(random, "pw2_bn", 12, activation))
                .add(convolution(random, "fire_expand1x1", 12, 6, 1, 1, 0, true, activation), "pw2_bn")
                .add(convolution(random, "fire_expand3x3", 12, 6, 3, 1, 0, true, activation), "pw2_bn")
                .add(new LayerSpec.Concat("fire_concat"), "fire_expand1x1", "fire_expand3x3")
                .add(new LayerSpec.GlobalPooling("avg_pool", LayerSpec.PoolingType.AVG))
                .add(dense(random, "predictions", 12, 4, ActivationFunction.SOFTMAX))
                .build();
    }

    /** A depthwise convolution with Glorot-normal weights {@code [k, k, in, multiplier]} and a small random bias. */
    public static LayerSpec.DepthwiseConvolution depthwise(Random random, String name, int in, int multiplier,
                                                           int kernel, int stride, boolean same) {
        double std = Math.sqrt(2.0 / ((1 + multiplier) * kernel * kernel));
        return new LayerSpec.DepthwiseConvolution(name, gaussian(random, std, kernel, kernel, in, multiplier),
                gaussian(random, 0.1, (long) in * multiplier), new int[] {stride, stride}, new int[] {0, 0},
                new int[] {1, 1}, same, ActivationFunction.IDENTITY, 0);
    }

    /** The parameter a test network gives an activation: leaky ReLU slope 0.01, ELU scale 1. */
    public static double alphaOf(ActivationFunction activation) {
        return activation == ActivationFunction.LEAKY_RELU ? 0.01 : activation == ActivationFunction.ELU ? 1.0 : 0;
    }

    /** A linear model {@code logits = flatten(x) . W + b} (no hidden layer), for closed-form attributions. */
    public static NetworkSpec linear(long[] inputShape, int classes, long seed) {
        Random random = new Random(seed);
        long inputs = inputShape[0] * inputShape[1] * inputShape[2];
        return new NetworkSpec("linear", inputShape, List.of(
                new LayerSpec.Flatten("flatten", false),
                new LayerSpec.Dense("logits", gaussian(random, 1.0, inputs, classes), gaussian(random, 1.0, classes),
                        ActivationFunction.IDENTITY, 0)));
    }

    /**
     * A convolution with Glorot-normal weights {@code [out, in, k, k]} and a small random bias.
     *
     * @param padding explicit padding when not {@code same}
     */
    public static LayerSpec.Convolution convolution(Random random, String name, int in, int out, int kernel, int stride,
                                                    int padding, boolean same, ActivationFunction activation) {
        double std = Math.sqrt(2.0 / ((in + out) * kernel * kernel));
        return new LayerSpec.Convolution(name, gaussian(random, std, out, in, kernel, kernel), gaussian(random, 0.1, out),
                new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, same, activation,
                alphaOf(activation));
    }

    /** A dense layer with Glorot-normal weights {@code [in, out]} and a small random bias. */
    public static LayerSpec.Dense dense(Random random, String name, long in, long out, ActivationFunction activation) {
        double std = Math.sqrt(2.0 / (in + out));
        return new LayerSpec.Dense(name, gaussian(random, std, in, out), gaussian(random, 0.1, out), activation, 0);
    }

    /** Batch normalization at inference time: scales in [0.5, 1.5), shifts N(0, 0.2). */
    public static LayerSpec.ChannelAffine channelAffine(Random random, String name, int channels) {
        return channelAffine(random, name, channels, ActivationFunction.IDENTITY);
    }

    /** Batch normalization at inference time followed by an activation. */
    public static LayerSpec.ChannelAffine channelAffine(Random random, String name, int channels,
                                                       ActivationFunction activation) {
        INDArray scale = uniform(random, 0.5, 1.5, channels);
        return new LayerSpec.ChannelAffine(name, scale, gaussian(random, 0.2, channels), activation,
                alphaOf(activation));
    }

    /** A double array of N(0, std) values from {@code random}. */
    public static INDArray gaussian(Random random, double std, long... shape) {
        double[] values = new double[(int) product(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * std;
        }
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    /** A double array of values uniform in [low, high) from {@code random}. */
    public static INDArray uniform(Random random, double low, double high, long... shape) {
        double[] values = new double[(int) product(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextDouble();
        }
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    /** A random input batch in [0, 1) with a fixed seed. */
    public static INDArray randomImages(long seed, DataType type, long... shape) {
        return uniform(new Random(seed), 0, 1, shape).castTo(type);
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }
}
