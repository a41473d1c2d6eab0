package org.xai4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

import java.util.Random;

/**
 * ResNet-50 (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016) in torchvision's layout, with
 * random He-normal weights: the cost of a forward or backward pass does not depend on the weights' values, so it
 * times like a trained network.
 *
 * <p>Layout (torchvision v1.5, the one its {@code resnet50} builds): a 7x7 stride-2 convolution with padding 3, batch
 * normalization and ReLU, a 3x3 stride-2 max pool with padding 1, four stages of 3, 4, 6 and 3 bottleneck blocks of
 * widths 64, 128, 256 and 512 (1x1, 3x3, 1x1 convolutions; the stride of a stage's first block is on its 3x3
 * convolution; a 1x1 projection with batch normalization on the shortcut of every stage's first block), global
 * average pooling and a 1000-way dense layer. Convolutions have no bias; batch normalization is the inference-time
 * per-channel affine map, here torchvision's initial one (scale {@code 1 / sqrt(1 + 1e-5)}, shift 0). Layer names are
 * torchvision's module names ({@code layer2.0.conv2}, {@code layer2.0.downsample.0}, ...), with {@code .add} for a
 * block's sum and {@code .relu} for the ReLU after it. 25,557,032 parameters, as torchvision's model.
 */
public final class RandomResNet {

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] WIDTHS = {64, 128, 256, 512};
    private static final int EXPANSION = 4;
    private static final double BATCH_NORM_EPSILON = 1e-5;

    private RandomResNet() { }

    /**
     * ResNet-50 for 224x224 RGB input and 1000 classes.
     *
     * @param seed seed of the weights
     * @return the network
     */
    public static NetworkSpec resnet50(long seed) {
        return resnet("resnet50", 224, 1000, seed);
    }

    /**
     * A ResNet-50-layout network for square input of the given size.
     *
     * @param name    the network's name
     * @param size    input height and width (at least 32)
     * @param classes output classes
     * @param seed    seed of the weights
     * @return the network
     */
    public static NetworkSpec resnet(String name, int size, int classes, long seed) {
        if (size < 32) {
            throw new IllegalArgumentException("input size must be at least 32 (five stride-2 stages), got " + size);
        }
        Random random = new Random(seed);
        NetworkSpec.GraphBuilder g = NetworkSpec.graph(name, 3, size, size);
        g.add(convolution(random, "conv1", 3, 64, 7, 2), LayerInfo.MODEL_INPUT);
        g.add(batchNorm("bn1", 64, ActivationFunction.RELU));
        g.add(new LayerSpec.Pooling("maxpool", LayerSpec.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, false, false));
        String previous = "maxpool";
        int channels = 64;
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            for (int block = 0; block < BLOCKS[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                previous = bottleneck(g, random, "layer" + (stage + 1) + "." + block, previous, channels, WIDTHS[stage],
                        stride);
                channels = WIDTHS[stage] * EXPANSION;
            }
        }
        g.add(new LayerSpec.GlobalPooling("avgpool", LayerSpec.PoolingType.AVG), previous);
        g.add(new LayerSpec.Dense("fc", heNormal(random, channels, channels, classes),
                Nd4j.zeros(DataType.FLOAT, classes), ActivationFunction.IDENTITY, 0));
        return g.build();
    }

    /** Adds one bottleneck block reading {@code input} and returns the name of its output. */
    private static String bottleneck(NetworkSpec.GraphBuilder g, Random random, String prefix, String input, int in,
                                     int width, int stride) {
        int out = width * EXPANSION;
        g.add(convolution(random, prefix + ".conv1", in, width, 1, 1), input);
        g.add(batchNorm(prefix + ".bn1", width, ActivationFunction.RELU));
        g.add(convolution(random, prefix + ".conv2", width, width, 3, stride));
        g.add(batchNorm(prefix + ".bn2", width, ActivationFunction.RELU));
        g.add(convolution(random, prefix + ".conv3", width, out, 1, 1));
        g.add(batchNorm(prefix + ".bn3", out, ActivationFunction.IDENTITY));
        String shortcut = input;
        if (stride != 1 || in != out) {
            g.add(convolution(random, prefix + ".downsample.0", in, out, 1, stride), input);
            g.add(batchNorm(prefix + ".downsample.1", out, ActivationFunction.IDENTITY));
            shortcut = prefix + ".downsample.1";
        }
        g.add(new LayerSpec.ElementWise(prefix + ".add", LayerSpec.ElementWiseOp.ADD), prefix + ".bn3", shortcut);
        g.add(new LayerSpec.Activation(prefix + ".relu", ActivationFunction.RELU, 0));
        return prefix + ".relu";
    }

    /** A bias-free convolution with "same"-style explicit padding {@code kernel / 2}. */
    private static LayerSpec.Convolution convolution(Random random, String name, int in, int out, int kernel, int stride) {
        return new LayerSpec.Convolution(name, heNormal(random, (long) in * kernel * kernel, out, in, kernel, kernel),
                null, new int[] {stride, stride}, new int[] {kernel / 2, kernel / 2}, new int[] {1, 1}, false,
                ActivationFunction.IDENTITY, 0);
    }

    private static LayerSpec.ChannelAffine batchNorm(String name, int channels, ActivationFunction activation) {
        return new LayerSpec.ChannelAffine(name,
                Nd4j.valueArrayOf(new long[] {channels}, 1 / Math.sqrt(1 + BATCH_NORM_EPSILON), DataType.FLOAT),
                Nd4j.zeros(DataType.FLOAT, channels), activation, 0);
    }

    /** Normal values with standard deviation {@code sqrt(2 / fanIn)} (He et al. 2015), drawn from {@code random}. */
    private static INDArray heNormal(Random random, long fanIn, long... shape) {
        return SeededArrays.gaussian(random, Math.sqrt(2.0 / fanIn), shape);
    }
}
