package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.Xception;
import org.junit.jupiter.api.Tag;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.Predictions;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.testing.NdAssertions.relativeL2;

/**
 * The DL4J zoo's graph networks, built from their builders with random weights (no download), convert to models whose
 * logits equal DL4J's own, and integrated gradients on a 224x224 image through each converges (completeness).
 * Tagged {@code zoo}: these are full-size networks (about a minute and a half together on 2 cores).
 */
@Tag("zoo")
class ZooModelsTest {

    private static final int SIZE = 224;

    /** The zoo networks under test, built for 224x224 input. */
    enum Zoo {
        // The zoo's default initialization for ResNet50 (truncated normal, std 0.5) overflows float32: use He normal.
        RESNET50(() -> ResNet50.builder().numClasses(1000).seed(1).weightInit(new WeightInitRelu()).inputShape(new int[] {3, SIZE, SIZE})
                .build().init()),
        SQUEEZENET(() -> linearConvolutions(SqueezeNet.builder().numClasses(1000).seed(2)
                .inputShape(new int[] {3, SIZE, SIZE}).build().init())),
        XCEPTION(() -> linearConvolutions(Xception.builder().numClasses(1000).seed(3)
                .inputShape(new int[] {3, SIZE, SIZE}).build().init())),
        DARKNET19(() -> Darknet19.builder().numClasses(1000).seed(4).inputShape(new int[] {3, SIZE, SIZE}).build().init());

        private final Supplier<ComputationGraph> builder;

        Zoo(Supplier<ComputationGraph> builder) {
            this.builder = builder;
        }
    }

    @ParameterizedTest
    @EnumSource(Zoo.class)
    void convertsWithDl4jLogitsAndIntegratedGradientsConverge(Zoo zoo) {
        ComputationGraph graph = zoo.builder.get();
        try (Nd4jImageModel model = Nd4jImageModel.of(Dl4jNetworkConverter.toSpec(graph, zoo.name(), 3, SIZE, SIZE))) {
            INDArray image = TestNetworks.randomImages(zoo.ordinal(), DataType.FLOAT, 1, 3, SIZE, SIZE);
            INDArray logits = model.logits(image);
            double logitsError = relativeL2(logits, dl4jLogits(graph, image));
            assertThat(logitsError).as("logits").isLessThan(1e-4);

            int target = Predictions.predictedClasses(model, image)[0];
            Objective objective = Objective.classLogit(target);
            Attribution ig = IntegratedGradients.builder().setModel(model).optRule(IntegrationRule.GAUSS_LEGENDRE)
                    .optSteps(64).optInternalBatchSize(8).build().attribute(image, objective);
            double difference = objective.evaluate(model, image).getDouble(0)
                    - objective.evaluate(model, image.mul(0)).getDouble(0);
            double relativeError = Math.abs(ig.convergenceDelta()[0] / difference);
            LoggerFactory.getLogger(ZooModelsTest.class).info("{}: logits relative L2 {} against DL4J; IG {}, "
                    + "relative completeness error {}", zoo, logitsError, ig, relativeError);
            assertThat(relativeError).as("relative completeness error of %s (delta %s, F(x) - F(0) = %s)", zoo,
                    ig.convergenceDelta()[0], difference).isLessThan(0.01);
            assertThat(ig.shape()).containsExactly(1, 3, SIZE, SIZE);
        }
    }

    /**
     * The zoo's SqueezeNet and Xception never set their convolutions' activation, so DL4J applies its default, a
     * sigmoid, inside every convolution that the architecture follows with a ReLU layer. With random weights that
     * squashes the signal until the logits no longer depend on the image (F(x) - F(0) is float rounding), which
     * leaves nothing to attribute. The convolutions are made linear, as the architectures define them; DL4J and the
     * converter then both compute the published architecture.
     */
    private static ComputationGraph linearConvolutions(ComputationGraph graph) {
        for (GraphVertex vertex : graph.getConfiguration().getVertices().values()) {
            if (vertex instanceof LayerVertex v && v.getLayerConf().getLayer() instanceof ConvolutionLayer conv
                    && conv.getActivationFn() instanceof ActivationSigmoid) {
                conv.setActivationFn(new ActivationIdentity());
            }
        }
        return graph;
    }

    /**
     * DL4J's own output with the final softmax switched off: the output layer's (or the softmax activation layer's)
     * activation set to identity after the conversion has read the network.
     */
    private static INDArray dl4jLogits(ComputationGraph graph, INDArray image) {
        String vertex = graph.getConfiguration().getNetworkOutputs().get(0);
        while (true) {
            GraphVertex conf = graph.getConfiguration().getVertices().get(vertex);
            BaseLayer layer = conf instanceof LayerVertex v && v.getLayerConf().getLayer() instanceof BaseLayer b ? b : null;
            if (layer != null && layer.getActivationFn() instanceof ActivationSoftmax) {
                layer.setActivationFn(new ActivationIdentity());
                break;
            }
            if (layer instanceof LossLayer || conf instanceof LayerVertex v && v.getLayerConf().getLayer()
                    instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer) {
                if (conf instanceof LayerVertex v
                        && v.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer act
                        && act.getActivationFn() instanceof ActivationSoftmax) {
                    act.setActivationFn(new ActivationIdentity());
                    break;
                }
                List<String> inputs = graph.getConfiguration().getVertexInputs().get(vertex);
                vertex = inputs.get(0);
                continue;
            }
            throw new IllegalStateException("no softmax found before " + vertex);
        }
        return graph.outputSingle(false, image);
    }
}
