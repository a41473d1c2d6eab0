package org.xai4j.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Re-draws the weights of chosen layers of a network description (for {@link Nd4jImageModel#withReinitializedLayers}). */
final class LayerReinitialization {

    private LayerReinitialization() { }

    /** The layers with learned weights (convolutions, depthwise convolutions, dense layers), in spec order. */
    static List<String> weightedLayers(NetworkSpec spec) {
        List<String> weighted = new ArrayList<>();
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof LayerSpec.Convolution || layer instanceof LayerSpec.DepthwiseConvolution
                    || layer instanceof LayerSpec.Dense) {
                weighted.add(layer.name());
            }
        }
        return weighted;
    }

    /** The network with the named layers re-drawn; layer i of the spec draws from its own seed. */
    static NetworkSpec reinitialize(NetworkSpec spec, Set<String> names, long seed) {
        List<String> weighted = weightedLayers(spec);
        for (String name : names) {
            if (!weighted.contains(name)) {
                throw new IllegalArgumentException("layer '" + name + "' has no weights to randomize; expected one of "
                        + weighted);
            }
        }
        List<LayerSpec> replacements = new ArrayList<>();
        List<LayerSpec> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (!names.contains(layer.name())) {
                continue;
            }
            Random random = new Random(seed * 1_000_003L + i);
            if (layer instanceof LayerSpec.Convolution c) {
                long[] shape = c.weights().shape();
                INDArray w = RandomArrays.gaussian(random, Math.sqrt(2.0 / (shape[1] * shape[2] * shape[3])),
                        c.weights().dataType(), shape);
                INDArray bias = c.bias() == null ? null : Nd4j.zeros(c.bias().dataType(), c.bias().shape());
                replacements.add(new LayerSpec.Convolution(c.name(), w, bias, c.stride(), c.padding(), c.dilation(),
                        c.samePadding(), c.activation(), c.alpha()));
            } else if (layer instanceof LayerSpec.DepthwiseConvolution c) {
                long[] shape = c.weights().shape();
                // Each output channel sees one input channel: fan-in is the kernel's area.
                INDArray w = RandomArrays.gaussian(random, Math.sqrt(2.0 / (shape[0] * shape[1])),
                        c.weights().dataType(), shape);
                INDArray bias = c.bias() == null ? null : Nd4j.zeros(c.bias().dataType(), c.bias().shape());
                replacements.add(new LayerSpec.DepthwiseConvolution(c.name(), w, bias, c.stride(), c.padding(),
                        c.dilation(), c.samePadding(), c.activation(), c.alpha()));
            } else if (layer instanceof LayerSpec.Dense d) {
                long[] shape = d.weights().shape();
                INDArray w = RandomArrays.gaussian(random, Math.sqrt(2.0 / shape[0]), d.weights().dataType(), shape);
                INDArray bias = d.bias() == null ? null : Nd4j.zeros(d.bias().dataType(), d.bias().shape());
                replacements.add(new LayerSpec.Dense(d.name(), w, bias, d.activation(), d.alpha()));
            }
        }
        return spec.withLayers(replacements).withName(spec.name() + "/randomized");
    }
}
