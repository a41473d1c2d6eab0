package org.xai4j.viz.nd4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.RgbImage;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class ImageArraysTest {

    private static RgbImage randomImage(long seed, int height, int width) {
        Random random = new Random(seed);
        float[] chw = new float[3 * height * width];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat();
        }
        return new RgbImage(chw, height, width);
    }

    @Test
    void batchHoldsEveryPixelAtItsNchwIndex() {
        RgbImage a = randomImage(1, 4, 5);
        RgbImage b = randomImage(2, 4, 5);
        INDArray batch = ImageArrays.toBatch(a, b);
        assertThat(batch.shape()).containsExactly(2, 3, 4, 5);
        assertThat(batch.dataType()).isEqualTo(DataType.FLOAT);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    assertThat(batch.getFloat(0, c, y, x)).isEqualTo(a.get(c, y, x));
                    assertThat(batch.getFloat(1, c, y, x)).isEqualTo(b.get(c, y, x));
                }
            }
        }
        assertThat(ImageArrays.toImage(batch, 1)).isEqualTo(b);
        assertThat(ImageArrays.toImage(batch.castTo(DataType.DOUBLE), 0)).isEqualTo(a);
    }

    @Test
    void imagesAreClippedToTheUnitRange() {
        INDArray batch = Nd4j.create(new double[] {-0.5, 0.25, 1.5}, new long[] {1, 3, 1, 1});
        RgbImage image = ImageArrays.toImage(batch, 0);
        assertThat(image.data()).containsExactly(0f, 0.25f, 1f);
    }

    @Test
    void mapsKeepChannelsOrBecomeSingleChannel() {
        INDArray chw = Nd4j.rand(DataType.DOUBLE, 3, 4, 5).subi(0.5);
        AttributionMap map = ImageArrays.toMap(chw);
        assertThat(map.channels()).isEqualTo(3);
        assertThat(map.get(2, 3, 1)).isEqualTo(chw.getFloat(2, 3, 1));
        assertAllClose(ImageArrays.toArray(map), chw.castTo(DataType.FLOAT), 0, 0);

        INDArray cams = Nd4j.rand(DataType.DOUBLE, 2, 4, 5);
        AttributionMap second = ImageArrays.toMap(cams, 1);
        assertThat(second.channels()).isEqualTo(1);
        assertThat(second.get(0, 2, 4)).isEqualTo(cams.getFloat(1, 2, 4));

        INDArray attributions = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);
        assertAllClose(ImageArrays.toArray(ImageArrays.toMap(attributions, 1)),
                attributions.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)), 0, 0);
        assertThat(ImageArrays.toMap(cams.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0))).height()).isEqualTo(4);
    }

    @Test
    void badShapesAndIndicesAreNamed() {
        assertThatThrownBy(() -> ImageArrays.toBatch(randomImage(1, 2, 2), randomImage(1, 3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[1] is 3x2");
        assertThatThrownBy(() -> ImageArrays.toBatch(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageArrays.toBatch((RgbImage) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ImageArrays.toImage(Nd4j.zeros(1, 4, 2, 2), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 4, 2, 2]");
        assertThatThrownBy(() -> ImageArrays.toImage(Nd4j.zeros(2, 3, 2, 2), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2");
        assertThatThrownBy(() -> ImageArrays.toMap(Nd4j.zeros(1, 1, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toMap(batch, index)");
        assertThatThrownBy(() -> ImageArrays.toMap(Nd4j.zeros(2, 2), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageArrays.toMap(Nd4j.create(new double[] {Double.NaN}, new long[] {1, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }
}
