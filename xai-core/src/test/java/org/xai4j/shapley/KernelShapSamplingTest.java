package org.xai4j.shapley;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KernelSHAP's coalition sampler against Captum's distribution: sizes k in 1..M-1 with probability proportional to
 * {@code (M - 1) / (k (M - k))}, then k distinct features uniformly (every feature equally often). Frequencies over
 * 40,000 seeded draws are checked within 5 binomial standard errors.
 */
class KernelShapSamplingTest {

    @Test
    void sizesFollowTheShapleyKernel() {
        int m = 7;
        int draws = 40_000;
        double[] cdf = KernelShap.sizeDistribution(m);
        Random random = new Random(1);
        int[] counts = new int[m];
        for (int d = 0; d < draws; d++) {
            counts[KernelShap.drawSize(cdf, random)]++;
        }
        double total = 0;
        for (int k = 1; k < m; k++) {
            total += (m - 1) / ((double) k * (m - k));
        }
        assertThat(counts[0]).isZero();
        for (int k = 1; k < m; k++) {
            double p = (m - 1) / ((double) k * (m - k)) / total;
            double se = Math.sqrt(p * (1 - p) / draws);
            assertThat(counts[k] / (double) draws).as("size %d", k).isBetween(p - 5 * se, p + 5 * se);
        }
    }

    @Test
    void featuresAreChosenUniformlyWithoutRepetition() {
        int m = 6;
        int k = 2;
        int draws = 30_000;
        Random random = new Random(2);
        int[] counts = new int[m];
        for (int d = 0; d < draws; d++) {
            int[] chosen = KernelShap.chooseFeatures(m, k, random);
            assertThat(chosen).hasSize(k).doesNotHaveDuplicates();
            for (int f : chosen) {
                counts[f]++;
            }
        }
        double p = (double) k / m;
        double se = Math.sqrt(p * (1 - p) / draws);
        for (int f = 0; f < m; f++) {
            assertThat(counts[f] / (double) draws).as("feature %d", f).isBetween(p - 5 * se, p + 5 * se);
        }
    }
}
