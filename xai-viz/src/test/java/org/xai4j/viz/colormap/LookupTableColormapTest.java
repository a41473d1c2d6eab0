package org.xai4j.viz.colormap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LookupTableColormapTest {

    @Test
    void linearInterpolatesBetweenStops() {
        LookupTableColormap map = LookupTableColormap.linear("fire", 5, 0x000000, 0xFF0000, 0xFFFFFF);
        assertThat(map.lookupTable()).containsExactly(0x000000, 0x800000, 0xFF0000, 0xFF8080, 0xFFFFFF);
        assertThat(map.rgb(0.5)).isEqualTo(0xFF0000);
        assertThat(map.displayName()).isEqualTo("fire");
    }

    @Test
    void tableIsCopied() {
        int[] table = {0x000000, 0xFFFFFF};
        LookupTableColormap map = new LookupTableColormap("bw", table);
        table[0] = 0x123456;
        assertThat(map.rgbAt(0)).isZero();
        assertThat(map).isEqualTo(new LookupTableColormap("bw", new int[] {0, 0xFFFFFF}));
        assertThat(map.hashCode()).isEqualTo(new LookupTableColormap("bw", new int[] {0, 0xFFFFFF}).hashCode());
        assertThat(map.toString()).contains("bw", "size=2", "#000000", "#ffffff");
    }

    @Test
    void rejectsInvalidTables() {
        assertThatThrownBy(() -> new LookupTableColormap("x", new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2").hasMessageContaining("1");
        assertThatThrownBy(() -> new LookupTableColormap("x", new int[] {0, 0x1000000}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rgbTable[1]")
                .hasMessageContaining("0x01000000");
        assertThatThrownBy(() -> new LookupTableColormap(" ", new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> new LookupTableColormap(null, new int[] {0, 1})).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LookupTableColormap.linear("x", 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size must be at least 2, got 1");
        assertThatThrownBy(() -> LookupTableColormap.linear("x", 8, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 color stops");
        assertThatThrownBy(() -> LookupTableColormap.linear("x", 8, 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rgbStops[1]");
    }
}
