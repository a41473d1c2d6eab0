package org.xai4j.sanity;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class PixelRelevanceTest {

    /** One image, two channels, one row of two pixels: (3, -1) and (-2, -2). */
    private static final INDArray MAPS = Nd4j.create(new double[] {3, -2, -1, -2}, new long[] {1, 2, 1, 2}, 'c');

    @Test
    void eachReductionComputesWhatItsNameSays() {
        assertAllClose(PixelRelevance.SUM.reduce(MAPS), Nd4j.create(new double[] {2, -4}, new long[] {1, 1, 2}), 0, 0);
        assertAllClose(PixelRelevance.ABSOLUTE_SUM.reduce(MAPS), Nd4j.create(new double[] {2, 4}, new long[] {1, 1, 2}),
                0, 0);
        assertAllClose(PixelRelevance.SUM_OF_ABSOLUTE_VALUES.reduce(MAPS),
                Nd4j.create(new double[] {4, 4}, new long[] {1, 1, 2}), 0, 0);
    }

    @Test
    void singleChannelMapsAreTheirOwnSum() {
        INDArray cam = Nd4j.create(new double[] {-1, 2}, new long[] {1, 1, 2}).castTo(DataType.FLOAT);
        assertAllClose(PixelRelevance.SUM.reduce(cam), cam, 0, 0);
        assertAllClose(PixelRelevance.ABSOLUTE_SUM.reduce(cam), Nd4j.create(new double[] {1, 2}, new long[] {1, 1, 2}),
                0, 0);
        assertThatThrownBy(() -> PixelRelevance.SUM.reduce(Nd4j.zeros(2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2]");
    }
}
