package org.xai4j.shapley;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * GradientSHAP on closed forms: on a linear model the gradient is the weight everywhere, so every sample is
 * {@code (x~ - b) w}; with one baseline and no noise that is exact, with several baselines or noise its mean tends to
 * {@code (x - E[b]) w} (checked within 5 standard errors of the seeded sample mean). On a smooth nonlinear network its
 * expectation is integrated gradients (the mean over a uniform a of the same integrand).
 */
class GradientShapTest {

    private static final long[] SHAPE = {3, 6, 6};
    private static final int TARGET = 1;
    private static NetworkSpec spec;
    private static Nd4jImageModel linear;
    private static INDArray x;
    private static double[] w;

    @BeforeAll
    static void setUp() {
        spec = TestNetworks.linear(SHAPE, 3, 21);
        linear = Nd4jImageModel.of(spec, DataType.DOUBLE);
        Random random = new Random(8);
        double[] values = new double[3 * 6 * 6];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        x = Nd4j.create(values, new long[] {1, 3, 6, 6}, DataType.DOUBLE);
        INDArray weights = ((LayerSpec.Dense) spec.layers().get(1)).weights();
        w = new double[values.length];
        for (int e = 0; e < w.length; e++) {
            w[e] = weights.getDouble(e, TARGET);
        }
    }

    @AfterAll
    static void tearDown() {
        linear.close();
    }

    private static double[] attribute(GradientShap method) {
        return method.attribute(x, Objective.classLogit(TARGET)).values().dup('c').data().asDouble();
    }

    @Test
    void oneBaselineWithoutNoiseIsExactOnALinearModel() {
        double[] a = attribute(GradientShap.builder().setModel(linear).optBaselines(List.of(Baseline.constant(0.2)))
                .optSamples(3).build());
        double[] xs = x.data().asDouble();
        for (int e = 0; e < a.length; e++) {
            assertThat(a[e]).isCloseTo((xs[e] - 0.2) * w[e], within(1e-12));
        }
    }

    @Test
    void baselinesAreDrawnUniformly() {
        int samples = 4000;
        double[] a = attribute(GradientShap.builder().setModel(linear)
                .optBaselines(List.of(Baseline.zero(), Baseline.constant(1))).optSamples(samples).optInternalBatchSize(250).build());
        double[] xs = x.data().asDouble();
        // Every sample is (x - b) w with b in {0, 1}: the result is (x - p) w for the fraction p of draws of 1.
        double p = xs[0] - a[0] / w[0];
        for (int e = 0; e < a.length; e++) {
            assertThat(a[e]).isCloseTo((xs[e] - p) * w[e], within(1e-9));
        }
        // E[p] = 1/2, standard error 0.5 / sqrt(4000) = 0.0079.
        assertThat(p).isCloseTo(0.5, within(5 * 0.5 / Math.sqrt(samples)));
    }

    @Test
    void noiseAveragesOutOnALinearModel() {
        int samples = 2000;
        double stdev = 0.5;
        double[] a = attribute(GradientShap.builder().setModel(linear).optSamples(samples).optStdev(stdev).optInternalBatchSize(250).build());
        double[] xs = x.data().asDouble();
        // (x + mean noise - 0) w, the mean noise of each element having standard error stdev / sqrt(samples).
        double tolerance = 5 * stdev / Math.sqrt(samples);
        for (int e = 0; e < a.length; e++) {
            assertThat(a[e] / w[e]).isCloseTo(xs[e], within(tolerance));
        }
    }

    @Test
    void expectationIsIntegratedGradientsOnASmoothNetwork() {
        try (Nd4jImageModel smooth = Nd4jImageModel.of(TestNetworks.smooth(4), DataType.DOUBLE)) {
            Random random = new Random(9);
            double[] values = new double[3 * 12 * 12];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextDouble();
            }
            INDArray input = Nd4j.create(values, new long[] {1, 3, 12, 12}, DataType.DOUBLE);
            Objective objective = Objective.classLogit(2);
            INDArray ig = IntegratedGradients.builder().setModel(smooth).optSteps(64).build()
                    .attribute(input, objective).values();
            INDArray shap = GradientShap.builder().setModel(smooth).optSamples(1000).optInternalBatchSize(100).build()
                    .attribute(input, objective).values();
            // Monte Carlo over a: relative L2 error ~ spread / sqrt(1000), measured 0.0016 for this seed.
            double error = shap.sub(ig).norm2Number().doubleValue() / ig.norm2Number().doubleValue();
            System.out.printf("GradientShap vs IG: relative L2 %.4f, completeness %.5f vs %.5f%n", error,
                    shap.sumNumber().doubleValue(), objective.evaluate(smooth, input).getDouble(0)
                            - objective.evaluate(smooth, Nd4j.zerosLike(input)).getDouble(0));
            assertThat(error).isLessThan(0.01);
            double completeness = shap.sumNumber().doubleValue();
            double expected = objective.evaluate(smooth, input).getDouble(0)
                    - objective.evaluate(smooth, Nd4j.zerosLike(input)).getDouble(0);
            assertThat(completeness).isCloseTo(expected, within(0.02 * Math.abs(expected)));
        }
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> GradientShap.builder().build()).hasMessageContaining("model is required");
        assertThatThrownBy(() -> GradientShap.builder().setModel(linear).optBaselines(List.of()).build())
                .hasMessageContaining("at least one baseline");
        assertThatThrownBy(() -> GradientShap.builder().setModel(linear).optSamples(0).build())
                .hasMessageContaining("samples must be positive, got 0");
        assertThatThrownBy(() -> GradientShap.builder().setModel(linear).optStdev(Double.NaN).build())
                .hasMessageContaining("stdev");
    }
}
