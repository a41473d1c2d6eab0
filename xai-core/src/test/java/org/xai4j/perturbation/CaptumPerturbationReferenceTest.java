package org.xai4j.perturbation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.segmentation.FeatureMask;
import org.xai4j.segmentation.Segmentation;
import org.xai4j.segmentation.Slic;
import org.xai4j.shapley.KernelShap;
import org.xai4j.shapley.ShapleyValueSampling;
import org.xai4j.surrogate.Lime;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deterministic perturbation methods against Captum 0.8.0 on the same tiny CNN (weights, inputs and Captum's
 * outputs from make_perturbation_references.py). Tolerance: 1e-3 of max|reference| (the models compute in float32;
 * the attributions are differences of logits, float32 noise is ~1e-7 of them). Shapley value sampling, KernelSHAP and
 * LIME are compared on the same samples: the generator replays the permutations and coalitions xai4j draws from
 * {@link java.util.Random} (seed 7) through Captum's own code (kernels, weights, scikit-learn regressions).
 */
class CaptumPerturbationReferenceTest {

    private static final double RELATIVE_TOLERANCE = 1e-3;
    private static Nd4jImageModel model;
    private static INDArray inputs;
    private static final Objective TARGETS = Objective.classLogit(PerturbationFixtures.TARGETS);

    @BeforeAll
    static void setUp() {
        model = PerturbationFixtures.tinyCnn();
        inputs = PerturbationFixtures.tinyInputs();
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    /** Asserts the shapes are equal and every element within 1e-3 of max|reference|; returns the max difference. */
    static double assertMatches(INDArray actual, INDArray reference, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(reference.shape());
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] r = reference.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double scale = Arrays.stream(r).map(Math::abs).max().orElseThrow();
        assertThat(scale).as(what + ": reference is not all zero").isGreaterThan(1e-4);
        double worst = 0;
        for (int i = 0; i < r.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - r[i]));
        }
        System.out.printf("%s: max |difference| = %.3g (%.3g of max |reference| %.3g)%n", what, worst, worst / scale,
                scale);
        assertThat(worst).as(what + ": max |difference| against Captum").isLessThanOrEqualTo(RELATIVE_TOLERANCE * scale);
        return worst;
    }

    @Test
    void modelMatchesPyTorch() {
        assertMatches(model.logits(inputs), PerturbationFixtures.read("tiny_logits"), "logits");
    }

    @Test
    void occlusionMatchesCaptum() {
        Attribution a = Occlusion.builder().setModel(model).optWindow(4).optStride(2).build().attribute(inputs, TARGETS);
        assertMatches(a.values(), PerturbationFixtures.read("occlusion_w4_s2_b0"), "occlusion window 4 stride 2");
    }

    @Test
    void occlusionWithCutOffWindowsAndConstantBaselineMatchesCaptum() {
        for (int perEval : new int[] {1, 7, 16}) {
            Attribution a = Occlusion.builder().setModel(model).optWindow(5).optStride(3)
                    .optBaseline(Baseline.constant(0.5)).optPerturbationsPerEval(perEval).build()
                    .attribute(inputs, TARGETS);
            assertMatches(a.values(), PerturbationFixtures.read("occlusion_w5_s3_b05"),
                    "occlusion window 5 stride 3 baseline 0.5, " + perEval + " per eval");
        }
    }

    @Test
    void featureAblationOnGridMatchesCaptum() {
        Attribution a = FeatureAblation.builder().setModel(model).optSegmentation(Segmentation.grid(4))
                .optBaseline(Baseline.constant(0.25)).optPerturbationsPerEval(5).build().attribute(inputs, TARGETS);
        assertMatches(a.values(), PerturbationFixtures.read("ablation_grid4_b025"), "feature ablation grid:4");
    }

    @Test
    void featureAblationOnSlicSuperpixelsMatchesCaptum() {
        Slic slic = Slic.builder().setSegments(9).optCompactness(100).build();
        INDArray labels = PerturbationFixtures.read("tiny_slic9_c100_labels");
        FeatureAblation ablation = FeatureAblation.builder().setModel(model).optSegmentation(slic).build();
        FeatureAttribution features = ablation.attributeFeatures(inputs, TARGETS);
        for (int i = 0; i < 2; i++) {
            FeatureMask mask = features.masks().get(i);
            assertThat(mask.labels()).as("SLIC labels of input %d (scikit-image's)", i)
                    .isEqualTo(labels.slice(i).ravel().toIntVector());
        }
        assertMatches(ablation.attribute(inputs, TARGETS).values(), PerturbationFixtures.read("ablation_slic9_c100_b0"),
                "feature ablation slic:9 (compactness 100)");
    }

    @Test
    void shapleyValuesWithAllPermutationsMatchCaptum() {
        Attribution a = ShapleyValueSampling.builder().setModel(model).optSegmentation(Segmentation.grid(6))
                .optAllPermutations(true).optPerturbationsPerEval(4).build().attribute(inputs, TARGETS);
        assertMatches(a.values(), PerturbationFixtures.read("shapley_all_grid6_b0"), "ShapleyValues grid:6 (4 features)");
    }

    @Test
    void shapleyValueSamplingMatchesCaptumOnTheSamePermutations() {
        Attribution a = ShapleyValueSampling.builder().setModel(model).optSegmentation(Segmentation.grid(4))
                .optBaseline(Baseline.constant(0.25)).optSamples(5).optSeed(7).build().attribute(inputs, TARGETS);
        assertMatches(a.values(), PerturbationFixtures.read("shapleysampling_grid4_b025_n5_seed7"),
                "ShapleyValueSampling grid:4, 5 permutations");
    }

    @Test
    void kernelShapMatchesCaptumOnTheSameCoalitions() {
        for (int samples : new int[] {30, 6}) {
            Attribution a = KernelShap.builder().setModel(model).optSegmentation(Segmentation.grid(4))
                    .optBaseline(Baseline.constant(0.25)).optSamples(samples).optSeed(7).optPerturbationsPerEval(8)
                    .build().attribute(inputs, TARGETS);
            assertMatches(a.values(), PerturbationFixtures.read("kernelshap_grid4_b025_n" + samples + "_seed7"),
                    "KernelShap grid:4, " + samples + " samples" + (samples < 10 ? " (minimum norm)" : ""));
        }
    }

    @Test
    void limeMatchesCaptumOnTheSameCoalitions() {
        Lime.Builder lime = Lime.builder().setModel(model).optSegmentation(Segmentation.grid(4))
                .optBaseline(Baseline.constant(0.25)).optSamples(40).optSeed(7);
        // Captum's defaults: this net's effects (~0.01) all fall below the penalty 0.01, in both implementations.
        assertThat(PerturbationFixtures.read("lime_grid4_b025_n40_seed7").amaxNumber().doubleValue()).isZero();
        assertThat(lime.build().attribute(inputs, TARGETS).values().amaxNumber().doubleValue()).isZero();
        // A smaller penalty keeps some coefficients and zeroes others. scikit-learn stops at a duality gap of 1e-4
        // (tol), this lasso at the optimum: the tolerance of 1e-3 of max|reference| covers that.
        INDArray reference = PerturbationFixtures.read("lime_grid4_b025_n40_seed7_alpha0.001");
        INDArray actual = lime.optAlpha(0.001).build().attribute(inputs, TARGETS).values();
        assertMatches(actual, reference, "Lime grid:4, 40 samples, cosine kernel, Lasso(alpha=0.001)");
        for (long e = 0; e < reference.length(); e++) {
            assertThat(actual.getDouble(e) == 0).as("element %d is zeroed as in Captum", e)
                    .isEqualTo(reference.getDouble(e) == 0);
        }
    }
}
