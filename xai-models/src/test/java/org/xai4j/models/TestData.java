package org.xai4j.models;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Fixture files and tiny VGG-shaped DL4J networks shared by the xai-models tests. */
public final class TestData {

    /** The mini fixtures' architecture: 64x34 input, widths 4-8-8-8-8, dense 32-32. */
    public static final VggArchitecture MINI = VggArchitecture.vgg16(5).toBuilder().optInputSize(64, 34)
            .optBlockWidths(4, 8, 8, 8, 8).optHiddenUnits(32, 32).build();

    /** A tiny architecture for networks the tests build: 32x32 input, widths 2-3-3-4-4, dense 6-6. */
    public static final VggArchitecture TINY = VggArchitecture.vgg16(3).toBuilder().optInputSize(32, 32)
            .optBlockWidths(2, 3, 3, 4, 4).optHiddenUnits(6, 6).build();

    private TestData() { }

    /** A fresh temporary copy of a Keras fixture from {@code /fixtures/keras/}. */
    public static Path kerasFixture(String name) {
        try (InputStream in = TestData.class.getResourceAsStream("/fixtures/keras/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /fixtures/keras/" + name);
            }
            Path dir = Files.createTempDirectory("xai4j-models-test");
            dir.toFile().deleteOnExit();
            Path target = dir.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().deleteOnExit();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Max |a - b| in double precision. */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).dup('c').sub(b.castTo(DataType.DOUBLE).dup('c')).amaxNumber().doubleValue();
    }

    /**
     * A zoo-style VGG16 ComputationGraph of the {@link #TINY} shape: numbered vertices "0".."20", input declared as
     * flattened images (so vertex "0" has a FeedForwardToCnnPreProcessor), 3x3 convolutions with padding 1 in truncate
     * mode, an OutputLayer with softmax: the layout of {@code org.deeplearning4j.zoo.model.VGG16}.
     */
    public static ComputationGraph tinyZooStyleGraph(long seed) {
        VggArchitecture a = TINY;
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed)
                .activation(Activation.RELU).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in");
        int vertex = 0;
        String previous = "in";
        int channels = 3;
        for (int b = 0; b < VggArchitecture.BLOCKS; b++) {
            for (int i = 0; i < a.convolutionsPerBlock()[b]; i++) {
                String name = Integer.toString(vertex++);
                g.layer(name, new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1).nIn(channels)
                        .nOut(a.blockWidths()[b]).biasInit(0.1).build(), previous);
                channels = a.blockWidths()[b];
                previous = name;
            }
            String name = Integer.toString(vertex++);
            g.layer(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                    .stride(2, 2).build(), previous);
            previous = name;
        }
        for (int units : a.hiddenUnits()) {
            String name = Integer.toString(vertex++);
            g.layer(name, new DenseLayer.Builder().nOut(units).biasInit(0.1).build(), previous);
            previous = name;
        }
        String out = Integer.toString(vertex);
        g.layer(out, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(a.numClasses()).build(), previous);
        ComputationGraphConfiguration conf = g.setOutputs(out)
                .setInputTypes(InputType.convolutionalFlat(a.height(), a.width(), 3)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** A {@link #TINY}-shaped MultiLayerNetwork with its own layer names and same-mode convolutions. */
    public static MultiLayerNetwork tinyMultiLayerNetwork(long seed) {
        VggArchitecture a = TINY;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .activation(Activation.RELU).weightInit(WeightInit.XAVIER).list();
        for (int b = 0; b < VggArchitecture.BLOCKS; b++) {
            for (int i = 0; i < a.convolutionsPerBlock()[b]; i++) {
                list.layer(new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
                        .nOut(a.blockWidths()[b]).biasInit(0.05).name("c" + b + i).build());
            }
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .name("p" + b).build());
        }
        for (int i = 0; i < a.hiddenUnits().length; i++) {
            list.layer(new DenseLayer.Builder().nOut(a.hiddenUnits()[i]).biasInit(0.05).name("d" + i).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(a.numClasses()).name("out").build());
        MultiLayerConfiguration conf = list.setInputType(InputType.convolutional(a.height(), a.width(), 3)).build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }
}
