package org.xai4j;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.perturbation.FeatureAblation;
import org.xai4j.perturbation.Occlusion;
import org.xai4j.segmentation.Segmentation;
import org.xai4j.shapley.GradientShap;
import org.xai4j.shapley.KernelShap;
import org.xai4j.shapley.ShapleyValueSampling;
import org.xai4j.surrogate.Lime;
import org.xai4j.testing.TestNetworks;

import java.util.List;

import static org.xai4j.testing.GlobalRandomProbe.assertLeavesGlobalGeneratorUntouched;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The perturbation and sampling methods never draw from or reseed ND4J's global generator, and their results do not
 * depend on its state (as {@link GlobalRandomStateTest} checks for the other explainers).
 */
class PerturbationGlobalRandomStateTest {

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
    void everyMethodUsesOnlyItsOwnSeededGenerator() throws Exception {
        Segmentation grid = Segmentation.grid(8);
        List<AttributionMethod> methods = List.of(
                Occlusion.builder().setModel(model).optWindow(8).optStride(8).build(),
                FeatureAblation.builder().setModel(model).optSegmentation(Segmentation.slic(4)).build(),
                ShapleyValueSampling.builder().setModel(model).optSegmentation(grid).optSamples(2).build(),
                KernelShap.builder().setModel(model).optSegmentation(grid).optSamples(6).build(),
                Lime.builder().setModel(model).optSegmentation(grid).optSamples(6).build(),
                GradientShap.builder().setModel(model).optSamples(3).optStdev(0.1)
                        .optBaselines(List.of(Baseline.zero(), Baseline.constant(0.5))).build());
        for (AttributionMethod method : methods) {
            INDArray[] result = new INDArray[1];
            assertLeavesGlobalGeneratorUntouched(method.toString(), () -> result[0] = method.attribute(images, 1, 2)
                    .values());
            Nd4j.getRandom().setSeed(777);
            Nd4j.rand(DataType.FLOAT, 5);
            assertAllClose(method.attribute(images, 1, 2).values(), result[0], 0, 0);
        }
    }
}
