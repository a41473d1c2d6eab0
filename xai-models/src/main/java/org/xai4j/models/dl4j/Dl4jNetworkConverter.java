package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.UnsupportedLayerException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Converts a DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} (any directed acyclic graph with one image
 * input and one output: ResNet, SqueezeNet, Xception, Darknet, Keras functional imports) into a {@link NetworkSpec},
 * and from there into an {@link Nd4jImageModel} whose outputs match the DL4J network's. Layer names are the DL4J layer
 * or vertex names; a vertex that becomes several engine layers (a layer with an input preprocessor, a separable
 * convolution) keeps its name on the last of them.
 *
 * <p>Supported vertices: layer vertices, {@code ElementWiseVertex} (add, subtract, product, average, max),
 * {@code MergeVertex} along the channels, {@code ScaleVertex}, {@code ShiftVertex}, {@code PreprocessorVertex},
 * {@code L2NormalizeVertex} over all of an example's values, and frozen vertices. Supported layers: {@value #LAYERS}.
 * Activations: {@value #ACTIVATIONS}. Anything else raises {@link UnsupportedLayerException} naming the vertex, its
 * type and what is supported, before any weight is copied.
 *
 * <p>The model's input is always NCHW. Networks configured for NHWC input (such as Keras imports) keep their
 * channels-last flatten order, so the same image permuted to NCHW gives the same outputs.
 */
public final class Dl4jNetworkConverter {

    /** The layers the converter supports, for messages. */
    static final String LAYERS = "ConvolutionLayer (Same, Truncate and Strict modes, any stride, padding and "
            + "dilation), DepthwiseConvolution2D, SeparableConvolution2D, SubsamplingLayer (max, average), "
            + "GlobalPoolingLayer (max, average), ZeroPaddingLayer, Cropping2D, Upsampling2D, DenseLayer, OutputLayer, "
            + "LossLayer, BatchNormalization, DropoutLayer, ActivationLayer and frozen wrappers of these";
    /** The activations the converter supports, for messages. */
    static final String ACTIVATIONS = "identity, ReLU (with a maximum of 6, or a negative slope), ReLU6, leaky ReLU, "
            + "ELU, Swish, hard sigmoid, tanh, sigmoid, softplus, softmax";
    private static final String VERTICES = "layer, ElementWise (Add, Subtract, Product, Average, Max), Merge, Scale, "
            + "Shift, Preprocessor and L2Normalize vertices";

    private Dl4jNetworkConverter() { }

    /**
     * Converts a multi-layer network whose input examples have shape {@code [channels, height, width]}.
     *
     * @param network    the network
     * @param name       a label for logs and messages
     * @param inputShape one example's shape {@code [channels, height, width]}
     * @return the network description
     * @throws UnsupportedLayerException if a layer, preprocessor or activation cannot be represented
     */
    public static NetworkSpec toSpec(MultiLayerNetwork network, String name, long... inputShape) {
        List<LayerSpec> layers = new ArrayList<>();
        int count = network.getLayerWiseConfigurations().getConfs().size();
        for (int i = 0; i < count; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = network.getLayerWiseConfigurations().getConf(i).getLayer();
            String layerName = conf.getLayerName() != null ? conf.getLayerName() : "layer" + i;
            InputPreProcessor pre = network.getLayerWiseConfigurations().getInputPreProcess(i);
            addPreprocessor(layers, pre, layerName, layers.isEmpty());
            List<LayerSpec> converted = convertLayer(conf, layerName, network.getLayer(i));
            if (needsImplicitFlatten(conf, layers)) {
                layers.add(new LayerSpec.Flatten(layerName + "/flatten", false));
            }
            layers.addAll(converted);
        }
        return new NetworkSpec(name, inputShape, layers);
    }

    /**
     * Converts a computation graph with one image input and one output. Vertices the output does not depend on are
     * left out.
     *
     * @param network    the network
     * @param name       a label for logs and messages
     * @param inputShape one example's shape {@code [channels, height, width]}
     * @return the network description
     * @throws UnsupportedLayerException if a vertex, layer, preprocessor or activation cannot be represented
     */
    public static NetworkSpec toSpec(ComputationGraph network, String name, long... inputShape) {
        ComputationGraphConfiguration conf = network.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedLayerException(name, "ComputationGraph", "only single-input, single-output graphs are "
                    + "supported, got inputs " + conf.getNetworkInputs() + " and outputs " + conf.getNetworkOutputs());
        }
        String networkInput = conf.getNetworkInputs().get(0);
        String output = conf.getNetworkOutputs().get(0);
        Set<String> needed = ancestors(conf, output);
        List<String> order = new ArrayList<>();
        for (String vertex : conf.getTopologicalOrderStr()) {
            if (!vertex.equals(networkInput) && needed.contains(vertex)) {
                if (vertex.equals(LayerInfo.MODEL_INPUT)) {
                    throw new UnsupportedLayerException(vertex, conf.getVertices().get(vertex).getClass().getSimpleName(),
                            "the name '" + LayerInfo.MODEL_INPUT + "' is reserved for the model input; rename the vertex");
                }
                order.add(vertex);
            }
        }
        // Check every vertex before converting any, so an unsupported one is reported before work is done.
        for (String vertex : order) {
            checkSupported(vertex, conf.getVertices().get(vertex));
        }
        NetworkSpec.GraphBuilder graph = NetworkSpec.graph(name, inputShape);
        for (String vertexName : order) {
            GraphVertex vertex = unwrapFrozen(conf.getVertices().get(vertexName));
            List<String> inputs = new ArrayList<>();
            for (String read : conf.getVertexInputs().get(vertexName)) {
                inputs.add(read.equals(networkInput) ? LayerInfo.MODEL_INPUT : read);
            }
            List<LayerSpec> layers = new ArrayList<>();
            if (vertex instanceof LayerVertex layerVertex) {
                addPreprocessor(layers, layerVertex.getPreProcessor(), vertexName,
                        inputs.equals(List.of(LayerInfo.MODEL_INPUT)));
                layers.addAll(convertLayer(layerVertex.getLayerConf().getLayer(), vertexName,
                        network.getLayer(vertexName)));
            } else if (vertex instanceof PreprocessorVertex preprocessorVertex) {
                addPreprocessor(layers, preprocessorVertex.getPreProcessor(), vertexName,
                        inputs.equals(List.of(LayerInfo.MODEL_INPUT)));
                if (layers.isEmpty()) {
                    layers.add(new LayerSpec.Identity(vertexName));
                } else {
                    LayerSpec last = layers.remove(layers.size() - 1);
                    layers.add(new LayerSpec.Flatten(vertexName, ((LayerSpec.Flatten) last).channelsLast()));
                }
            } else if (vertex instanceof ElementWiseVertex elementWise) {
                layers.add(new LayerSpec.ElementWise(vertexName, switch (elementWise.getOp()) {
                    case Add -> LayerSpec.ElementWiseOp.ADD;
                    case Subtract -> LayerSpec.ElementWiseOp.SUBTRACT;
                    case Product -> LayerSpec.ElementWiseOp.PRODUCT;
                    case Average -> LayerSpec.ElementWiseOp.AVERAGE;
                    case Max -> LayerSpec.ElementWiseOp.MAX;
                }));
            } else if (vertex instanceof MergeVertex) {
                layers.add(new LayerSpec.Concat(vertexName));
            } else if (vertex instanceof ScaleVertex scale) {
                layers.add(new LayerSpec.ScalarAffine(vertexName, scale.getScaleFactor(), 0));
            } else if (vertex instanceof ShiftVertex shift) {
                layers.add(new LayerSpec.ScalarAffine(vertexName, 1, shift.getShiftFactor()));
            } else if (vertex instanceof L2NormalizeVertex normalize) {
                layers.add(new LayerSpec.L2Normalize(vertexName, normalize.getEps()));
            }
            for (int i = 0; i < layers.size(); i++) {
                LayerSpec layer = layers.get(i);
                if (i == 0) {
                    graph.add(layer, inputs.toArray(new String[0]));
                } else {
                    graph.add(layer);
                }
            }
        }
        return graph.build();
    }

    /**
     * Converts and builds a float32 model.
     *
     * @param network    the network
     * @param inputShape one example's shape {@code [channels, height, width]}
     * @return the model
     */
    public static Nd4jImageModel convert(MultiLayerNetwork network, long... inputShape) {
        return Nd4jImageModel.of(toSpec(network, "MultiLayerNetwork", inputShape));
    }

    /**
     * Converts and builds a float32 model.
     *
     * @param network    the network
     * @param inputShape one example's shape {@code [channels, height, width]}
     * @return the model
     */
    public static Nd4jImageModel convert(ComputationGraph network, long... inputShape) {
        return Nd4jImageModel.of(toSpec(network, "ComputationGraph", inputShape));
    }

    private static Set<String> ancestors(ComputationGraphConfiguration conf, String vertex) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(next, List.of()));
            }
        }
        return seen;
    }

    private static GraphVertex unwrapFrozen(GraphVertex vertex) {
        return vertex instanceof FrozenVertex frozen ? unwrapFrozen(frozen.getUnderlying()) : vertex;
    }

    private static void checkSupported(String name, GraphVertex wrapped) {
        GraphVertex vertex = unwrapFrozen(wrapped);
        String type = vertex.getClass().getSimpleName();
        if (vertex instanceof LayerVertex layerVertex) {
            checkLayer(layerVertex.getLayerConf().getLayer(), name);
        } else if (vertex instanceof MergeVertex merge) {
            // DL4J merges along its channel axis: 1 in NCHW graphs, 3 in NHWC ones (Keras imports), 1 for vectors.
            int axis = merge.getMergeAxis();
            if (axis != 1 && axis != 3 && axis != -1) {
                throw new UnsupportedLayerException(name, type, "only merging along the channels is supported, got axis "
                        + axis);
            }
        } else if (vertex instanceof L2NormalizeVertex normalize) {
            if (normalize.getDimension() != null && normalize.getDimension().length > 0) {
                throw new UnsupportedLayerException(name, type, "only normalizing over all of an example's values is "
                        + "supported, got dimensions " + Arrays.toString(normalize.getDimension()));
            }
        } else if (!(vertex instanceof ElementWiseVertex || vertex instanceof ScaleVertex
                || vertex instanceof ShiftVertex || vertex instanceof PreprocessorVertex)) {
            throw new UnsupportedLayerException(name, type, "supported vertices are " + VERTICES
                    + "; supported layers are " + LAYERS);
        }
    }

    /** Checks a layer's type, settings and activation without reading its weights. */
    private static void checkLayer(org.deeplearning4j.nn.conf.layers.Layer wrapped, String name) {
        org.deeplearning4j.nn.conf.layers.Layer conf = unwrapFrozen(wrapped);
        String type = conf.getClass().getSimpleName();
        if (conf instanceof ConvolutionLayer conv) {
            boolean plain = conv.getClass().equals(ConvolutionLayer.class)
                    || conv.getClass().equals(org.deeplearning4j.nn.conf.layers.Convolution2D.class)
                    || conv instanceof DepthwiseConvolution2D || conv instanceof SeparableConvolution2D;
            if (!plain) {
                throw new UnsupportedLayerException(name, type, "only 2-D convolutions are supported; supported "
                        + "layers are " + LAYERS);
            }
            same(conv.getConvolutionMode(), name, type);
            activation(conv.getActivationFn(), name, type);
        } else if (conf instanceof SubsamplingLayer pool) {
            if (!pool.getClass().equals(SubsamplingLayer.class)) {
                throw new UnsupportedLayerException(name, type, "only 2-D subsampling is supported");
            }
            if (Arrays.stream(pool.getDilation()).anyMatch(d -> d != 1)) {
                throw new UnsupportedLayerException(name, type, "dilated pooling " + Arrays.toString(pool.getDilation()));
            }
            same(pool.getConvolutionMode(), name, type);
            poolingType(pool.getPoolingType(), name, type);
        } else if (conf instanceof GlobalPoolingLayer pool) {
            if (!pool.isCollapseDimensions()) {
                throw new UnsupportedLayerException(name, type, "global pooling must collapse its dimensions");
            }
            poolingType(pool.getPoolingType(), name, type);
        } else if (conf instanceof DenseLayer || conf instanceof OutputLayer || conf instanceof LossLayer
                || conf instanceof ActivationLayer) {
            if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer
                    && !(conf instanceof OutputLayer) || conf instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer) {
                throw new UnsupportedLayerException(name, type, "only OutputLayer, LossLayer and DenseLayer heads are "
                        + "supported");
            }
            activation(activationOf(conf), name, type);
        } else if (!(conf instanceof BatchNormalization || conf instanceof DropoutLayer
                || conf instanceof ZeroPaddingLayer || conf instanceof Cropping2D
                || conf.getClass().equals(Upsampling2D.class))) {
            throw new UnsupportedLayerException(name, type, "supported layers are " + LAYERS);
        }
    }

    private static IActivation activationOf(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof ActivationLayer act) {
            return act.getActivationFn();
        }
        return ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf).getActivationFn();
    }

    private static void addPreprocessor(List<LayerSpec> layers, InputPreProcessor pre, String layerName,
                                        boolean readsModelInput) {
        if (pre == null) {
            return;
        }
        if (pre instanceof FeedForwardToCnnPreProcessor && readsModelInput) {
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
        throw new UnsupportedLayerException(layerName, type, "unsupported input preprocessor; supported are "
                + "CnnToFeedForward (either channel order), Keras flatten preprocessors, and FeedForwardToCnn on the "
                + "network input");
    }

    /** A dense head after a spatial layer with no preprocessor between them (some hand-built MultiLayerNetworks). */
    private static boolean needsImplicitFlatten(org.deeplearning4j.nn.conf.layers.Layer wrapped, List<LayerSpec> previous) {
        org.deeplearning4j.nn.conf.layers.Layer conf = unwrapFrozen(wrapped);
        if (!(conf instanceof DenseLayer || conf instanceof OutputLayer) || previous.isEmpty()) {
            return false;
        }
        for (int i = previous.size() - 1; i >= 0; i--) {
            LayerSpec p = previous.get(i);
            if (p instanceof LayerSpec.Convolution || p instanceof LayerSpec.Pooling
                    || p instanceof LayerSpec.DepthwiseConvolution || p instanceof LayerSpec.ZeroPadding
                    || p instanceof LayerSpec.Cropping || p instanceof LayerSpec.Upsampling) {
                return true;
            }
            if (p instanceof LayerSpec.Dense || p instanceof LayerSpec.Flatten || p instanceof LayerSpec.GlobalPooling) {
                return false;
            }
        }
        return false;
    }

    /** The engine layers of one DL4J layer; the last is named {@code name}. */
    private static List<LayerSpec> convertLayer(org.deeplearning4j.nn.conf.layers.Layer wrapped, String name,
                                                Layer layer) {
        checkLayer(wrapped, name);
        // Freezing (transfer learning) only affects training; the runtime wrapper delegates its parameters.
        org.deeplearning4j.nn.conf.layers.Layer conf = unwrapFrozen(wrapped);
        String type = conf.getClass().getSimpleName();
        if (conf instanceof SeparableConvolution2D conv) {
            Activation activation = activation(conv.getActivationFn(), name, type);
            boolean same = same(conv.getConvolutionMode(), name, type);
            // DL4J keeps the depthwise kernels as [multiplier, in, kH, kW]; the engine wants [kH, kW, in, multiplier].
            INDArray depthwise = layer.getParam("W").permute(2, 3, 1, 0);
            INDArray pointwise = layer.getParam("pW");
            String depthwiseName = name + "/depthwise";
            return List.of(
                    new LayerSpec.DepthwiseConvolution(depthwiseName, depthwise, null, conv.getStride(),
                            conv.getPadding(), conv.getDilation(), same, ActivationFunction.IDENTITY, 0),
                    new LayerSpec.Convolution(name, pointwise, conv.hasBias() ? layer.getParam("b") : null,
                            new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, false, activation.function,
                            activation.alpha));
        }
        if (conf instanceof DepthwiseConvolution2D conv) {
            Activation activation = activation(conv.getActivationFn(), name, type);
            return List.of(new LayerSpec.DepthwiseConvolution(name, layer.getParam("W"),
                    conv.hasBias() ? layer.getParam("b") : null, conv.getStride(), conv.getPadding(),
                    conv.getDilation(), same(conv.getConvolutionMode(), name, type), activation.function,
                    activation.alpha));
        }
        if (conf instanceof ConvolutionLayer conv) {
            Activation activation = activation(conv.getActivationFn(), name, type);
            return List.of(new LayerSpec.Convolution(name, layer.getParam("W"),
                    conv.hasBias() ? layer.getParam("b") : null, conv.getStride(), conv.getPadding(),
                    conv.getDilation(), same(conv.getConvolutionMode(), name, type), activation.function,
                    activation.alpha));
        }
        if (conf instanceof SubsamplingLayer pool) {
            return List.of(new LayerSpec.Pooling(name, poolingType(pool.getPoolingType(), name, type),
                    pool.getKernelSize(), pool.getStride(), pool.getPadding(), same(pool.getConvolutionMode(), name, type),
                    pool.isAvgPoolIncludePadInDivisor()));
        }
        if (conf instanceof GlobalPoolingLayer pool) {
            return List.of(new LayerSpec.GlobalPooling(name, poolingType(pool.getPoolingType(), name, type)));
        }
        if (conf instanceof DenseLayer || conf instanceof OutputLayer) {
            Activation activation = activation(activationOf(conf), name, type);
            return List.of(new LayerSpec.Dense(name, layer.getParam("W"),
                    layer.paramTable().containsKey("b") ? layer.getParam("b") : null, activation.function,
                    activation.alpha));
        }
        if (conf instanceof LossLayer || conf instanceof ActivationLayer) {
            Activation activation = activation(activationOf(conf), name, type);
            return List.of(activation.function == ActivationFunction.IDENTITY ? new LayerSpec.Identity(name)
                    : new LayerSpec.Activation(name, activation.function, activation.alpha));
        }
        if (conf instanceof BatchNormalization bn) {
            return List.of(batchNormalization(bn, name, layer));
        }
        if (conf instanceof DropoutLayer) {
            return List.of(new LayerSpec.Identity(name));
        }
        if (conf instanceof ZeroPaddingLayer padding) {
            return List.of(new LayerSpec.ZeroPadding(name, padding.getPadding()));
        }
        if (conf instanceof Cropping2D cropping) {
            return List.of(new LayerSpec.Cropping(name, cropping.getCropping()));
        }
        if (conf instanceof Upsampling2D upsampling) {
            return List.of(new LayerSpec.Upsampling(name, upsampling.getSize()));
        }
        throw new UnsupportedLayerException(name, type, "supported layers are " + LAYERS);
    }

    /** Inference-time batch normalization folded into a per-channel scale and shift. */
    private static LayerSpec.ChannelAffine batchNormalization(BatchNormalization bn, String name, Layer layer) {
        INDArray mean = layer.getParam("mean").reshape(-1);
        INDArray variance;
        if (bn.isUseLogStd()) {
            INDArray logStd = layer.getParam("log10stdev");
            variance = Transforms.pow(Nd4j.valueArrayOf(logStd.shape(), 10.0, logStd.dataType()), logStd.mul(2), false)
                    .reshape(-1);
        } else {
            variance = layer.getParam("var").reshape(-1);
        }
        INDArray gamma = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(mean.shape(), bn.getGamma(), mean.dataType())
                : layer.getParam("gamma").reshape(-1);
        INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(mean.shape(), bn.getBeta(), mean.dataType())
                : layer.getParam("beta").reshape(-1);
        // DL4J normalizes by sqrt(var + eps) in both parameterizations (log-std stores log10(sqrt(var))).
        INDArray std = Transforms.sqrt(variance.add(bn.getEps()), false);
        INDArray scale = gamma.div(std);
        INDArray shift = beta.sub(mean.mul(scale));
        // DL4J's batch-norm layer ignores its configured activation (it inherits the global default).
        return new LayerSpec.ChannelAffine(name, scale, shift, ActivationFunction.IDENTITY, 0);
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

    private static boolean same(ConvolutionMode mode, String name, String type) {
        if (mode == ConvolutionMode.Same) {
            return true;
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return false;
        }
        throw new UnsupportedLayerException(name, type, "convolution mode " + mode + "; supported are Same, Truncate "
                + "and Strict");
    }

    private static LayerSpec.PoolingType poolingType(PoolingType type, String name, String layerType) {
        return switch (type) {
            case MAX -> LayerSpec.PoolingType.MAX;
            case AVG -> LayerSpec.PoolingType.AVG;
            default -> throw new UnsupportedLayerException(name, layerType, "pooling type " + type
                    + "; supported are MAX and AVG");
        };
    }

    private record Activation(ActivationFunction function, double alpha) { }

    private static Activation activation(IActivation fn, String name, String type) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return new Activation(ActivationFunction.IDENTITY, 0);
        }
        if (fn instanceof ActivationReLU relu) {
            double threshold = relu.getThreshold() == null ? 0 : relu.getThreshold();
            double slope = relu.getNegativeSlope() == null ? 0 : relu.getNegativeSlope();
            Double max = relu.getMax();
            if (threshold != 0 || slope != 0 && max != null) {
                throw new UnsupportedLayerException(name, type, "ReLU with threshold " + threshold + ", negative slope "
                        + slope + " and maximum " + max + "; supported are a plain ReLU, a maximum of 6, or a "
                        + "negative slope");
            }
            if (max != null && max != 6.0) {
                throw new UnsupportedLayerException(name, type, "ReLU with maximum " + max + "; supported are no "
                        + "maximum and 6 (ReLU6)");
            }
            if (max != null) {
                return new Activation(ActivationFunction.RELU6, 0);
            }
            return slope != 0 ? new Activation(ActivationFunction.LEAKY_RELU, slope)
                    : new Activation(ActivationFunction.RELU, 0);
        }
        if (fn instanceof ActivationReLU6) {
            return new Activation(ActivationFunction.RELU6, 0);
        }
        if (fn instanceof ActivationLReLU leaky) {
            return new Activation(ActivationFunction.LEAKY_RELU, leaky.getAlpha());
        }
        if (fn instanceof ActivationELU elu) {
            return new Activation(ActivationFunction.ELU, elu.getAlpha());
        }
        if (fn instanceof ActivationSwish) {
            return new Activation(ActivationFunction.SWISH, 0);
        }
        if (fn instanceof ActivationHardSigmoid) {
            return new Activation(ActivationFunction.HARD_SIGMOID, 0);
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
        throw new UnsupportedLayerException(name, type, "activation " + fn.getClass().getSimpleName()
                + "; supported are " + ACTIVATIONS);
    }
}
