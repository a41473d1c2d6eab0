package org.xai4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.testing.GlobalRandomProbe.assertLeavesGlobalGeneratorUntouched;
import static org.xai4j.testing.GlobalRandomProbe.leavesGlobalGeneratorUntouched;
import static org.xai4j.testing.NdAssertions.assertAllClose;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.ScoreCam;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.attribution.Saliency;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.sanity.MapExplainer;
import org.xai4j.sanity.ModelRandomization;
import org.xai4j.sanity.PerturbationCurves;
import org.xai4j.testing.TestNetworks;

/**
 * The explainers that use randomness (noise tunnels, noise baselines, the randomization test) draw from their own
 * seeded generators: ND4J's global generator is exactly as before each call, and results depend only on the seed,
 * not on the global generator's state.
 */
class GlobalRandomStateTest {

    /** A seed other than the probe's, to put the global generator in another state. */
    private static final long OTHER_SEED = 777;

    private static Nd4jImageModel model;
    private static INDArray images;

    @BeforeAll
    static void setUp() {
        model = Nd4jImageModel.of(TestNetworks.vggStyle(12));
        images = TestNetworks.randomImages(4, DataType.FLOAT, 2, 3, 16, 16);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void theProbeSeesADrawFromTheGlobalGenerator() throws Exception {
        assertThat(leavesGlobalGeneratorUntouched(() -> { })).isTrue();
        assertThat(leavesGlobalGeneratorUntouched(() -> Nd4j.getRandom().nextInt())).isFalse();
        assertThat(leavesGlobalGeneratorUntouched(() -> Nd4j.rand(DataType.FLOAT, 3))).isFalse();
        assertThat(leavesGlobalGeneratorUntouched(() -> Nd4j.getRandom().setSeed(OTHER_SEED)))
                .isFalse();
    }

    @Test
    void noiseTunnelUsesItsOwnSeededGenerator() throws Exception {
        NoiseTunnel tunnel = NoiseTunnel.builder().setMethod(Saliency.builder().setModel(model).build()).optSamples(4).optSamplesPerBatch(2)
                .optSeed(9).build();
        INDArray[] result = new INDArray[1];
        assertLeavesGlobalGeneratorUntouched("NoiseTunnel.attribute",
                () -> result[0] = tunnel.attribute(images, 1, 2).values());
        Nd4j.getRandom().setSeed(OTHER_SEED);
        Nd4j.rand(DataType.FLOAT, 5);
        assertAllClose(tunnel.attribute(images, 1, 2).values(), result[0], 0, 0);
    }

    @Test
    void noiseBaselineUsesItsOwnSeededGenerator() throws Exception {
        IntegratedGradients ig = IntegratedGradients.builder().setModel(model).optSteps(8)
                .optBaselines(Baseline.uniformNoise(0, 1, 5), Baseline.zero()).build();
        INDArray[] result = new INDArray[1];
        assertLeavesGlobalGeneratorUntouched("IntegratedGradients with a noise baseline",
                () -> result[0] = ig.attribute(images, 0, 4).values());
        Nd4j.getRandom().setSeed(OTHER_SEED);
        assertAllClose(ig.attribute(images, 0, 4).values(), result[0], 0, 0);
    }

    @Test
    void modelRandomizationUsesItsOwnSeededGenerators() throws Exception {
        ModelRandomization test = ModelRandomization.builder().setModel(model)
                .setExplainer(MapExplainer.attribution(m -> Saliency.builder().setModel(m).build())).optSeed(4).build();
        double[][][] result = new double[1][][];
        assertLeavesGlobalGeneratorUntouched("ModelRandomization.run", () -> result[0] = test.run(images, 1, 2)
                .spearman());
        Nd4j.getRandom().setSeed(OTHER_SEED);
        assertThat(test.run(images, 1, 2).spearman()).isDeepEqualTo(result[0]);
        // another seed re-draws other weights
        assertThat(ModelRandomization.builder().setModel(model).setExplainer(MapExplainer.attribution(m -> Saliency.builder().setModel(m).build()))
                .optSeed(5).build().run(images, 1, 2).spearman()).isNotEqualTo(result[0]);
    }

    @Test
    void deterministicExplainersDrawNothing() throws Exception {
        assertLeavesGlobalGeneratorUntouched("IntegratedGradients.attribute",
                () -> IntegratedGradients.builder().setModel(model).optSteps(8).build().attribute(images, 1, 2));
        assertLeavesGlobalGeneratorUntouched("GradCam.map",
                () -> GradCam.builder().setModel(model).optLayer("block2_conv1").build().map(images, 1, 2));
        assertLeavesGlobalGeneratorUntouched("ScoreCam.map",
                () -> ScoreCam.builder().setModel(model).optLayer("block2_conv1").build().map(images, 1, 2));
        assertLeavesGlobalGeneratorUntouched("PerturbationCurves.deletion",
                () -> PerturbationCurves.builder().setModel(model).optSteps(4).build()
                        .deletion(images, TestNetworks.randomImages(3, DataType.DOUBLE, 2, 16, 16), 1, 2));
    }
}
