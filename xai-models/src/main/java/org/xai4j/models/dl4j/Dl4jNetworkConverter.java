package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.UnsupportedLayerException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Converts a DL4J {@link MultiLayerNetwork} or single-chain {@link ComputationGraph} into a {@link NetworkSpec}, and
 * from there into a {@link Nd4jImageModel} whose outputs match the DL4J network's.
 *
 * <p>Supported: Convolution (same/truncate/strict modes, bias, dilation), Subsampling (max, avg), GlobalPooling (max,
 * avg), Dense, Output (any supported activation; softmax gives the logits as the pre-activation), BatchNormalization
 * (inference statistics, folded to a per-channel scale and shift), Dropout (identity), Activation, and
 * CNN-to-feed-forward preprocessors in either channel order, a feed-forward-to-CNN preprocessor on the first layer (how
 * the DL4J zoo declares image input), and frozen-layer wrappers from transfer learning. Activations: identity, ReLU, leaky ReLU, tanh, sigmoid,
 * softplus, softmax. Anything else raises {@link UnsupportedLayerException} naming the layer and its type.
 *
 * <p>The model's input is always NCHW. Networks configured for NHWC input (such as Keras imports) keep their
 * channels-last flatten order, so the same image permuted to NCHW gives the same outputs.
 */
public final class Dl4jNetworkConverter {

    private Dl4jNetworkConverter() { }

    /** Converts a multi-layer network whose input examples have shape {@code [channels, height, width]}. */
    public static NetworkSpec toSpec(MultiLayerNetwork network, String name, long... inputShape) {
        List<LayerSpec> layers = new ArrayList<>();
        int count = network.getLayerWiseConfigurations().getConfs().size();
        for (int i = 0; i < count; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = network.getLayerWiseConfigurations().getConf(i).getLayer();
            String layerName = conf.getLayerName() != null ? conf.getLayerName() : "layer" + i;
            InputPreProcessor pre = network.getLayerWiseConfigurations().getInputPreProcess(i);
            addPreprocessor(layers, pre, layerName);
            addLayer(layers, conf, layerName, network.getLayer(i), layers);
        }
        return new NetworkSpec(name, inputShape, layers);
    }

    /** Converts a computation graph made of one chain of layer and preprocessor vertices. */
    public static NetworkSpec toSpec(ComputationGraph network, String name, long... inputShape) {
        ComputationGraphConfiguration conf = network.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedLayerException(name, "ComputationGraph", "only single-input, single-output graphs are "
                    + "supported, got inputs " + conf.getNetworkInputs() + " and outputs " + conf.getNetworkOutputs());
        }
        List<String> chain = chainOf(conf);
        List<LayerSpec> layers = new ArrayList<>();
        for (String vertexName : chain) {
            GraphVertex vertex = conf.getVertices().get(vertexName);
            if (vertex instanceof LayerVertex layerVertex) {
                addPreprocessor(layers, layerVertex.getPreProcessor(), vertexName);
                addLayer(layers, layerVertex.getLayerConf().getLayer(), vertexName, network.getLayer(vertexName), layers);
            } else if (vertex instanceof PreprocessorVertex preprocessorVertex) {
                addPreprocessor(layers, preprocessorVertex.getPreProcessor(), vertexName);
            } else {
                throw new UnsupportedLayerException(vertexName, vertex.getClass().getSimpleName(),
                        "only layer and preprocessor vertices can be converted");
            }
        }
        return new NetworkSpec(name, inputShape, layers);
    }

    /** Converts and builds a float32 model. */
    public static Nd4jImageModel convert(MultiLayerNetwork network, long... inputShape) {
        return Nd4jImageModel.of(toSpec(network, "MultiLayerNetwork", inputShape));
    }

    /** Converts and builds a float32 model. */
    public static Nd4jImageModel convert(ComputationGraph network, long... inputShape) {
        return Nd4jImageModel.of(toSpec(network, "ComputationGraph", inputShape));
    }

    private static List<String> chainOf(ComputationGraphConfiguration conf) {
        String input = conf.getNetworkInputs().get(0);
        List<String> chain = new ArrayList<>();
        String current = input;
        Map<String, List<String>> inputs = conf.getVertexInputs();
        while (true) {
            List<String> next = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
                if (e.getValue().contains(current)) {
                    next.add(e.getKey());
                }
            }
            if (next.isEmpty()) {
                break;
            }
            if (next.size() > 1 || inputs.get(next.get(0)).size() != 1) {
                String vertex = next.get(0);
                throw new UnsupportedLayerException(vertex, conf.getVertices().get(vertex).getClass().getSimpleName(),
                        "only a single chain of vertices is supported, but '" + current + "' feeds " + next
                                + " and '" + vertex + "' reads " + inputs.get(vertex));
            }
            current = next.get(0);
            chain.add(current);
        }
        return chain;
    }

    private static void addPreprocessor(List<LayerSpec> layers, InputPreProcessor pre, String layerName) {
        if (pre == null) {
            return;
        }
        if (pre instanceof FeedForwardToCnnPreProcessor && layers.isEmpty()) {
            // The DL4J zoo declares its input as flattened images; for NCHW input this reshape is the identity.
            return;
        }
        if (pre instanceof CnnToFeedForwardPreProcessor cnn) {
            layers.add(new LayerSpec.Flatten(layerName + "/flatten", cnn.getFormat() == CNN2DFormat.NHWC));
            return;
        }
        String type = pre.getClass().getSimpleName();
        if (type.equals("KerasFlattenRnnPreprocessor") || type.equals("TensorFlowCnnToFeedForwardPreProcessor")) {
            layers.add(new LayerSpec.Flatten(layerName + "/flatten", true));
            return;
        }
        throw new UnsupportedLayerException(layerName, type, "unsupported input preprocessor");
    }

    private static void addLayer(List<LayerSpec> out, org.deeplearning4j.nn.conf.layers.Layer wrapped, String name,
                                 Layer layer, List<LayerSpec> previous) {
        // Freezing (transfer learning) only affects training; the runtime wrapper delegates its parameters.
        org.deeplearning4j.nn.conf.layers.Layer conf = unwrapFrozen(wrapped);
        String type = conf.getClass().getSimpleName();
        if (conf instanceof ConvolutionLayer conv) {
            if (!conv.getClass().equals(ConvolutionLayer.class)) {
                throw new UnsupportedLayerException(name, type, "only plain 2-D convolutions are supported");
            }
            Activation activation = activation(conv.getActivationFn(), name, type);
            out.add(new LayerSpec.Convolution(name, layer.getParam("W"), conv.hasBias() ? layer.getParam("b") : null,
                    conv.getStride(), conv.getPadding(), conv.getDilation(), same(conv.getConvolutionMode(), name, type),
                    activation.function, activation.alpha));
        } else if (conf instanceof SubsamplingLayer pool) {
            if (!pool.getClass().equals(SubsamplingLayer.class)) {
                throw new UnsupportedLayerException(name, type, "only 2-D subsampling is supported");
            }
            if (Arrays.stream(pool.getDilation()).anyMatch(d -> d != 1)) {
                throw new UnsupportedLayerException(name, type, "dilated pooling " + Arrays.toString(pool.getDilation()));
            }
            out.add(new LayerSpec.Pooling(name, poolingType(pool.getPoolingType(), name, type), pool.getKernelSize(),
                    pool.getStride(), pool.getPadding(), same(pool.getConvolutionMode(), name, type),
                    pool.isAvgPoolIncludePadInDivisor()));
        } else if (conf instanceof GlobalPoolingLayer pool) {
            if (!pool.isCollapseDimensions()) {
                throw new UnsupportedLayerException(name, type, "global pooling must collapse its dimensions");
            }
            out.add(new LayerSpec.GlobalPooling(name, poolingType(pool.getPoolingType(), name, type)));
        } else if (conf instanceof DenseLayer || conf instanceof BaseOutputLayer) {
            if (!(conf instanceof DenseLayer) && !(conf instanceof org.deeplearning4j.nn.conf.layers.OutputLayer)) {
                throw new UnsupportedLayerException(name, type, "only OutputLayer and DenseLayer are supported");
            }
            org.deeplearning4j.nn.conf.layers.FeedForwardLayer dense = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf;
            if (!previous.isEmpty() && !(previous.get(previous.size() - 1) instanceof LayerSpec.Flatten)
                    && spatial(previous)) {
                out.add(new LayerSpec.Flatten(name + "/flatten", false));
            }
            Activation activation = activation(dense.getActivationFn(), name, type);
            out.add(new LayerSpec.Dense(name, layer.getParam("W"), hasParam(layer, "b") ? layer.getParam("b") : null,
                    activation.function, activation.alpha));
        } else if (conf instanceof BatchNormalization bn) {
            INDArray mean = layer.getParam("mean").reshape(-1);
            INDArray variance = bn.isUseLogStd()
                    ? Transforms.pow(Nd4j.valueArrayOf(layer.getParam("log10stdev").shape(), 10.0,
                            layer.getParam("log10stdev").dataType()), layer.getParam("log10stdev").mul(2), false).reshape(-1)
                    : layer.getParam("var").reshape(-1);
            INDArray gamma = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(mean.shape(), bn.getGamma(), mean.dataType())
                    : layer.getParam("gamma").reshape(-1);
            INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(mean.shape(), bn.getBeta(), mean.dataType())
                    : layer.getParam("beta").reshape(-1);
            // DL4J normalizes by sqrt(var + eps) in both parameterizations (log-std stores log10(sqrt(var))).
            INDArray std = Transforms.sqrt(variance.add(bn.getEps()), false);
            INDArray scale = gamma.div(std);
            INDArray shift = beta.sub(mean.mul(scale));
            // DL4J's batch-norm layer ignores its configured activation (it inherits the global default).
            out.add(new LayerSpec.ChannelAffine(name, scale, shift, ActivationFunction.IDENTITY, 0));
        } else if (conf instanceof DropoutLayer) {
            out.add(new LayerSpec.Identity(name));
        } else if (conf instanceof ActivationLayer act) {
            Activation activation = activation(act.getActivationFn(), name, type);
            out.add(new LayerSpec.Activation(name, activation.function, activation.alpha));
        } else {
            throw new UnsupportedLayerException(name, type, "supported layers are Convolution, Subsampling, "
                    + "GlobalPooling, Dense, Output, BatchNormalization, Dropout and Activation");
        }
    }

    private static org.deeplearning4j.nn.conf.layers.Layer unwrapFrozen(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unwrapFrozen(frozen.getLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            return unwrapFrozen(frozen.getUnderlying());
        }
        return layer;
    }

    private static boolean hasParam(Layer layer, String key) {
        return layer.paramTable().containsKey(key);
    }

    private static boolean spatial(List<LayerSpec> previous) {
        for (int i = previous.size() - 1; i >= 0; i--) {
            LayerSpec p = previous.get(i);
            if (p instanceof LayerSpec.Convolution || p instanceof LayerSpec.Pooling) {
                return true;
            }
            if (p instanceof LayerSpec.Dense || p instanceof LayerSpec.Flatten || p instanceof LayerSpec.GlobalPooling) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(ConvolutionMode mode, String name, String type) {
        if (mode == ConvolutionMode.Same) {
            return true;
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return false;
        }
        throw new UnsupportedLayerException(name, type, "convolution mode " + mode);
    }

    private static LayerSpec.PoolingType poolingType(PoolingType type, String name, String layerType) {
        return switch (type) {
            case MAX -> LayerSpec.PoolingType.MAX;
            case AVG -> LayerSpec.PoolingType.AVG;
            default -> throw new UnsupportedLayerException(name, layerType, "pooling type " + type);
        };
    }

    private record Activation(ActivationFunction function, double alpha) { }

    private static Activation activation(IActivation fn, String name, String type) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return new Activation(ActivationFunction.IDENTITY, 0);
        }
        if (fn instanceof ActivationReLU) {
            return new Activation(ActivationFunction.RELU, 0);
        }
        if (fn instanceof ActivationLReLU leaky) {
            return new Activation(ActivationFunction.LEAKY_RELU, leaky.getAlpha());
        }
        if (fn instanceof ActivationTanH) {
            return new Activation(ActivationFunction.TANH, 0);
        }
        if (fn instanceof ActivationSigmoid) {
            return new Activation(ActivationFunction.SIGMOID, 0);
        }
        if (fn instanceof ActivationSoftPlus) {
            return new Activation(ActivationFunction.SOFTPLUS, 0);
        }
        if (fn instanceof ActivationSoftmax) {
            return new Activation(ActivationFunction.SOFTMAX, 0);
        }
        throw new UnsupportedLayerException(name, type, "activation " + fn.getClass().getSimpleName());
    }
}
