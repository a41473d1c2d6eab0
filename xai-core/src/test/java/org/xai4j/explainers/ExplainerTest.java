package org.xai4j.explainers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.Predictions;
import org.xai4j.activation.Heatmaps;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/** Every method by name on a VGG-style network, checked against its definition computed from model primitives. */
class ExplainerTest {

    private static final Nd4jImageModel MODEL = Nd4jImageModel.of(TestNetworks.vggStyle(3), DataType.DOUBLE);
    private static final INDArray X = TestNetworks.uniform(new Random(11), 0, 1, 2, 3, 16, 16);

    @AfterAll
    static void close() {
        MODEL.close();
    }

    private static Explanation run(String id, int... targets) {
        return Explainer.builder().setMethod(ExplanationMethod.fromId(id)).build().run(MODEL, X, targets);
    }

    private static INDArray inputGradient(ImageModel model, INDArray x, int... classes) {
        return model.gradient(x, Objective.classLogit(classes)).inputGradient();
    }

    @Test
    void everyNameMapsToItsMethodAndUnknownNamesListTheValidOnes() {
        assertThat(ExplanationMethod.ids()).containsExactly("ig", "saliency", "inputxgrad", "smoothgrad",
                "smoothgrad_sq", "vargrad", "gradcam", "gradcampp", "scorecam", "layercam", "hirescam",
                "gradcamelementwise", "xgradcam", "eigencam", "eigengradcam", "ablationcam", "fullgrad", "occlusion",
                "featureablation", "shapleysampling", "kernelshap", "lime", "gradientshap", "guidedbackprop", "deconvolution",
                "guidedgradcam", "deeplift", "deepliftshap", "lrp", "activations");
        for (ExplanationMethod m : ExplanationMethod.values()) { // the table's list, in registration order
            assertThat(ExplanationMethod.fromId(m.id().toUpperCase(java.util.Locale.ROOT))).isEqualTo(m);
        }
        assertThatThrownBy(() -> ExplanationMethod.fromId("magic")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'magic'").hasMessageContaining("ig, saliency, inputxgrad, smoothgrad");
    }

    @Test
    void gradientMethodsAreTheInputGradientAndItsProductWithTheInput() {
        int[] predicted = Predictions.predictedClasses(MODEL, X);
        Explanation saliency = run("saliency");
        assertThat(saliency.targets()).containsExactly(predicted);
        assertThat(saliency.layer()).isNull();
        assertAllClose(saliency.values(), inputGradient(MODEL, X, predicted), 1e-12, 1e-14);
        Explanation ixg = run("inputxgrad", 1);
        assertThat(ixg.targets()).containsExactly(1, 1);
        assertAllClose(ixg.values(), inputGradient(MODEL, X, 1, 1).mul(X), 1e-12, 1e-14);
    }

    @Test
    void integratedGradientsIsComplete() {
        Explanation ig = Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(32)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).build().run(MODEL, X, 2, 4);
        assertThat(ig.steps()).isEqualTo(32);
        INDArray gain = MODEL.logits(X).subi(MODEL.logits(X.mul(0)));
        for (int i = 0; i < 2; i++) {
            double sum = ig.values().get(NDArrayIndex.point(i)).sumNumber().doubleValue();
            double expected = gain.getDouble(i, ig.targets()[i]);
            assertThat(sum - expected).isCloseTo(ig.convergenceDelta()[i], org.assertj.core.data.Offset.offset(1e-9));
            assertThat(Math.abs(sum - expected)).isLessThan(0.05 * Math.abs(expected) + 1e-9);
        }
    }

    @Test
    void noiseTunnelsAggregateTheSameNoisySaliencies() {
        Explanation mean = Explainer.builder().setMethod(ExplanationMethod.SMOOTHGRAD).optSamples(6).optSeed(5)
                .build().run(MODEL, X, 0);
        Explanation square = Explainer.builder().setMethod(ExplanationMethod.SMOOTHGRAD_SQUARED).optSamples(6)
                .optSeed(5).build().run(MODEL, X, 0);
        Explanation variance = Explainer.builder().setMethod(ExplanationMethod.VARGRAD).optSamples(6).optSeed(5)
                .build().run(MODEL, X, 0);
        assertThat(mean.steps()).isEqualTo(6);
        // Var = E[g^2] - E[g]^2 over the same seeded noise
        assertAllClose(variance.values(), square.values().sub(mean.values().mul(mean.values())), 1e-9, 1e-12);
        assertThat(square.values().minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void gradCamIsTheReluOfGradientWeightedActivationsUpsampledRaw() {
        Explanation cam = run("gradcam");
        assertThat(cam.layer()).isEqualTo("block2_conv1");
        int[] classes = cam.targets();
        assertThat(classes).containsExactly(Predictions.predictedClasses(MODEL, X));
        ImageModel.LayerGradient g = MODEL.layerGradient(X, Objective.classLogit(classes), "block2_conv1");
        INDArray weights = g.gradient().mean(2, 3);
        INDArray sum = g.activation().mul(weights.reshape(2, 8, 1, 1).broadcast(g.activation().shape())).sum(1);
        INDArray expected = Heatmaps.upsample(Transforms.relu(sum, true), 16, 16);
        assertAllClose(cam.values(), expected, 1e-9, 1e-12);
    }

    @Test
    void otherCamsGiveNonNegativeMapsOfTheInputSize() {
        for (String id : new String[] {"gradcampp", "scorecam", "layercam"}) {
            Explanation cam = Explainer.builder().setMethod(ExplanationMethod.fromId(id)).optLayer("block1_conv2")
                    .build().run(MODEL, X, 3);
            assertThat(cam.values().shape()).as(id).containsExactly(2, 16, 16);
            assertThat(cam.values().minNumber().doubleValue()).as(id).isGreaterThanOrEqualTo(0);
            assertThat(cam.layer()).isEqualTo("block1_conv2");
        }
    }

    @Test
    void activationsAreTheRawMapOfTheTopSpikeNeuron() {
        Explanation acts = run("activations");
        INDArray a = MODEL.activations(X, "block2_conv1");
        for (int i = 0; i < 2; i++) {
            INDArray spikes = a.get(NDArrayIndex.point(i)).sum(1, 2);
            int top = Predictions.argMax(spikes.reshape(1, spikes.length()))[0];
            assertThat(acts.targets()[i]).isEqualTo(top);
            INDArray expected = Heatmaps.upsample(a.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.point(top))
                    .reshape(1, 8, 8), 16, 16);
            assertAllClose(acts.values().get(NDArrayIndex.interval(i, i + 1)), expected, 1e-12, 1e-14);
        }
    }

    @Test
    void optionsThatDoNotApplyAndOutOfRangeValuesAreRefused() {
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG).optLayer("block2_conv1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer does not apply to ig")
                .hasMessageContaining("gradcam");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.GRAD_CAM).optSteps(8).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps does not apply to gradcam");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).optSamples(8).build())
                .hasMessageContaining("smoothgrad");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(1)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG).optAdaptive(0, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.SMOOTHGRAD).optNoiseLevel(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Explainer.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("setMethod");
        Explainer cam = Explainer.builder().setMethod(ExplanationMethod.GRAD_CAM).optLayer("nope").build();
        assertThatThrownBy(() -> cam.run(MODEL, X)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope").hasMessageContaining("block1_conv1");
        assertThatThrownBy(() -> run("saliency", 1, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 targets for 2 images");
    }

    @Test
    void theExplainerIsAMapExplainerForSanityChecks() {
        Explainer ixg = Explainer.builder().setMethod(ExplanationMethod.INPUT_X_GRADIENT).build();
        assertAllClose(ixg.explain(MODEL, X, new int[] {1, 1}), run("inputxgrad", 1).values(), 0, 0);
        assertThat(ixg.toString()).isEqualTo("Explainer[inputxgrad]");
        assertThat(run("ig", 1).toString()).contains("method=ig", "targets=[1, 1]", "steps=50", "maxAbsDelta");
    }
}
