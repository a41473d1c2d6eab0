package org.xai4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * VGG-shaped networks with random (He-initialized) weights from a seeded {@link Random}: the cost of a forward or
 * backward pass does not depend on the weights' values, so these time exactly like the pretrained networks.
 */
public final class RandomVgg {

    private RandomVgg() { }

    /** VGG16 (Simonyan and Zisserman 2015, configuration D): 224x224x3 input, 1000 classes, Keras layer names. */
    public static NetworkSpec vgg16(long seed) {
        return vgg("vgg16", 224, new int[] {64, 128, 256, 512, 512}, 4096, 1000, seed);
    }

    /** A narrow VGG16-shaped network like the project's toy models: 64x64x3 input, widths 16..64, 7 classes. */
    public static NetworkSpec miniVgg(long seed) {
        return vgg("mini-vgg", 64, new int[] {16, 32, 64, 64, 64}, 128, 7, seed);
    }

    /** A VGG16-layout network: blocks of 2, 2, 3, 3, 3 same-padded 3x3 ReLU convolutions, 2x2 max pools, two dense. */
    public static NetworkSpec vgg(String name, int size, int[] widths, int dense, int classes, long seed) {
        Random random = new Random(seed);
        int[] convsPerBlock = {2, 2, 3, 3, 3};
        List<LayerSpec> layers = new ArrayList<>();
        long channels = 3;
        for (int block = 0; block < 5; block++) {
            for (int c = 0; c < convsPerBlock[block]; c++) {
                INDArray w = SeededArrays.gaussian(random, Math.sqrt(2.0 / (channels * 9)), widths[block], channels, 3, 3);
                layers.add(new LayerSpec.Convolution("block" + (block + 1) + "_conv" + (c + 1), w,
                        Nd4j.zeros(DataType.FLOAT, widths[block]), new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                        true, ActivationFunction.RELU, 0));
                channels = widths[block];
            }
            layers.add(new LayerSpec.Pooling("block" + (block + 1) + "_pool", LayerSpec.PoolingType.MAX,
                    new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, false, false));
        }
        layers.add(new LayerSpec.Flatten("flatten", true));
        long flat = channels * (size / 32) * (size / 32);
        layers.add(dense(random, "fc1", flat, dense, ActivationFunction.RELU));
        layers.add(dense(random, "fc2", dense, dense, ActivationFunction.RELU));
        layers.add(dense(random, "predictions", dense, classes, ActivationFunction.SOFTMAX));
        return new NetworkSpec(name, new long[] {3, size, size}, layers);
    }

    private static LayerSpec dense(Random random, String name, long in, long out, ActivationFunction activation) {
        INDArray w = SeededArrays.gaussian(random, Math.sqrt(2.0 / in), in, out);
        return new LayerSpec.Dense(name, w, Nd4j.zeros(DataType.FLOAT, out), activation, 0);
    }
}
