package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.UnsupportedLayerException;
import org.xai4j.testing.TestNetworks;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;


import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class Dl4jNetworkConverterTest {

    @Test
    void vggStyleNetworkMatchesDl4jOutputsAndActivations() {
        MultiLayerNetwork net = Dl4jTestNetworks.vggStyle(1);
        Nd4jImageModel model = Dl4jNetworkConverter.convert(net, 3, 16, 16);
        INDArray x = TestNetworks.randomImages(2, DataType.FLOAT, 4, 3, 16, 16);

        assertAllClose(model.probabilities(x), net.output(x), 0, 1e-5);
        List<INDArray> dl4j = net.feedForward(x, false);
        // feedForward returns the input first, then each layer's output in order.
        assertAllClose(model.activations(x, "block1_conv2"), dl4j.get(2), 0, 1e-5);
        assertAllClose(model.activations(x, "block2_pool"), dl4j.get(5), 0, 1e-5);
        // DL4J's feedForward lets in-place layers (dropout, activation) overwrite the previous entry, so layers
        // followed by one are compared through the final output only.
        assertThat(model.layerNames()).containsSubsequence("block1_conv1", "block1_pool", "fc1", "dropout", "predictions");
        assertThat(model.numClasses()).isEqualTo(5);
        assertThat(model.layerShape("block2_pool")).containsExactly(8, 4, 4);
    }

    @Test
    void smoothNetworkWithBatchNormStridesAndPaddingMatchesDl4j() {
        MultiLayerNetwork net = Dl4jTestNetworks.smooth(3, DataType.FLOAT);
        Nd4jImageModel model = Dl4jNetworkConverter.convert(net, 3, 12, 12);
        INDArray x = TestNetworks.randomImages(4, DataType.FLOAT, 3, 3, 12, 12).muli(2).subi(1);

        assertAllClose(model.probabilities(x), net.output(x), 0, 1e-5);
        List<INDArray> dl4j = net.feedForward(x, false);
        assertAllClose(model.activations(x, "bn1"), dl4j.get(2), 0, 1e-5);
        assertAllClose(model.activations(x, "conv3"), dl4j.get(4), 0, 1e-5);
        assertAllClose(model.activations(x, "act"), dl4j.get(6), 0, 1e-5);
    }

    @Test
    void globalPoolingNetworkWithLeakyReluMatchesDl4j() {
        MultiLayerNetwork net = Dl4jTestNetworks.globalAveragePooling(5);
        Nd4jImageModel model = Dl4jNetworkConverter.convert(net, 3, 10, 10);
        INDArray x = TestNetworks.randomImages(6, DataType.FLOAT, 2, 3, 10, 10).subi(0.5);
        assertAllClose(model.probabilities(x), net.output(x), 0, 1e-5);
        assertAllClose(model.activations(x, "gap"), net.feedForward(x, false).get(3), 0, 1e-5);
    }

    @Test
    void computationGraphChainMatchesDl4j() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("image")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "image")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(2, 2)
                        .padding(1, 1).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(9, 9, 2)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4jImageModel model = Dl4jNetworkConverter.convert(graph, 2, 9, 9);
        INDArray x = TestNetworks.randomImages(8, DataType.FLOAT, 3, 2, 9, 9);
        assertAllClose(model.probabilities(x), graph.outputSingle(x), 0, 1e-5);
        assertAllClose(model.activations(x, "pool"), graph.feedForward(x, false).get("pool"), 0, 1e-5);
    }

    @Test
    void unsupportedLayerIsNamedWithItsType() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(2).build())
                .layer(new LocalResponseNormalization.Builder().name("lrn").build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> Dl4jNetworkConverter.convert(net, 1, 8, 8))
                .isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("'lrn'")
                .hasMessageContaining("LocalResponseNormalization")
                .hasMessageContaining("supported layers are");
    }

    @Test
    void recurrentLayerIsRejected() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().name("lstm").nIn(3).nOut(2).build())
                .layer(new OutputLayer.Builder().nIn(2).nOut(2).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> Dl4jNetworkConverter.convert(net, 3, 1, 1))
                .isInstanceOf(UnsupportedLayerException.class).hasMessageContaining("'lstm'").hasMessageContaining("LSTM");
    }
}
