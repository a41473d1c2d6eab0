package org.xai4j.viz.colormap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xai4j.viz.Colormap;

class StandardColormapTest {

    /**
     * Entries typed in from the published tables: matplotlib's {@code _cm_listed.py} (viridis, magma, inferno,
     * plasma, turbo), its segment data sampled at 256 (jet, gray, RdBu, coolwarm), rounded with
     * {@code matplotlib.colors.to_hex}. Neighbouring entries (0/1, 127/128) catch an off-by-one shift.
     */
    @ParameterizedTest(name = "{0}[{1}] = #{2}")
    @CsvSource({
        "VIRIDIS, 0, 440154", "VIRIDIS, 1, 440256", "VIRIDIS, 64, 3b528b", "VIRIDIS, 127, 21908d",
        "VIRIDIS, 128, 21918c", "VIRIDIS, 200, 70cf57", "VIRIDIS, 255, fde725",
        "MAGMA, 0, 000004", "MAGMA, 64, 51127c", "MAGMA, 128, b73779", "MAGMA, 200, fd9869", "MAGMA, 255, fcfdbf",
        "INFERNO, 0, 000004", "INFERNO, 64, 57106e", "INFERNO, 128, bc3754", "INFERNO, 200, fb9d07",
        "INFERNO, 255, fcffa4",
        "PLASMA, 0, 0d0887", "PLASMA, 64, 7e03a8", "PLASMA, 128, cc4778", "PLASMA, 200, fba139", "PLASMA, 255, f0f921",
        "TURBO, 0, 30123b", "TURBO, 1, 321543", "TURBO, 64, 28bceb", "TURBO, 128, a4fc3c", "TURBO, 200, f46617",
        "TURBO, 255, 7a0403",
        "JET, 0, 000080", "JET, 1, 000084", "JET, 64, 0080ff", "JET, 127, 7aff7d", "JET, 128, 7dff7a",
        "JET, 200, ff7700", "JET, 255, 800000",
        "GRAY, 0, 000000", "GRAY, 1, 010101", "GRAY, 127, 7f7f7f", "GRAY, 128, 808080", "GRAY, 200, c8c8c8",
        "GRAY, 255, ffffff",
        "RDBU, 0, 67001f", "RDBU, 64, e58368", "RDBU, 127, f7f6f6", "RDBU, 128, f6f7f7", "RDBU, 200, 4f9bc7",
        "RDBU, 255, 053061",
        "COOLWARM, 0, 3b4cc0", "COOLWARM, 64, 8db0fe", "COOLWARM, 127, dcdddd", "COOLWARM, 128, dddcdc",
        "COOLWARM, 200, f08b6e", "COOLWARM, 255, b40426",
    })
    void entriesMatchPublishedTables(StandardColormap map, int index, String hex) {
        assertThat(Integer.toHexString(0x1000000 | map.rgbAt(index)).substring(1)).isEqualTo(hex);
    }

    @ParameterizedTest
    @EnumSource(StandardColormap.class)
    void everyTableHas256OpaqueEntries(StandardColormap map) {
        int[] table = map.lookupTable();
        assertThat(map.size()).isEqualTo(256);
        assertThat(table).hasSize(256);
        assertThat(Arrays.stream(table)).allMatch(rgb -> (rgb & ~0xFFFFFF) == 0);
        // Not constant: a resource mix-up that loads zeros or one color fails here.
        assertThat(Arrays.stream(table).distinct().count()).isGreaterThan(200);
    }

    @Test
    void valuesSelectEntriesLikeMatplotlib() {
        Colormap viridis = StandardColormap.VIRIDIS;
        assertThat(viridis.rgb(0.0)).isEqualTo(0x440154);
        assertThat(viridis.rgb(0.5)).isEqualTo(viridis.rgbAt(128));
        assertThat(viridis.rgb(0.25)).isEqualTo(viridis.rgbAt(64));
        assertThat(viridis.rgb(0.0039)).isEqualTo(viridis.rgbAt(0)); // floor(0.998)
        assertThat(viridis.rgb(0.0040)).isEqualTo(viridis.rgbAt(1)); // floor(1.024)
        assertThat(viridis.rgb(0.999)).isEqualTo(viridis.rgbAt(255));
        assertThat(viridis.rgb(1.0)).isEqualTo(0xfde725);
    }

    @Test
    void outOfRangeValuesAreClamped() {
        assertThat(StandardColormap.MAGMA.rgb(-3)).isEqualTo(0x000004);
        assertThat(StandardColormap.MAGMA.rgb(7)).isEqualTo(0xfcfdbf);
        assertThat(StandardColormap.MAGMA.rgb(Double.NEGATIVE_INFINITY)).isEqualTo(0x000004);
        assertThat(StandardColormap.MAGMA.rgb(Double.POSITIVE_INFINITY)).isEqualTo(0xfcfdbf);
    }

    @Test
    void nanMapsToTransparentBlack() {
        assertThat(StandardColormap.JET.argb(Double.NaN)).isEqualTo(Colormap.NAN_ARGB).isZero();
        assertThat(StandardColormap.JET.argb(Double.NaN, 0.7)).isZero();
        assertThat(StandardColormap.JET.rgb(Double.NaN)).isEqualTo(0x000000);
        assertThatThrownBy(() -> StandardColormap.JET.index(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void argbAddsOpacity() {
        assertThat(StandardColormap.GRAY.argb(1.0)).isEqualTo(0xFFFFFFFF);
        assertThat(StandardColormap.GRAY.argb(0.0, 0.5)).isEqualTo(0x80000000);
        assertThat(StandardColormap.GRAY.argb(1.0, 0.0)).isEqualTo(0x00FFFFFF);
    }

    @ParameterizedTest
    @CsvSource({"NaN", "-0.1", "1.5"})
    void argbRejectsBadAlpha(double alpha) {
        assertThatThrownBy(() -> StandardColormap.GRAY.argb(0.5, alpha))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha must be in [0, 1]")
                .hasMessageContaining(String.valueOf(alpha));
    }

    @Test
    void rgbComponentsAreFractions() {
        assertThat(StandardColormap.JET.rgbComponents(0.0)).containsExactly(0f, 0f, 128 / 255f);
    }

    @Test
    void findsMapsByMatplotlibNameCaseInsensitively() {
        assertThat(Colormap.fromName("viridis")).isSameAs(StandardColormap.VIRIDIS);
        assertThat(Colormap.fromName("RdBu")).isSameAs(StandardColormap.RDBU);
        assertThat(Colormap.fromName("rdbu")).isSameAs(StandardColormap.RDBU);
        assertThat(Colormap.fromName(" COOLWARM ")).isSameAs(StandardColormap.COOLWARM);
        assertThat(StandardColormap.RDBU.displayName()).isEqualTo("RdBu");
        assertThat(StandardColormap.RDBU.isDiverging()).isTrue();
        assertThat(StandardColormap.TURBO.isDiverging()).isFalse();
    }

    @Test
    void underscoreRSuffixReverses() {
        Colormap reversed = Colormap.fromName("RdBu_r");
        assertThat(reversed.displayName()).isEqualTo("RdBu_r");
        assertThat(reversed.rgbAt(0)).isEqualTo(0x053061);
        assertThat(reversed.rgbAt(255)).isEqualTo(0x67001f);
        assertThat(reversed.reversed().displayName()).isEqualTo("RdBu");
        assertThat(reversed.reversed().lookupTable()).isEqualTo(StandardColormap.RDBU.lookupTable());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Colormap.fromName("parula"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"parula\"")
                .hasMessageContaining("viridis")
                .hasMessageContaining("coolwarm");
        assertThatThrownBy(() -> Colormap.fromName(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void tableCopiesDoNotLeakMutation() {
        int[] table = StandardColormap.VIRIDIS.lookupTable();
        table[0] = 0;
        assertThat(StandardColormap.VIRIDIS.rgbAt(0)).isEqualTo(0x440154);
        assertThatThrownBy(() -> StandardColormap.VIRIDIS.rgbAt(256)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
