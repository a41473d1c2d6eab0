package org.xai4j.attribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class IntegratedGradientsTest {

    private static final long[] SHAPE = {3, 5, 4};

    private static Nd4jImageModel linearModel() {
        return Nd4jImageModel.of(TestNetworks.linear(SHAPE, 4, 1), DataType.DOUBLE);
    }

    /** Column {@code target} of the linear model's weights, as an image. */
    private static INDArray weightImage(Nd4jImageModel model, int target) {
        LayerSpec.Dense dense = (LayerSpec.Dense) model.spec().layers().get(1);
        return dense.weights().getColumn(target).dup().reshape(1, SHAPE[0], SHAPE[1], SHAPE[2]);
    }

    private static Nd4jImageModel smoothModel() {
        NetworkSpec spec = TestNetworks.smooth(7);
        return Nd4jImageModel.of(spec, DataType.DOUBLE);
    }

    @ParameterizedTest
    @EnumSource(IntegrationRule.class)
    void linearModelGivesTheClosedFormForEveryRule(IntegrationRule rule) {
        Nd4jImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(2, DataType.DOUBLE, 2, 3, 5, 4);
        INDArray baselineImage = TestNetworks.randomImages(3, DataType.DOUBLE, 3, 5, 4);
        IntegratedGradients ig = IntegratedGradients.builder().setModel(model).optRule(rule).optSteps(7)
                .optInternalBatchSize(3).optBaselines(Baseline.image(baselineImage)).build();

        Attribution result = ig.attribute(x, 1, 3);

        for (int i = 0; i < 2; i++) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1));
            INDArray expected = xi.sub(baselineImage.reshape(1, 3, 5, 4)).muli(weightImage(model, i == 0 ? 1 : 3));
            assertAllClose(result.values().get(NDArrayIndex.interval(i, i + 1)), expected, 1e-10, 1e-12);
        }
        assertThat(result.maxAbsDelta()).isLessThan(1e-10);
        assertThat(result.gradientEvaluations()).isEqualTo(14);
        assertThat(result.rule()).isEqualTo(rule);
    }

    @Test
    void severalBaselinesAreAveraged() {
        Nd4jImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(4, DataType.DOUBLE, 1, 3, 5, 4);
        Attribution result = IntegratedGradients.builder().setModel(model)
                .optBaselines(Baseline.zero(), Baseline.constant(0.5)).build().attribute(x, 2);
        INDArray w = weightImage(model, 2);
        INDArray expected = x.mul(w).addi(x.sub(0.5).muli(w)).divi(2);
        assertAllClose(result.values(), expected, 1e-10, 1e-12);
        assertThat(result.maxAbsDelta()).isLessThan(1e-10);
    }

    @Test
    void withoutMultiplyingByInputsTheResultIsTheIntegratedGradient() {
        Nd4jImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(5, DataType.DOUBLE, 1, 3, 5, 4);
        Attribution result = IntegratedGradients.builder().setModel(model).optMultiplyByInputs(false).build()
                .attribute(x, 0);
        assertAllClose(result.values(), weightImage(model, 0), 1e-10, 1e-12);
    }

    @Test
    void completenessErrorShrinksWithStepsOnASmoothNetwork() {
        Nd4jImageModel model = smoothModel();
        INDArray x = TestNetworks.randomImages(8, DataType.DOUBLE, 2, 3, 12, 12).muli(3);
        Objective objective = Objective.classLogit(0, 2);
        INDArray outputDifference = objective.evaluate(model, x).sub(objective.evaluate(model, x.mul(0)));
        List<Double> relative = new ArrayList<>();
        for (int steps : new int[] {2, 4, 16, 256}) {
            Attribution a = IntegratedGradients.builder().setModel(model).optSteps(steps).optInternalBatchSize(64)
                    .build().attribute(x, objective);
            double worst = 0;
            for (int i = 0; i < 2; i++) {
                worst = Math.max(worst, Math.abs(a.convergenceDelta()[i] / outputDifference.getDouble(i)));
            }
            relative.add(worst);
        }
        assertThat(relative.get(0)).isGreaterThan(relative.get(1));
        assertThat(relative.get(1)).isGreaterThan(relative.get(2));
        assertThat(relative.get(3)).isLessThan(1e-3);
        assertThat(relative.get(0)).as("a 2-point rule must not already be exact").isGreaterThan(1e-6);
    }

    @Test
    void trapezoidErrorFallsQuadratically() {
        Nd4jImageModel model = smoothModel();
        INDArray x = TestNetworks.randomImages(9, DataType.DOUBLE, 1, 3, 12, 12).muli(3);
        double coarse = Math.abs(IntegratedGradients.builder().setModel(model).optRule(IntegrationRule.RIEMANN_TRAPEZOID)
                .optSteps(9).build().attribute(x, 1).convergenceDelta()[0]);
        double fine = Math.abs(IntegratedGradients.builder().setModel(model).optRule(IntegrationRule.RIEMANN_TRAPEZOID)
                .optSteps(33).build().attribute(x, 1).convergenceDelta()[0]);
        // Four times the intervals: the error should fall about sixteen-fold.
        assertThat(coarse / fine).isBetween(8.0, 32.0);
    }

    @Test
    void internalBatchSizeAndBatchingDoNotChangeTheResult() {
        Nd4jImageModel model = Nd4jImageModel.of(
                TestNetworks.vggStyle(12).withName("vgg"));
        INDArray x = TestNetworks.randomImages(13, DataType.FLOAT, 3, 3, 16, 16);
        int[] targets = {0, 3, 1};
        Attribution reference = IntegratedGradients.builder().setModel(model).optSteps(20).optInternalBatchSize(1)
                .build().attribute(x, targets);
        for (int batch : new int[] {7, 64}) {
            Attribution other = IntegratedGradients.builder().setModel(model).optSteps(20).optInternalBatchSize(batch)
                    .build().attribute(x, targets);
            assertAllClose(other.values(), reference.values(), 1e-4, 1e-6);
        }
        for (int i = 0; i < 3; i++) {
            Attribution single = IntegratedGradients.builder().setModel(model).optSteps(20).optInternalBatchSize(6)
                    .build().attribute(x.get(NDArrayIndex.interval(i, i + 1)), targets[i]);
            assertAllClose(single.values(), reference.values().get(NDArrayIndex.interval(i, i + 1)), 1e-4, 1e-6);
            assertThat(single.convergenceDelta()[0]).isCloseTo(reference.convergenceDelta()[i],
                    org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @ParameterizedTest
    @EnumSource(value = IntegrationRule.class, names = {"RIEMANN_TRAPEZOID", "RIEMANN_MIDDLE", "GAUSS_LEGENDRE"})
    void adaptiveModeReachesTheToleranceAndCountsItsEvaluations(IntegrationRule rule) {
        Nd4jImageModel model = smoothModel();
        INDArray x = TestNetworks.randomImages(10, DataType.DOUBLE, 1, 3, 12, 12).muli(3);
        Objective objective = Objective.classLogit(3);
        INDArray outputDifference = objective.evaluate(model, x).sub(objective.evaluate(model, x.mul(0)));
        // A tolerance twenty times tighter than the starting rule reaches, so the adaptive loop must add points.
        Attribution start = IntegratedGradients.builder().setModel(model).optRule(rule).optSteps(3).build()
                .attribute(x, objective);
        double tolerance = Math.abs(start.convergenceDelta()[0] / outputDifference.getDouble(0)) / 20;
        Attribution a = IntegratedGradients.builder().setModel(model).optRule(rule).optSteps(3)
                .optInternalBatchSize(64).optAdaptive(tolerance, 600, AdaptiveStrategy.REFINE_PATH).build()
                .attribute(x, objective);
        for (int i = 0; i < 1; i++) {
            assertThat(Math.abs(a.convergenceDelta()[i])).isLessThanOrEqualTo(tolerance * Math.abs(outputDifference.getDouble(i)));
        }
        assertThat(a.steps()).isGreaterThan(3);
        if (rule != IntegrationRule.GAUSS_LEGENDRE) {
            // Nested rules reuse every gradient: the evaluations are exactly the final points.
            assertThat(a.gradientEvaluations()).isLessThanOrEqualTo(2L * a.steps());
        }
        // The adaptive estimate equals a fixed run at the final step count.
        if (rule == IntegrationRule.RIEMANN_TRAPEZOID) {
            Attribution fixed = IntegratedGradients.builder().setModel(model).optRule(rule).optSteps(a.steps())
                    .build().attribute(x.get(NDArrayIndex.interval(0, 1)), objective);
            assertAllClose(a.values().get(NDArrayIndex.interval(0, 1)), fixed.values(), 1e-8, 1e-12);
        }
    }

    /**
     * On a ReLU network (piecewise linear along the path) halving the worst interval reaches the tolerance, and the
     * result is exactly the sum of its intervals: a fixed run over the same partition gives the same attribution.
     */
    @Test
    void subdivisionReachesTheToleranceOnAReluNetworkWithFewerPointsThanWholePathRefinement() {
        Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.vggStyle(22).withName("relu"), DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(22, DataType.DOUBLE, 2, 3, 16, 16).muli(4);
        Objective objective = Objective.classLogit(1, 4);

        // With zero biases and a zero baseline the ReLU network is linear along the path, so the first rule is exact;
        // example 0's F(x) - F(x') is negative, which must not keep the adaptive loop going.
        INDArray linearDifference = objective.evaluate(model, x).sub(objective.evaluate(model, x.mul(0)));
        assertThat(linearDifference.getDouble(0)).isNegative();
        for (AdaptiveStrategy strategy : AdaptiveStrategy.values()) {
            Attribution exact = IntegratedGradients.builder().setModel(model).optSteps(4)
                    .optAdaptive(1e-6, 4096, strategy).build().attribute(x, objective);
            assertThat(exact.gradientEvaluations()).as(strategy.name()).isEqualTo(8);
        }

        // A gray baseline breaks the linearity: kinks appear along the path.
        Baseline gray = Baseline.constant(0.3);
        INDArray outputDifference = objective.evaluate(model, x).sub(objective.evaluate(model,
                Nd4j.valueArrayOf(x.shape(), 0.3, DataType.DOUBLE)));
        double tolerance = 1e-3;
        Attribution subdivided = IntegratedGradients.builder().setModel(model).optSteps(4).optInternalBatchSize(16)
                .optBaselines(gray).optAdaptive(tolerance, 4096, AdaptiveStrategy.SUBDIVIDE).build()
                .attribute(x, objective);
        Attribution refined = IntegratedGradients.builder().setModel(model).optSteps(4).optInternalBatchSize(16)
                .optBaselines(gray).optAdaptive(tolerance, 4096, AdaptiveStrategy.REFINE_PATH).build()
                .attribute(x, objective);
        for (int i = 0; i < 2; i++) {
            double scale = Math.abs(outputDifference.getDouble(i));
            assertThat(Math.abs(subdivided.convergenceDelta()[i])).isLessThanOrEqualTo(tolerance * scale);
            assertThat(Math.abs(subdivided.values().get(NDArrayIndex.point(i)).sumNumber().doubleValue()
                    - outputDifference.getDouble(i))).isLessThanOrEqualTo(tolerance * scale + 1e-12);
        }
        assertThat(subdivided.steps()).isGreaterThan(4);
        assertThat(subdivided.gradientEvaluations()).isLessThan(refined.gradientEvaluations());
        assertThatThrownBy(() -> IntegratedGradients.builder().setModel(model).optAdaptive(0.01, 100, null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("SUBDIVIDE");
    }

    @Test
    void progressIsReportedUpToTheTotal() {
        List<long[]> reports = new ArrayList<>();
        IntegratedGradients.builder().setModel(linearModel()).optSteps(10).optInternalBatchSize(4)
                .optProgressListener((task, done, total) -> reports.add(new long[] {done, total})).build()
                .attribute(TestNetworks.randomImages(1, DataType.DOUBLE, 2, 3, 5, 4), 0);
        assertThat(reports).hasSize(5);
        assertThat(reports.get(reports.size() - 1)).containsExactly(20, 20);
        for (int i = 1; i < reports.size(); i++) {
            assertThat(reports.get(i)[0]).isGreaterThan(reports.get(i - 1)[0]);
        }
    }

    @Test
    void noiseBaselineIsSeededPerExample() {
        Baseline noise = Baseline.uniformNoise(0, 1, 5);
        INDArray example = Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4);
        assertAllClose(noise.create(example, 0), noise.create(example, 0), 0, 0);
        assertThat(noise.create(example, 0).equals(noise.create(example, 1))).isFalse();
        assertThat(noise.create(example, 0).minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(noise.create(example, 0).maxNumber().doubleValue()).isLessThan(1);
    }

    @Test
    void blurBaselineSpreadsAnImpulseAsAGaussianAndKeepsConstants() {
        INDArray impulse = Nd4j.zeros(DataType.DOUBLE, 1, 1, 15, 15);
        impulse.putScalar(new long[] {0, 0, 7, 7}, 1.0);
        INDArray blurred = Baseline.gaussianBlur(1.5).create(impulse, 0);
        assertThat(blurred.sumNumber().doubleValue()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        double center = blurred.getDouble(0, 0, 7, 7);
        double oneOff = blurred.getDouble(0, 0, 7, 8);
        assertThat(oneOff / center).isCloseTo(Math.exp(-0.5 / (1.5 * 1.5)), org.assertj.core.data.Offset.offset(1e-9));
        INDArray constant = Nd4j.valueArrayOf(new long[] {1, 3, 6, 5}, 0.25, DataType.DOUBLE);
        assertAllClose(Baseline.gaussianBlur(2).create(constant, 0), constant, 0, 1e-12);
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyWork() {
        ImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(1, DataType.DOUBLE, 2, 3, 5, 4);
        assertThatThrownBy(() -> IntegratedGradients.builder().build()).hasMessageContaining("setModel");
        assertThatThrownBy(() -> IntegratedGradients.builder().setModel(model).optSteps(0).build())
                .hasMessageContaining("steps must be at least 1").hasMessageContaining("got 0");
        assertThatThrownBy(() -> IntegratedGradients.builder().setModel(model).optSteps(1)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).build()).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> IntegratedGradients.builder().setModel(model).optInternalBatchSize(0).build())
                .hasMessageContaining("internal batch size must be positive, got 0");
        assertThatThrownBy(() -> IntegratedGradients.builder().setModel(model).optBaselines().build())
                .hasMessageContaining("at least one baseline");
        IntegratedGradients ig = IntegratedGradients.builder().setModel(model).build();
        assertThatThrownBy(() -> ig.attribute(x, 4)).hasMessageContaining("target class 4");
        assertThatThrownBy(() -> ig.attribute(Nd4j.create(DataType.DOUBLE, 0, 3, 5, 4), 0))
                .hasMessageContaining("empty batch");
        assertThatThrownBy(() -> IntegratedGradients.builder().setModel(model)
                .optBaselines(Baseline.image(Nd4j.zeros(DataType.DOUBLE, 3, 4, 5))).build().attribute(x, 0))
                .hasMessageContaining("[1, 3, 4, 5]").hasMessageContaining("does not match");
        INDArray nan = x.dup();
        nan.putScalar(3, Double.NaN);
        assertThatThrownBy(() -> ig.attribute(nan, 0)).hasMessageContaining("NaN");
    }

    @Test
    void toStringSaysWhatMatters() {
        Attribution a = IntegratedGradients.builder().setModel(linearModel()).optSteps(8).build()
                .attribute(TestNetworks.randomImages(1, DataType.DOUBLE, 1, 3, 5, 4), 0);
        assertThat(a.toString()).contains("IntegratedGradients", "shape=[1, 3, 5, 4]", "steps=8", "GAUSS_LEGENDRE",
                "maxAbsDelta=");
    }
}
