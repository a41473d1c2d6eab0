package org.xai4j.models;

import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that a converted network has the layout of a {@link VggArchitecture} and gives its layers the stable
 * Keras-style names ({@code block1_conv1 ... block5_conv3}, {@code block1_pool ... block5_pool},
 * {@code [batch_normalization, dropout,] flatten, fc1, fc2, predictions}) whatever the source called them:
 * keras-vggface's {@code conv1_1 ... fc8}, the DL4J zoo's numbered vertices, or a user's own names.
 *
 * <p>Matching is by position and structure, never by the source names: every layer's type, kernel, stride,
 * channel counts and activation are compared with the architecture, and the first difference is reported with the
 * expected name, the source name and both shapes. A linear dense layer followed by a separate activation layer
 * (keras-vggface's {@code fc6} + {@code fc6/relu}, {@code fc8} + {@code fc8/softmax}) becomes one dense layer with that
 * activation, as keras.applications builds it.
 */
public final class VggLayout {

    private VggLayout() { }

    /** The layer names a network of this architecture gets, in order. */
    public static List<String> layerNames(VggArchitecture architecture) {
        List<String> names = new ArrayList<>();
        for (Expected e : expected(architecture)) {
            names.add(e.name);
        }
        return names;
    }

    /**
     * Checks the layout and renames the layers.
     *
     * @param spec         a converted network whose input is the network's own input (no preprocessing layers)
     * @param architecture the expected architecture
     * @return the same layers (dense + activation pairs merged) under the Keras-style names
     * @throws IllegalArgumentException naming the first layer that differs from the architecture
     */
    public static NetworkSpec toKerasNames(NetworkSpec spec, VggArchitecture architecture) {
        long[] input = spec.inputShape();
        if (input[0] != 3 || input[1] != architecture.height() || input[2] != architecture.width()) {
            throw new IllegalArgumentException("network '" + spec.name() + "' takes input " + Arrays.toString(input)
                    + " but the architecture expects [3, " + architecture.height() + ", " + architecture.width() + "]");
        }
        List<Source> layers = mergeActivations(spec.layers());
        List<Expected> expected = expected(architecture);
        List<LayerSpec> renamed = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Expected e = expected.get(i);
            if (i >= layers.size()) {
                throw new IllegalArgumentException("network '" + spec.name() + "' ends after "
                        + (layers.isEmpty() ? "no layer" : "'" + layers.get(layers.size() - 1).name + "'")
                        + " but " + architecture + " expects layer " + (i + 1) + " '" + e.name + "' (" + e.describe()
                        + ") and " + (expected.size() - i - 1) + " more");
            }
            Source s = layers.get(i);
            String problem = e.mismatch(s.layer);
            if (problem != null) {
                throw new IllegalArgumentException("network '" + spec.name() + "' does not have the expected VGG layout: "
                        + "layer " + (i + 1) + " ('" + s.name + "' in the source) should be '" + e.name + "', "
                        + e.describe() + ", but " + problem);
            }
            renamed.add(rename(s.layer, e.name));
        }
        if (layers.size() > expected.size()) {
            List<String> extra = new ArrayList<>();
            for (Source s : layers.subList(expected.size(), layers.size())) {
                extra.add(s.name);
            }
            throw new IllegalArgumentException("network '" + spec.name() + "' has layers after 'predictions' that "
                    + architecture + " does not have: " + extra);
        }
        return new NetworkSpec(spec.name(), input, renamed);
    }

    /** The same layer under another name. */
    public static LayerSpec rename(LayerSpec layer, String name) {
        if (layer instanceof LayerSpec.Convolution c) {
            return new LayerSpec.Convolution(name, c.weights(), c.bias(), c.stride(), c.padding(), c.dilation(),
                    c.samePadding(), c.activation(), c.alpha());
        } else if (layer instanceof LayerSpec.Pooling p) {
            return new LayerSpec.Pooling(name, p.type(), p.kernel(), p.stride(), p.padding(), p.samePadding(),
                    p.averageIncludesPadding());
        } else if (layer instanceof LayerSpec.GlobalPooling g) {
            return new LayerSpec.GlobalPooling(name, g.type());
        } else if (layer instanceof LayerSpec.Dense d) {
            return new LayerSpec.Dense(name, d.weights(), d.bias(), d.activation(), d.alpha());
        } else if (layer instanceof LayerSpec.ChannelAffine a) {
            return new LayerSpec.ChannelAffine(name, a.scale(), a.shift(), a.activation(), a.alpha());
        } else if (layer instanceof LayerSpec.Activation a) {
            return new LayerSpec.Activation(name, a.function(), a.alpha());
        } else if (layer instanceof LayerSpec.ChannelOrder o) {
            return new LayerSpec.ChannelOrder(name, o.order());
        } else if (layer instanceof LayerSpec.Flatten f) {
            return new LayerSpec.Flatten(name, f.channelsLast());
        } else if (layer instanceof LayerSpec.Identity) {
            return new LayerSpec.Identity(name);
        }
        throw new IllegalArgumentException("unknown layer type " + layer);
    }

    private record Source(String name, LayerSpec layer) { }

    private static List<Source> mergeActivations(List<LayerSpec> layers) {
        List<Source> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            LayerSpec next = i + 1 < layers.size() ? layers.get(i + 1) : null;
            if (layer instanceof LayerSpec.Dense d && d.activation() == ActivationFunction.IDENTITY
                    && next instanceof LayerSpec.Activation a) {
                out.add(new Source(d.name() + " + " + a.name(),
                        new LayerSpec.Dense(d.name(), d.weights(), d.bias(), a.function(), a.alpha())));
                i++;
            } else {
                out.add(new Source(layer.name(), layer));
            }
        }
        return out;
    }

    private enum Kind { CONV, POOL, BATCH_NORM, DROPOUT, FLATTEN, HIDDEN, CLASSIFIER }

    private record Expected(String name, Kind kind, long in, long out) {

        String describe() {
            return switch (kind) {
                case CONV -> "a 3x3 ReLU convolution " + in + " -> " + out + " channels";
                case POOL -> "a 2x2 max pooling with stride 2";
                case BATCH_NORM -> "a batch normalization over " + out + " channels";
                case DROPOUT -> "a dropout layer";
                case FLATTEN -> "a flatten step";
                case HIDDEN -> "a ReLU dense layer " + in + " -> " + out;
                case CLASSIFIER -> "a softmax (or linear) dense layer " + in + " -> " + out + " classes";
            };
        }

        /** Null if the layer fits, else what is wrong with it. */
        String mismatch(LayerSpec layer) {
            String type = layer.getClass().getSimpleName();
            switch (kind) {
                case CONV -> {
                    if (!(layer instanceof LayerSpec.Convolution c)) {
                        return "the network has a " + type + " layer there";
                    }
                    long[] w = c.weights().shape();
                    if (w[2] != 3 || w[3] != 3) {
                        return "its kernel is " + w[2] + "x" + w[3];
                    }
                    if (w[1] != in || w[0] != out) {
                        return "it maps " + w[1] + " -> " + w[0] + " channels";
                    }
                    if (c.stride()[0] != 1 || c.stride()[1] != 1
                            || !(c.samePadding() || c.padding()[0] == 1 && c.padding()[1] == 1)
                            || c.dilation()[0] != 1 || c.dilation()[1] != 1) {
                        return "it does not keep the spatial size (stride " + Arrays.toString(c.stride()) + ", padding "
                                + (c.samePadding() ? "same" : Arrays.toString(c.padding())) + ", dilation "
                                + Arrays.toString(c.dilation()) + ")";
                    }
                    if (c.activation() != ActivationFunction.RELU) {
                        return "its activation is " + c.activation();
                    }
                    return null;
                }
                case POOL -> {
                    if (!(layer instanceof LayerSpec.Pooling p)) {
                        return "the network has a " + type + " layer there";
                    }
                    if (p.type() != LayerSpec.PoolingType.MAX || p.kernel()[0] != 2 || p.kernel()[1] != 2
                            || p.stride()[0] != 2 || p.stride()[1] != 2) {
                        return "it is a " + p.type() + " pooling with kernel " + Arrays.toString(p.kernel())
                                + " and stride " + Arrays.toString(p.stride());
                    }
                    if (p.samePadding() || p.padding()[0] != 0 || p.padding()[1] != 0) {
                        return "it pads its input (Keras VGG pooling floors odd sizes)";
                    }
                    return null;
                }
                case BATCH_NORM -> {
                    if (!(layer instanceof LayerSpec.ChannelAffine a)) {
                        return "the network has a " + type + " layer there";
                    }
                    if (a.scale().length() != out) {
                        return "it normalizes " + a.scale().length() + " channels";
                    }
                    return null;
                }
                case DROPOUT -> {
                    return layer instanceof LayerSpec.Identity ? null : "the network has a " + type + " layer there";
                }
                case FLATTEN -> {
                    return layer instanceof LayerSpec.Flatten ? null : "the network has a " + type + " layer there";
                }
                case HIDDEN, CLASSIFIER -> {
                    if (!(layer instanceof LayerSpec.Dense d)) {
                        return "the network has a " + type + " layer there";
                    }
                    long[] w = d.weights().shape();
                    if (w[0] != in || w[1] != out) {
                        return "it maps " + w[0] + " -> " + w[1];
                    }
                    if (kind == Kind.HIDDEN && d.activation() != ActivationFunction.RELU) {
                        return "its activation is " + d.activation();
                    }
                    if (kind == Kind.CLASSIFIER && d.activation() != ActivationFunction.SOFTMAX
                            && d.activation() != ActivationFunction.IDENTITY) {
                        return "its activation is " + d.activation();
                    }
                    return null;
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }
    }

    private static List<Expected> expected(VggArchitecture a) {
        List<Expected> list = new ArrayList<>();
        int[] depths = a.convolutionsPerBlock();
        int[] widths = a.blockWidths();
        long channels = 3;
        for (int b = 0; b < VggArchitecture.BLOCKS; b++) {
            for (int i = 0; i < depths[b]; i++) {
                list.add(new Expected("block" + (b + 1) + "_conv" + (i + 1), Kind.CONV, channels, widths[b]));
                channels = widths[b];
            }
            list.add(new Expected("block" + (b + 1) + "_pool", Kind.POOL, channels, channels));
        }
        if (a.normalizedHead()) {
            list.add(new Expected("batch_normalization", Kind.BATCH_NORM, channels, channels));
            list.add(new Expected("dropout", Kind.DROPOUT, channels, channels));
        }
        long units = a.flattenedSize();
        list.add(new Expected("flatten", Kind.FLATTEN, units, units));
        int[] hidden = a.hiddenUnits();
        for (int i = 0; i < hidden.length; i++) {
            list.add(new Expected("fc" + (i + 1), Kind.HIDDEN, units, hidden[i]));
            units = hidden[i];
        }
        list.add(new Expected("predictions", Kind.CLASSIFIER, units, a.numClasses()));
        return list;
    }
}
