package org.xai4j.viz.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutlierClippingTest {

    /** 1..10 shuffled; total 55. */
    private static final float[] ONE_TO_TEN = {7, 3, 10, 1, 9, 2, 8, 4, 6, 5};

    /**
     * Hand-computed: sorted cumulative sums are 1, 3, 6, 10, 15, 21, 28, 36, 45, 55. The threshold is the first
     * value whose cumulative sum reaches (100 - p)% of 55: p=2 needs 53.9 (reached at 55, value 10), p=20 needs
     * 44 (45, value 9), p=50 needs 27.5 (28, value 7), p=90 needs 5.5 (6, value 3), p=0 needs 55 (value 10).
     */
    @ParameterizedTest(name = "p={0}% -> {1}")
    @CsvSource({"2, 10", "20, 9", "50, 7", "90, 3", "0, 10", "99.9, 1"})
    void cumulativeSumThresholdMatchesCaptum(double percent, double expected) {
        assertThat(OutlierClipping.cumulativeSum(percent).threshold(ONE_TO_TEN)).isEqualTo(expected);
    }

    /** The running sum 1 + 2 + 3 = 6 equals 60% of 10 exactly; "reaches" means >=, so 3 and not 4. */
    @Test
    void cumulativeSumThresholdIncludesExactTies() {
        assertThat(OutlierClipping.cumulativeSum(40).threshold(new float[] {4, 1, 3, 2})).isEqualTo(3);
    }

    /** NumPy's linear percentile of 1..10: rank = q/100 * 9, e.g. q=98 -> rank 8.82 -> 9 + 0.82 * (10 - 9). */
    @ParameterizedTest(name = "p={0}% -> {1}")
    @CsvSource({"2, 9.82", "20, 8.2", "50, 5.5", "0, 10"})
    void percentileThresholdMatchesNumpy(double percent, double expected) {
        assertThat(OutlierClipping.percentile(percent).threshold(ONE_TO_TEN)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void noneUsesTheMaximumAndInputIsUntouched() {
        float[] values = ONE_TO_TEN.clone();
        assertThat(OutlierClipping.none().threshold(values)).isEqualTo(10);
        OutlierClipping.captumDefault().threshold(values);
        assertThat(values).containsExactly(ONE_TO_TEN);
    }

    @Test
    void allZeroGivesZeroAndSparseMapsFallBackToTheMaximum() {
        assertThat(OutlierClipping.captumDefault().threshold(new float[5])).isZero();
        assertThat(OutlierClipping.percentile(2).threshold(new float[5])).isZero();
        float[] sparse = new float[100];
        sparse[42] = 5;
        // The 98th percentile of 99 zeros and one 5 is 0; dividing by it would blow up.
        assertThat(OutlierClipping.percentile(2).threshold(sparse)).isEqualTo(5);
        assertThat(OutlierClipping.cumulativeSum(2).threshold(sparse)).isEqualTo(5);
    }

    @Test
    void validatesArguments() {
        assertThatThrownBy(() -> OutlierClipping.cumulativeSum(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("percent must be in [0, 100), got 100.0");
        assertThatThrownBy(() -> OutlierClipping.percentile(-1)).hasMessageContaining("got -1.0");
        assertThatThrownBy(() -> OutlierClipping.percentile(Double.NaN)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> new OutlierClipping(OutlierClipping.Method.NONE, 3))
                .hasMessageContaining("percent must be 0 for method NONE, got 3.0");
        assertThatThrownBy(() -> OutlierClipping.none().threshold(new float[] {1, -2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magnitudes[1] is -2.0");
        assertThatThrownBy(() -> OutlierClipping.none().threshold(new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void describesItself() {
        assertThat(OutlierClipping.captumDefault()).hasToString("OutlierClipping[CUMULATIVE_SUM 2%]");
        assertThat(OutlierClipping.percentile(0.5)).hasToString("OutlierClipping[PERCENTILE 0.5%]");
        assertThat(OutlierClipping.none()).hasToString("OutlierClipping[NONE]");
    }
}
