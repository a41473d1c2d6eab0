package org.xai4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttributionMapTest {

    /** 2 channels, 2 rows, 3 columns; value = 100 * c + 10 * y + x. */
    private static final float[] CHW = {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112};

    @Test
    void indexesInChwOrder() {
        AttributionMap map = new AttributionMap(CHW, 2, 2, 3);
        assertThat(map.get(0, 0, 2)).isEqualTo(2f);
        assertThat(map.get(0, 1, 0)).isEqualTo(10f);
        assertThat(map.get(1, 1, 2)).isEqualTo(112f);
        assertThat(map.size()).isEqualTo(12);
        assertThatThrownBy(() -> map.get(2, 0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> map.get(0, 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void copiesOnTheWayInAndOut() {
        float[] source = CHW.clone();
        AttributionMap map = new AttributionMap(source, 2, 2, 3);
        source[0] = 99;
        map.data()[1] = 99;
        assertThat(map.get(0, 0, 0)).isZero();
        assertThat(map.get(0, 0, 1)).isEqualTo(1f);
    }

    @Test
    void rejectsShapeMismatchNamingBothSizes() {
        assertThatThrownBy(() -> new AttributionMap(new float[10], 3, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 values")
                .hasMessageContaining("3*2*2 = 12");
        assertThatThrownBy(() -> new AttributionMap(new float[0], 0, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels=0");
        assertThatThrownBy(() -> new AttributionMap(null, 1, 1, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rejectsNonFiniteValuesNamingThePosition() {
        float[] data = new float[8];
        data[5] = Float.NaN;
        assertThatThrownBy(() -> new AttributionMap(data, 2, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data[5] (channel 1, y 0, x 1) is NaN")
                .hasMessageContaining("finite");
        data[5] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> new AttributionMap(data, 2, 2, 2)).hasMessageContaining("Infinity");
    }

    @Test
    void convertsFromHwc() {
        // 1x2 pixels, 3 channels interleaved: pixel 0 = (1, 2, 3), pixel 1 = (4, 5, 6).
        AttributionMap map = AttributionMap.fromHwc(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        assertThat(map.data()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThatThrownBy(() -> AttributionMap.fromHwc(new float[5], 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1*2*3 = 6");
    }

    @Test
    void buildsFromRows() {
        AttributionMap map = AttributionMap.fromRows(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThat(map.channels()).isEqualTo(1);
        assertThat(map.height()).isEqualTo(3);
        assertThat(map.width()).isEqualTo(2);
        assertThat(map.get(0, 2, 1)).isEqualTo(6f);
        assertThatThrownBy(() -> AttributionMap.fromRows(new float[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows[1] has 1 values");
        assertThatThrownBy(() -> AttributionMap.fromRows(new float[0][])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summarizesChannels() {
        AttributionMap map = new AttributionMap(CHW, 2, 2, 3);
        assertThat(map.channelSums()).containsExactly(36.0, 636.0);
        assertThat(map.channel(1).data()).containsExactly(100, 101, 102, 110, 111, 112);
        assertThat(map.min()).isZero();
        assertThat(map.max()).isEqualTo(112f);
    }

    @Test
    void comparesByContentAndPrintsShape() {
        AttributionMap a = new AttributionMap(CHW, 2, 2, 3);
        AttributionMap b = new AttributionMap(CHW.clone(), 2, 2, 3);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new AttributionMap(CHW, 2, 3, 2));
        assertThat(a.toString()).isEqualTo("AttributionMap[channels=2, height=2, width=3, min=0.000, max=112.0]");
    }
}
