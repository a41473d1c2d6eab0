package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerKind;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.engine.UnsupportedLayerException;
import org.xai4j.testing.FiniteDifferences;
import org.xai4j.testing.TestNetworks;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;
import static org.xai4j.testing.NdAssertions.relativeL2;

/**
 * DL4J computation graphs (residual, depthwise-separable, fire modules, scale/shift/L2 vertices) convert to models whose
 * every vertex's activation equals DL4J's own, and whose input gradients match finite differences.
 */
class Dl4jGraphConverterTest {

    private static NeuralNetConfiguration.Builder base(long seed, DataType type) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(type).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE);
    }

    /**
     * Every vertex of the graph, ours against DL4J's feed-forward activations, except those DL4J overwrites in place
     * (an activation layer writes over its input's recorded activation).
     */
    private static void assertEveryVertexMatches(ComputationGraph graph, Nd4jImageModel model, INDArray x, double tolerance) {
        Map<String, INDArray> dl4j = graph.feedForward(x, false);
        java.util.Set<String> overwritten = new java.util.HashSet<>();
        graph.getConfiguration().getVertexInputs().forEach((vertex, inputs) -> {
            if (graph.getConfiguration().getVertices().get(vertex) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex v
                    && (v.getLayerConf().getLayer() instanceof ActivationLayer
                    || v.getLayerConf().getLayer() instanceof LossLayer)) {
                overwritten.addAll(inputs);
            }
        });
        for (String layer : model.layerNames()) {
            if (dl4j.containsKey(layer) && !overwritten.contains(layer)) {
                INDArray expected = dl4j.get(layer);
                INDArray actual = model.activations(x, layer);
                assertThat(relativeL2(actual, expected.reshape(actual.shape()))).as(layer).isLessThan(tolerance);
            }
        }
        assertAllClose(model.probabilities(x), graph.outputSingle(x), 1e-4, 1e-6);
    }

    /** A ResNet-style graph as the DL4J zoo builds them: zero padding, strided stem, batch norm, residual blocks. */
    static ComputationGraph residualGraph(long seed, DataType type, Activation activation) {
        ComputationGraphConfiguration conf = base(seed, type).graphBuilder().addInputs("image")
                .addLayer("stem_pad", new ZeroPaddingLayer.Builder(1, 2, 1, 0).build(), "image")
                .addLayer("stem_conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(6)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build(), "stem_pad")
                .addLayer("stem_bn", new BatchNormalization.Builder().build(), "stem_conv")
                .addLayer("stem_act", new ActivationLayer.Builder().activation(activation).build(), "stem_bn")
                .addLayer("stem_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).build(), "stem_act")
                .addLayer("b1_conv1", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(activation).build(), "stem_pool")
                .addLayer("b1_conv2", new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "b1_conv1")
                .addLayer("b1_bn", new BatchNormalization.Builder().build(), "b1_conv2")
                .addVertex("b1_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1_bn", "stem_pool")
                .addLayer("b1_out", new ActivationLayer.Builder().activation(activation).build(), "b1_add")
                .addLayer("b2_conv1", new ConvolutionLayer.Builder(1, 1).stride(2, 2).nOut(4).activation(activation)
                        .build(), "b1_out")
                .addLayer("b2_conv2", new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "b2_conv1")
                .addLayer("b2_shortcut", new ConvolutionLayer.Builder(1, 1).stride(2, 2).nOut(8)
                        .activation(Activation.IDENTITY).build(), "b1_out")
                .addVertex("b2_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2_conv2", "b2_shortcut")
                .addLayer("b2_out", new ActivationLayer.Builder().activation(activation).build(), "b2_add")
                .addLayer("avg_pool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(1, 1).build(),
                        "b2_out")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build(), "avg_pool")
                .setOutputs("predictions").setInputTypes(InputType.convolutional(21, 18, 3)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Dl4jTestNetworks.randomizeBatchNorm(graph, seed);
        return graph;
    }

    @Test
    void residualGraphMatchesDl4jAtEveryVertex() {
        ComputationGraph graph = residualGraph(3, DataType.FLOAT, Activation.RELU);
        Nd4jImageModel model = Dl4jNetworkConverter.convert(graph, 3, 21, 18);
        INDArray x = TestNetworks.randomImages(4, DataType.FLOAT, 2, 3, 21, 18);
        assertEveryVertexMatches(graph, model, x, 1e-5);
        LayerInfo add = model.layerInfo("b2_add");
        assertThat(add.kind()).isEqualTo(LayerKind.MERGE);
        assertThat(add.inputs()).containsExactly("b2_conv2", "b2_shortcut");
        assertThat(model.layerInfo("stem_pad").inputs()).containsExactly(LayerInfo.MODEL_INPUT);
        assertThat(model.layerNames()).contains("predictions/flatten").endsWith("predictions");
    }

    @Test
    void residualGraphGradientMatchesFiniteDifferences() {
        ComputationGraph graph = residualGraph(5, DataType.DOUBLE, Activation.TANH);
        Nd4jImageModel model = Nd4jImageModel.of(Dl4jNetworkConverter.toSpec(graph, "residual", 3, 21, 18),
                DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(6, DataType.DOUBLE, 1, 3, 21, 18);
        Objective objective = Objective.classLogit(2);
        assertAllClose(model.gradient(x, objective).inputGradient(), FiniteDifferences.inputGradient(model, x, objective),
                1e-5, 1e-8);
    }

    /** Depthwise and separable convolutions, ReLU6, fire-module merges, upsampling, cropping and scalar vertices. */
    @Test
    void mobileAndSqueezeStyleVerticesMatchDl4j() {
        ComputationGraphConfiguration conf = base(7, DataType.FLOAT).graphBuilder().addInputs("image")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU6).build(), "image")
                .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationReLU(6.0, 0.0, 0.0)).build(), "conv")
                .addLayer("dw_strided", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(1).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.ELU).build(), "dw")
                .addLayer("separable", new SeparableConvolution2D.Builder(3, 3).nOut(10).depthMultiplier(2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.SWISH).build(), "dw_strided")
                .addLayer("expand1", new ConvolutionLayer.Builder(1, 1).nOut(5).activation(Activation.LEAKYRELU).build(),
                        "separable")
                .addLayer("expand3", new ConvolutionLayer.Builder(3, 3).nOut(5).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.HARDSIGMOID).build(), "separable")
                .addVertex("fire", new MergeVertex(), "expand1", "expand3")
                .addVertex("scaled", new ScaleVertex(0.5), "fire")
                .addVertex("shifted", new ShiftVertex(-0.25), "scaled")
                .addLayer("up", new Upsampling2D.Builder(2).build(), "shifted")
                .addLayer("crop", new Cropping2D.Builder(1, 0, 2, 1).build(), "up")
                .addVertex("product", new ElementWiseVertex(ElementWiseVertex.Op.Product), "crop", "crop")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "product")
                .addVertex("normalized", new L2NormalizeVertex(), "gap")
                .addLayer("dense", new DenseLayer.Builder().nOut(6).activation(Activation.SOFTPLUS).build(), "normalized")
                .addLayer("softmax", new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), "dense")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.IDENTITY).build(), "softmax")
                .setOutputs("loss").setInputTypes(InputType.convolutional(23, 19, 3)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4jImageModel model = Dl4jNetworkConverter.convert(graph, 3, 23, 19);
        INDArray x = TestNetworks.randomImages(8, DataType.FLOAT, 2, 3, 23, 19).muli(4).subi(2);
        assertEveryVertexMatches(graph, model, x, 1e-5);
        // The logits are the input of the softmax the loss layer passes on: log-probabilities up to a constant per row.
        INDArray logProbabilities = org.nd4j.linalg.ops.transforms.Transforms.log(graph.outputSingle(x), true);
        INDArray offset = model.logits(x).sub(logProbabilities);
        assertAllClose(offset, offset.getColumn(0).reshape(2, 1).repeat(1, 6), 1e-4, 1e-5);
        assertThat(model.layerInfo("dw").kind()).isEqualTo(LayerKind.DEPTHWISE_CONVOLUTION);
        assertThat(model.layerInfo("separable").inputs()).containsExactly("separable/depthwise");
        assertThat(model.layerInfo("separable/depthwise").kind()).isEqualTo(LayerKind.DEPTHWISE_CONVOLUTION);
        assertThat(model.layerInfo("fire").kind()).isEqualTo(LayerKind.MERGE);
        assertThat(model.layerInfo("scaled").kind()).isEqualTo(LayerKind.SCALE);
    }

    @Test
    void unsupportedVertexIsNamedBeforeAnyConversion() {
        ComputationGraphConfiguration conf = base(9, DataType.FLOAT).graphBuilder().addInputs("image")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(4).build(), "image")
                .addVertex("subset", new SubsetVertex(0, 1), "conv")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "subset")
                .addLayer("out", new OutputLayer.Builder().nIn(2).nOut(2).activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertThatThrownBy(() -> Dl4jNetworkConverter.toSpec(graph, "subset", 3, 8, 8))
                .isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("'subset'").hasMessageContaining("SubsetVertex")
                .hasMessageContaining("supported vertices are");
    }

    @Test
    void verticesTheOutputDoesNotReadAreLeftOut() {
        ComputationGraphConfiguration conf = base(11, DataType.FLOAT).graphBuilder().addInputs("image")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "image")
                .addLayer("unused", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "image")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("out", new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 3)).allowDisconnected(true).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        NetworkSpec spec = Dl4jNetworkConverter.toSpec(graph, "dead branch", 3, 8, 8);
        assertThat(spec.layers()).extracting(l -> l.name()).containsExactly("conv", "gap", "out");
    }
}
