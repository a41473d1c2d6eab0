package org.xai4j.perturbation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.io.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The fixtures written by {@code xai-core/src/test/python/make_perturbation_references.py}: Captum's outputs on a tiny
 * PyTorch CNN, its weights and inputs, and scikit-image SLIC labels.
 */
public final class PerturbationFixtures {

    private PerturbationFixtures() { }

    /** Reads {@code org/xai4j/perturbation/NAME.npy} from the test resources. */
    public static INDArray read(String name) {
        String resource = "/org/xai4j/perturbation/" + name + ".npy";
        try (InputStream in = PerturbationFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource
                        + ": run xai-core/src/test/python/make_perturbation_references.py");
            }
            return Npy.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The generator's tiny CNN, rebuilt from its weights: conv 3->4 (3x3, padding 1) + ReLU, 2x2 max pool, conv 4->6
     * (3x3) + ReLU, flatten in PyTorch's (channel-major) order, dense 96->5 logits. Input [3, 12, 12].
     */
    public static Nd4jImageModel tinyCnn() {
        INDArray fc = read("tiny_fc_weight").castTo(DataType.FLOAT); // torch [out, in]
        NetworkSpec spec = new NetworkSpec("tiny", new long[] {3, 12, 12}, List.of(
                new LayerSpec.Convolution("conv1", read("tiny_conv1_weight").castTo(DataType.FLOAT),
                        read("tiny_conv1_bias").castTo(DataType.FLOAT), new int[] {1, 1}, new int[] {1, 1},
                        new int[] {1, 1}, false, ActivationFunction.RELU, 0),
                new LayerSpec.Pooling("pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {0, 0}, false, false),
                new LayerSpec.Convolution("conv2", read("tiny_conv2_weight").castTo(DataType.FLOAT),
                        read("tiny_conv2_bias").castTo(DataType.FLOAT), new int[] {1, 1}, new int[] {0, 0},
                        new int[] {1, 1}, false, ActivationFunction.RELU, 0),
                new LayerSpec.Flatten("flatten", false),
                new LayerSpec.Dense("logits", fc.transpose().dup('c'), read("tiny_fc_bias").castTo(DataType.FLOAT),
                        ActivationFunction.IDENTITY, 0)));
        return Nd4jImageModel.of(spec);
    }

    /** The generator's input batch [2, 3, 12, 12] (float32 values stored as float64). */
    public static INDArray tinyInputs() {
        return read("tiny_inputs").castTo(DataType.FLOAT);
    }

    /** The generator's targets, one per input. */
    public static final int[] TARGETS = {1, 3};
}
