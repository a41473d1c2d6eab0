package org.xai4j.shapley;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.perturbation.FeatureAttribution;
import org.xai4j.perturbation.PerturbationFixtures;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;
import org.xai4j.surrogate.Lime;
import org.xai4j.testing.TestNetworks;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Shapley value sampling, KernelSHAP and LIME on closed forms: on an additive (linear) model every feature's Shapley
 * value is the sum of {@code w (x - b)} over its pixels and channels, and all three recover it exactly (the sampled
 * marginals are all equal; the regressions fit an exactly linear function); on a nonlinear CNN, efficiency (the
 * values sum to {@code F(x) - F(b)}) and KernelSHAP over every coalition equals the exact Shapley values (every
 * permutation). All seeded.
 */
class ShapleyClosedFormTest {

    private static final long[] SHAPE = {3, 12, 12};
    private static final int TARGET = 2;
    private static NetworkSpec linearSpec;
    private static Nd4jImageModel linear;
    private static Nd4jImageModel cnn;
    private static INDArray x;

    @BeforeAll
    static void setUp() {
        linearSpec = TestNetworks.linear(SHAPE, 4, 7);
        linear = Nd4jImageModel.of(linearSpec, DataType.DOUBLE);
        cnn = PerturbationFixtures.tinyCnn();
        Random random = new Random(3);
        double[] values = new double[2 * 3 * 12 * 12];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        x = Nd4j.create(values, new long[] {2, 3, 12, 12}, DataType.DOUBLE);
    }

    @AfterAll
    static void tearDown() {
        linear.close();
        cnn.close();
    }

    /** sum over the feature's pixels and channels of W[c,p][target] * (x - b), for example i. */
    private static double[] additiveShapley(FeatureMask mask, int example, double baseline) {
        INDArray w = ((LayerSpec.Dense) linearSpec.layers().get(1)).weights();
        double[] result = new double[mask.count()];
        int pixels = mask.height() * mask.width();
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < pixels; p++) {
                double xv = x.getDouble(example, c, p / mask.width(), p % mask.width());
                result[mask.labels()[p]] += w.getDouble((long) c * pixels + p, TARGET) * (xv - baseline);
            }
        }
        return result;
    }

    private static void assertAdditive(FeatureAttribution a, double baseline, double tolerance) {
        for (int i = 0; i < 2; i++) {
            assertThat(a.values(i)).as("example %d", i)
                    .containsExactly(additiveShapley(a.masks().get(i), i, baseline), within(tolerance));
        }
    }

    @Test
    void shapleySamplingIsExactOnAnAdditiveModel() {
        FeatureAttribution a = ShapleyValueSampling.builder().setModel(linear).optSegmentation(Segmentation.grid(4))
                .optBaseline(Baseline.constant(0.3)).optSamples(3).build()
                .attributeFeatures(x, Objective.classLogit(TARGET));
        // Each marginal is the feature's own term exactly; only double rounding differs.
        assertAdditive(a, 0.3, 1e-9);
    }

    @Test
    void kernelShapIsExactOnAnAdditiveModel() {
        FeatureAttribution a = KernelShap.builder().setModel(linear).optSegmentation(Segmentation.grid(4))
                .optBaseline(Baseline.constant(0.3)).optSamples(40).build()
                .attributeFeatures(x, Objective.classLogit(TARGET));
        // A linear function of the coalition is fitted with zero residual: exact up to the solver's rounding.
        assertAdditive(a, 0.3, 1e-8);
    }

    @Test
    void limeLeastSquaresIsExactOnAnAdditiveModel() {
        FeatureAttribution a = Lime.builder().setModel(linear).optSegmentation(Segmentation.grid(4))
                .optBaseline(Baseline.constant(0.3)).optSamples(60).optAlpha(0).build()
                .attributeFeatures(x, Objective.classLogit(TARGET));
        assertAdditive(a, 0.3, 1e-8);
    }

    @Test
    void shapleySamplingIsEfficientOnACnn() {
        INDArray inputs = PerturbationFixtures.tinyInputs();
        Objective objective = Objective.classLogit(PerturbationFixtures.TARGETS);
        FeatureAttribution a = ShapleyValueSampling.builder().setModel(cnn).optSegmentation(Segmentation.grid(3))
                .optSamples(5).optSeed(11).build().attributeFeatures(inputs, objective);
        double[] fx = objective.evaluate(cnn, inputs).toDoubleVector();
        double[] fb = objective.evaluate(cnn, Nd4j.zerosLike(inputs)).toDoubleVector();
        for (int i = 0; i < 2; i++) {
            double sum = java.util.Arrays.stream(a.values(i)).sum();
            // Every permutation telescopes to F(x) - F(b); the float32 logits differ by ~1e-7 between passes.
            assertThat(sum).as("example %d", i).isCloseTo(fx[i] - fb[i], within(1e-5));
        }
    }

    @Test
    void kernelShapOverAllCoalitionsEqualsExactShapleyValues() {
        INDArray inputs = PerturbationFixtures.tinyInputs();
        Objective objective = Objective.classLogit(PerturbationFixtures.TARGETS);
        Segmentation quarters = Segmentation.grid(6);
        FeatureAttribution exact = ShapleyValueSampling.builder().setModel(cnn).optSegmentation(quarters)
                .optAllPermutations(true).build().attributeFeatures(inputs, objective);
        FeatureAttribution kernel = KernelShap.builder().setModel(cnn).optSegmentation(quarters)
                .optAllCoalitions(true).build().attributeFeatures(inputs, objective);
        double[] fx = objective.evaluate(cnn, inputs).toDoubleVector();
        double[] fb = objective.evaluate(cnn, Nd4j.zerosLike(inputs)).toDoubleVector();
        for (int i = 0; i < 2; i++) {
            double scale = java.util.Arrays.stream(exact.values(i)).map(Math::abs).max().orElseThrow();
            double worst = 0;
            for (int k = 0; k < 4; k++) {
                worst = Math.max(worst, Math.abs(kernel.values(i)[k] - exact.values(i)[k]));
            }
            System.out.printf("KernelSHAP over all coalitions vs exact Shapley, example %d: max |difference| %.3g "
                    + "(%.3g of max |value|)%n", i, worst, worst / scale);
            // The endpoints' weight is 1e6, not infinite (measured 5e-8 of the largest value); float32 logits ~1e-7.
            assertThat(kernel.values(i)).as("example %d", i).containsExactly(exact.values(i), within(1e-5 * scale));
            assertThat(java.util.Arrays.stream(kernel.values(i)).sum()).isCloseTo(fx[i] - fb[i], within(1e-5 * scale));
        }
    }

    @Test
    void aSingleFeatureGetsTheWholeDifference() {
        INDArray inputs = PerturbationFixtures.tinyInputs();
        Objective objective = Objective.classLogit(PerturbationFixtures.TARGETS);
        double[] fx = objective.evaluate(cnn, inputs).toDoubleVector();
        double[] fb = objective.evaluate(cnn, Nd4j.zerosLike(inputs)).toDoubleVector();
        Segmentation whole = Segmentation.grid(12);
        FeatureAttribution kernel = KernelShap.builder().setModel(cnn).optSegmentation(whole).build()
                .attributeFeatures(inputs, objective);
        FeatureAttribution shapley = ShapleyValueSampling.builder().setModel(cnn).optSegmentation(whole).build()
                .attributeFeatures(inputs, objective);
        for (int i = 0; i < 2; i++) {
            // The fit is the line through the two endpoint samples; float32 logits ~1e-7.
            assertThat(kernel.values(i)).containsExactly(new double[] {fx[i] - fb[i]}, within(1e-6));
            assertThat(shapley.values(i)).containsExactly(new double[] {fx[i] - fb[i]}, within(1e-6));
        }
    }

    @Test
    void sampledKernelShapIsNearlyEfficient() {
        INDArray inputs = PerturbationFixtures.tinyInputs();
        Objective objective = Objective.classLogit(PerturbationFixtures.TARGETS);
        FeatureAttribution a = KernelShap.builder().setModel(cnn).optSegmentation(Segmentation.grid(3)).build()
                .attributeFeatures(inputs, objective);
        double[] fx = objective.evaluate(cnn, inputs).toDoubleVector();
        double[] fb = objective.evaluate(cnn, Nd4j.zerosLike(inputs)).toDoubleVector();
        for (int i = 0; i < 2; i++) {
            // The endpoint samples (weight 1e6 against 23 samples of weight 1) pin the fit to F(x) and F(b).
            assertThat(java.util.Arrays.stream(a.values(i)).sum()).isCloseTo(fx[i] - fb[i],
                    within(1e-3 * Math.abs(fx[i] - fb[i])));
        }
    }

    @Test
    void samplingMethodsAreDeterministicPerSeedAndIndependentOfTheBatch() {
        INDArray inputs = PerturbationFixtures.tinyInputs();
        Objective objective = Objective.classLogit(PerturbationFixtures.TARGETS);
        INDArray second = inputs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup();
        Objective secondTarget = Objective.classLogit(PerturbationFixtures.TARGETS[1]);
        for (var method : java.util.List.<java.util.function.LongFunction<org.xai4j.AttributionMethod>>of(
                seed -> ShapleyValueSampling.builder().setModel(cnn).optSegmentation(Segmentation.grid(4)).optSamples(2)
                        .optSeed(seed).build(),
                seed -> KernelShap.builder().setModel(cnn).optSegmentation(Segmentation.grid(4)).optSamples(6)
                        .optSeed(seed).build(),
                seed -> Lime.builder().setModel(cnn).optSegmentation(Segmentation.grid(4)).optSamples(6).optSeed(seed)
                        .build(),
                seed -> GradientShap.builder().setModel(cnn).optSamples(3).optStdev(0.1).optSeed(seed).build())) {
            INDArray first = method.apply(5).attribute(inputs, objective).values();
            assertThat(method.apply(5).attribute(inputs, objective).values()).as(method.apply(5).toString())
                    .isEqualTo(first);
            assertThat(method.apply(6).attribute(inputs, objective).values()).as(method.apply(6).toString())
                    .isNotEqualTo(first);
            INDArray alone = method.apply(5).attribute(second, secondTarget).values();
            assertThat(alone).as("example 1 alone, " + method.apply(5))
                    .isEqualTo(first.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)));
        }
    }
}
