package org.xai4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictionsTest {

    @Test
    void argMaxPerRowWithNumpyTieAndNanRules() {
        INDArray scores = Nd4j.create(new double[][] {
                {0.1, 0.7, 0.2},
                {3, 3, 1},            // tie: lowest index, as numpy.argmax
                {-5, -1, -2},
                {1, Double.NaN, 9},   // NaN counts as the largest, as numpy.argmax
        });
        assertThat(Predictions.argMax(scores)).containsExactly(1, 0, 1, 1);
        assertThat(Predictions.argMax(scores.castTo(DataType.FLOAT))).containsExactly(1, 0, 1, 1);
        assertThat(Predictions.argMax(scores.transpose().transpose())).containsExactly(1, 0, 1, 1);
    }

    @Test
    void argMaxAgreesWithAnExhaustiveSearchOnRandomScores() {
        INDArray scores = Nd4j.getRandomFactory().getNewRandomInstance(7).nextGaussian(new long[] {50, 13});
        int[] best = Predictions.argMax(scores);
        for (int i = 0; i < 50; i++) {
            for (int c = 0; c < 13; c++) {
                assertThat(scores.getDouble(i, best[i])).isGreaterThanOrEqualTo(scores.getDouble(i, c));
            }
        }
    }

    @Test
    void rejectsWhatIsNotAScoreMatrix() {
        assertThatThrownBy(() -> Predictions.argMax(Nd4j.zeros(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3]");
        assertThatThrownBy(() -> Predictions.argMax(null)).isInstanceOf(NullPointerException.class);
    }
}
