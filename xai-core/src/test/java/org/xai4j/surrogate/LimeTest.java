package org.xai4j.surrogate;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.perturbation.FeatureAttribution;
import org.xai4j.segmentation.Segmentation;
import org.xai4j.testing.TestNetworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * LIME's similarity kernel on closed forms (Captum's {@code get_exp_kernel_similarity_function}), the lasso's
 * shrinkage against least squares on the same samples, and its option checks. Exactness on an additive model is in
 * {@code ShapleyClosedFormTest}.
 */
class LimeTest {

    @Test
    void cosineKernelOfHalfTheImage() {
        // x = 1 everywhere, baseline 0, half the pixels present: cos = (n/2) / (sqrt(n) sqrt(n/2)) = 1/sqrt(2).
        double[] x = new double[2 * 8];
        java.util.Arrays.fill(x, 1);
        boolean[] present = {true, false, true, false, true, false, true, false};
        double d = 1 - 1 / Math.sqrt(2);
        assertThat(Lime.similarity(x, new double[16], present, Lime.Distance.COSINE, 1.0))
                .isCloseTo(Math.exp(-d * d / 2), within(1e-15));
        assertThat(Lime.similarity(x, new double[16], present, Lime.Distance.COSINE, 0.25))
                .isCloseTo(Math.exp(-d * d / (2 * 0.0625)), within(1e-15));
        // All present: distance 0, weight 1; all absent with a zero baseline: torch clamps the norm, cos = 0.
        boolean[] all = new boolean[8];
        java.util.Arrays.fill(all, true);
        assertThat(Lime.similarity(x, new double[16], all, Lime.Distance.COSINE, 1.0)).isEqualTo(1.0);
        assertThat(Lime.similarity(x, new double[16], new boolean[8], Lime.Distance.COSINE, 1.0))
                .isCloseTo(Math.exp(-0.5), within(1e-15));
    }

    @Test
    void euclideanKernel() {
        double[] x = {1, 2, 3, 4};
        double[] b = {0, 0, 1, 1};
        boolean[] present = {true, false};  // 2 channels of 2 pixels: pixel 1 takes the baseline in both channels
        double d2 = 2 * 2 + 3 * 3;
        assertThat(Lime.similarity(x, b, present, Lime.Distance.EUCLIDEAN, 2.0))
                .isCloseTo(Math.exp(-d2 / 8), within(1e-15));
    }

    @Test
    void lassoShrinksTheLeastSquaresCoefficients() {
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.smooth(2), DataType.DOUBLE)) {
            java.util.Random random = new java.util.Random(12);
            double[] values = new double[3 * 12 * 12];
            for (int i = 0; i < values.length; i++) {
                values[i] = 0.1 + random.nextDouble();
            }
            INDArray x = Nd4j.create(values, new long[] {1, 3, 12, 12}, DataType.DOUBLE);
            Objective objective = Objective.classLogit(0);
            Lime.Builder builder = Lime.builder().setModel(model).optSegmentation(Segmentation.grid(4)).optSamples(80);
            FeatureAttribution plain = builder.optAlpha(0).build().attributeFeatures(x, objective);
            FeatureAttribution lasso = builder.optAlpha(Lime.DEFAULT_ALPHA).build().attributeFeatures(x, objective);
            double l1Plain = java.util.Arrays.stream(plain.values(0)).map(Math::abs).sum();
            double l1Lasso = java.util.Arrays.stream(lasso.values(0)).map(Math::abs).sum();
            // Same seed, same samples and weights: the penalized fit has a smaller L1 norm.
            assertThat(l1Lasso).isLessThan(l1Plain);
            assertThat(lasso.masks().get(0).count()).isEqualTo(9);
        }
    }

    @Test
    void badOptionsAreRefused() {
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.smooth(2))) {
            assertThatThrownBy(() -> Lime.builder().build()).hasMessageContaining("model is required");
            assertThatThrownBy(() -> Lime.builder().setModel(model).optKernelWidth(0).build())
                    .hasMessageContaining("kernel width must be a finite positive number, got 0.0");
            assertThatThrownBy(() -> Lime.builder().setModel(model).optAlpha(-1).build())
                    .hasMessageContaining("alpha must be a finite number >= 0, got -1.0");
            assertThatThrownBy(() -> Lime.builder().setModel(model).optSamples(0).build())
                    .hasMessageContaining("LIME samples must be positive, got 0");
            assertThatThrownBy(() -> Lime.builder().setModel(model).optSegmentation(null).build())
                    .hasMessageContaining("segmentation must not be null");
            assertThatThrownBy(() -> Lime.builder().setModel(model).optPerturbationsPerEval(0).build())
                    .hasMessageContaining("perturbations per eval must be positive, got 0");
        }
    }
}
