package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.xai4j.testing.TestNetworks;

import java.util.Random;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;


/** Small DL4J networks with fixed seeds, for tests that compare the converted model with DL4J's own outputs. */
public final class Dl4jTestNetworks {

    private Dl4jTestNetworks() { }

    /** A VGG-style ReLU CNN: two conv blocks with max pooling, dense, softmax output. Input [3, 16, 16]. */
    public static MultiLayerNetwork vggStyle(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("block1_conv1").nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("block1_conv2").nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("block1_pool").kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("block2_conv1").nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("block2_pool").kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(16).activation(Activation.RELU).build())
                .layer(new DropoutLayer.Builder(0.5).name("dropout").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("predictions").nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(16, 16, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A smooth CNN (tanh, softplus, average pooling, strided and padded convolutions, batch norm) whose gradients
     * can be checked by finite differences without ReLU or max-pool kinks. Input [3, 12, 12].
     */
    public static MultiLayerNetwork smooth(long seed, DataType dataType) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dataType).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(5).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(6).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.SOFTPLUS).build())
                .layer(new ConvolutionLayer.Builder(2, 2).name("conv3").nOut(4).stride(2, 2).padding(1, 1)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).name("pool").kernelSize(2, 2).stride(1, 1).build())
                .layer(new ActivationLayer.Builder().name("act").activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("fc").nOut(7).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(12, 12, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeBatchNorm(net, seed);
        return net;
    }

    /** A CAM-style network: convolutions, global average pooling and a linear head. Input [3, 10, 10]. */
    public static MultiLayerNetwork globalAveragePooling(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.LEAKYRELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Gives batch-norm layers non-trivial running statistics so that their folding is actually tested. */
    public static void randomizeBatchNorm(MultiLayerNetwork net, long seed) {
        randomizeBatchNorm(net.getLayers(), seed);
    }

    /** Gives batch-norm layers non-trivial running statistics so that their folding is actually tested. */
    public static void randomizeBatchNorm(ComputationGraph graph, long seed) {
        randomizeBatchNorm(graph.getLayers(), seed);
    }

    private static void randomizeBatchNorm(org.deeplearning4j.nn.api.Layer[] layers, long seed) {
        Random random = new Random(seed);
        for (org.deeplearning4j.nn.api.Layer layer : layers) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                INDArray mean = layer.getParam("mean");
                mean.assign(TestNetworks.gaussian(random, 0.3, mean.shape()));
                String varKey = layer.paramTable().containsKey("var") ? "var" : "log10stdev";
                INDArray v = layer.getParam(varKey);
                v.assign(varKey.equals("var") ? TestNetworks.uniform(random, 0.5, 1.5, v.shape())
                        : TestNetworks.uniform(random, -0.2, 0.2, v.shape()));
                layer.getParam("gamma").assign(TestNetworks.uniform(random, 0.5, 1.5, v.shape()));
                layer.getParam("beta").assign(TestNetworks.gaussian(random, 0.2, v.shape()));
            }
        }
    }
}
