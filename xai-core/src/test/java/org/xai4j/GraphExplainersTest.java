package org.xai4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.activation.ActivationMap;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.GradCamPlusPlus;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.LayerCam;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.activation.Normalization;
import org.xai4j.activation.ScoreCam;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.InputXGradient;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.attribution.Saliency;
import org.xai4j.compare.LayerComparison;
import org.xai4j.compare.NetworkComparison;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.features.ActivationMaximization;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.features.Parameterization;
import org.xai4j.sanity.MapExplainer;
import org.xai4j.sanity.ModelRandomization;
import org.xai4j.sanity.RandomizationResult;
import org.xai4j.testing.TestNetworks;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * Every explainer on graph networks (a ResNet-style and a MobileNet-style graph), each checked against something
 * independent: completeness, the model's own gradient and activations, closed forms of the CAMs, an increasing
 * objective, self-comparison and the randomization cascade.
 */
class GraphExplainersTest {

    private static final Nd4jImageModel RESNET = Nd4jImageModel.of(TestNetworks.resNetStyle(41, ActivationFunction.TANH),
            DataType.DOUBLE);
    private static final Nd4jImageModel MOBILENET = Nd4jImageModel.of(
            TestNetworks.mobileNetStyle(42, ActivationFunction.RELU6), DataType.DOUBLE);

    private static INDArray images(Nd4jImageModel model, long seed, int n) {
        long[] shape = model.inputShape();
        return TestNetworks.randomImages(seed, DataType.DOUBLE, n, shape[0], shape[1], shape[2]);
    }

    /** Adaptive integrated gradients reaches a 0.5% completeness error, also through ReLU6 kinks. */
    @Test
    void integratedGradientsIsCompleteOnBothGraphs() {
        for (Nd4jImageModel model : List.of(RESNET, MOBILENET)) {
            INDArray x = images(model, 1, 2);
            Objective objective = Objective.classLogit(1, 0);
            Attribution ig = IntegratedGradients.builder().setModel(model).optSteps(16).optAdaptive(0.005, 2048)
                    .build().attribute(x, objective);
            INDArray difference = objective.evaluate(model, x).sub(objective.evaluate(model, x.mul(0)));
            INDArray sums = ig.values().sum(1, 2, 3);
            for (int i = 0; i < 2; i++) {
                assertThat(Math.abs(sums.getDouble(i) - difference.getDouble(i)))
                        .as("%s example %d", model.spec().name(), i)
                        .isLessThanOrEqualTo(0.005 * Math.abs(difference.getDouble(i)) + 1e-9);
                assertThat(ig.convergenceDelta()[i]).isCloseTo(sums.getDouble(i) - difference.getDouble(i),
                        org.assertj.core.api.Assertions.within(1e-9));
            }
        }
    }

    @Test
    void gradientMethodsAreTheModelsOwnGradient() {
        INDArray x = images(MOBILENET, 2, 2);
        Objective objective = Objective.classLogit(3, 2);
        INDArray gradient = MOBILENET.gradient(x, objective).inputGradient();
        assertAllClose(Saliency.builder().setModel(MOBILENET).optAbsolute(false).build().attribute(x, objective)
                .values(), gradient, 1e-12, 1e-15);
        assertAllClose(InputXGradient.builder().setModel(MOBILENET).build().attribute(x, objective).values(),
                gradient.mul(x), 1e-12, 1e-15);
        // With no noise every copy is the input: SmoothGrad is the plain gradient.
        Attribution smooth = NoiseTunnel.builder().setMethod(Saliency.builder().setModel(MOBILENET).optAbsolute(false)
                .build()).optNoiseLevel(0).optSamples(3).build().attribute(x, objective);
        assertAllClose(smooth.values(), gradient, 1e-12, 1e-15);
    }

    /**
     * The default CAM layer of a graph is the last spatial layer before global pooling, and Grad-CAM there is the
     * channel-weighted sum of that layer's activation with weights the mean gradient (Selvaraju et al. 2017).
     */
    @Test
    void camsUseTheLastSpatialLayerBeforeGlobalPoolingAndGradCamHasItsClosedForm() {
        INDArray x = images(RESNET, 3, 2);
        GradCam gradCam = GradCam.builder().setModel(RESNET).optRelu(false).optNormalization(Normalization.NONE).build();
        assertThat(gradCam.layer()).isEqualTo("b2_out");
        ActivationMap map = gradCam.map(x, 4, 1);
        ImageModel.LayerGradient lg = RESNET.layerGradient(x, Objective.classLogit(4, 1), "b2_out");
        INDArray weights = lg.gradient().mean(2, 3);
        INDArray expected = lg.activation().mul(weights.reshape(2, 8, 1, 1)).sum(1);
        assertAllClose(map.raw(), expected, 1e-10, 1e-14);
        for (ActivationMapper mapper : List.<ActivationMapper>of(
                GradCamPlusPlus.builder().setModel(MOBILENET).build(),
                LayerCam.builder().setModel(MOBILENET).build(),
                ScoreCam.builder().setModel(MOBILENET).optBatchSize(4).build())) {
            assertThat(mapper.layer()).isEqualTo("fire_concat");
            ActivationMap cam = mapper.map(images(MOBILENET, 4, 2), 0, 3);
            assertThat(cam.maps().shape()).containsExactly(2, 16, 13);
            assertThat(cam.maps().minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
            assertThat(cam.maps().maxNumber().doubleValue()).isLessThanOrEqualTo(1 + 1e-12);
        }
    }

    @Test
    void activationMapsAndSpikesAreTheLayersActivation() {
        INDArray x = images(RESNET, 5, 2);
        NeuronActivations neurons = NeuronActivations.builder().setModel(RESNET).setLayer("b1_add").build();
        LayerActivations activations = neurons.activations(x);
        INDArray direct = RESNET.activations(x, "b1_add");
        assertAllClose(activations.activations(), direct, 1e-12, 1e-15);
        assertAllClose(activations.spikes(), direct.sum(2, 3), 1e-10, 1e-12);
        ActivationMap map = neurons.map(x, 2, 5);
        assertThat(map.maps().shape()).containsExactly(2, 18, 14);
    }

    @Test
    void featureVisualizationRaisesAChannelOfAGraph() {
        FeatureVisualization v = ActivationMaximization.builder().setModel(RESNET.withDataType(DataType.FLOAT))
                .optParameterization(Parameterization.PIXELS).optSteps(24).optSeed(3).build()
                .visualizeChannels("b1_conv2", 0, 3);
        for (int i = 0; i < 2; i++) {
            assertThat(v.finalValues()[i]).as(v.toString()).isGreaterThan(v.initialValues()[i]);
        }
    }

    @Test
    void comparingAGraphWithItselfAndWithAnotherTraining() {
        Nd4jImageModel other = Nd4jImageModel.of(TestNetworks.resNetStyle(43, ActivationFunction.TANH), DataType.DOUBLE);
        INDArray x = images(RESNET, 6, 1);
        LayerComparison same = NetworkComparison.compare(List.of(RESNET, RESNET), x, "b2_out");
        assertThat(same.pearson()[0][1]).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        LayerComparison different = NetworkComparison.compare(List.of(RESNET, other), x, "b2_out");
        assertThat(different.neurons()).isEqualTo(8);
        assertThat(different.pearson()[0][1]).isLessThan(1.0);
    }

    /** The cascade re-draws every weighted layer of a graph, the depthwise ones included, and the maps change. */
    @Test
    void randomizationCascadeCoversEveryWeightedLayerOfAGraph() {
        INDArray x = images(MOBILENET, 7, 2);
        RandomizationResult result = ModelRandomization.builder().setModel(MOBILENET)
                .setExplainer(MapExplainer.attribution(m -> Saliency.builder().setModel(m).build())).optSeed(5).build()
                .run(x, 1, 2);
        assertThat(result.layers()).contains("dw1", "dw2", "fire_expand3x3", "predictions").hasSize(8);
        double[] mean = result.meanSpearman();
        assertThat(mean[mean.length - 1]).isLessThan(0.9);
        INDArray original = Transforms.abs(MOBILENET.gradient(x, Objective.classLogit(1, 2)).inputGradient());
        assertThat(original.get(NDArrayIndex.point(0)).sumNumber().doubleValue()).isPositive();
    }
}
