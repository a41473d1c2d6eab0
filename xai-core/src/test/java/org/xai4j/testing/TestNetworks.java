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
        double alpha = activation == ActivationFunction.LEAKY_RELU ? 0.01 : activation == ActivationFunction.ELU ? 1.0 : 0;
        return new LayerSpec.Convolution(name, gaussian(random, std, out, in, kernel, kernel), gaussian(random, 0.1, out),
                new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, same, activation, alpha);
    }

    /** A dense layer with Glorot-normal weights {@code [in, out]} and a small random bias. */
    public static LayerSpec.Dense dense(Random random, String name, long in, long out, ActivationFunction activation) {
        double std = Math.sqrt(2.0 / (in + out));
        return new LayerSpec.Dense(name, gaussian(random, std, in, out), gaussian(random, 0.1, out), activation, 0);
    }

    /** Batch normalization at inference time: scales in [0.5, 1.5), shifts N(0, 0.2). */
    public static LayerSpec.ChannelAffine channelAffine(Random random, String name, int channels) {
        INDArray scale = uniform(random, 0.5, 1.5, channels);
        return new LayerSpec.ChannelAffine(name, scale, gaussian(random, 0.2, channels), ActivationFunction.IDENTITY, 0);
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
