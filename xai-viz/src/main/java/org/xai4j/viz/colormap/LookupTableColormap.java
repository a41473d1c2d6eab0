package org.xai4j.viz.colormap;

import java.util.Arrays;
import java.util.Objects;
import org.xai4j.viz.Colormap;

/**
 * A colormap backed by a user-supplied lookup table, e.g. a reversed {@link StandardColormap} or a
 * two-color ramp for a house style. Immutable: the table is copied on the way in and out.
 */
public final class LookupTableColormap implements Colormap {

    private final String name;
    private final int[] table;

    /**
     * Creates a colormap from explicit table entries.
     *
     * @param name a name for messages and {@link #toString()}, non-blank
     * @param rgbTable the entries, each {@code 0xRRGGBB}; at least 2 (copied)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is blank, the table has fewer than 2 entries or an entry is
     *     outside {@code [0, 0xFFFFFF]}
     */
    public LookupTableColormap(String name, int[] rgbTable) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(rgbTable, "rgbTable must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (rgbTable.length < 2) {
            throw new IllegalArgumentException("rgbTable must have at least 2 entries, got " + rgbTable.length);
        }
        int[] copy = rgbTable.clone();
        for (int i = 0; i < copy.length; i++) {
            if ((copy[i] & ~0xFFFFFF) != 0) {
                throw new IllegalArgumentException(String.format(
                        "rgbTable[%d] = 0x%08X is not an opaque 0xRRGGBB color; expected a value in [0, 0xFFFFFF]",
                        i, copy[i]));
            }
        }
        this.name = name;
        this.table = copy;
    }

    /**
     * Creates a {@code size}-entry map that interpolates linearly (in sRGB) through evenly spaced color stops,
     * like matplotlib's {@code LinearSegmentedColormap.from_list}.
     *
     * @param name a name for messages and {@link #toString()}, non-blank
     * @param size the number of table entries, at least 2
     * @param rgbStops the colors, each {@code 0xRRGGBB}, at least 2; the first is at 0 and the last at 1
     * @return the colormap
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code size} or the stop count is below 2 or a stop is not
     *     {@code 0xRRGGBB}
     */
    public static LookupTableColormap linear(String name, int size, int... rgbStops) {
        Objects.requireNonNull(rgbStops, "rgbStops must not be null");
        if (size < 2) {
            throw new IllegalArgumentException("size must be at least 2, got " + size);
        }
        if (rgbStops.length < 2) {
            throw new IllegalArgumentException("need at least 2 color stops, got " + rgbStops.length);
        }
        for (int i = 0; i < rgbStops.length; i++) {
            if ((rgbStops[i] & ~0xFFFFFF) != 0) {
                throw new IllegalArgumentException(String.format(
                        "rgbStops[%d] = 0x%08X is not an opaque 0xRRGGBB color; expected a value in [0, 0xFFFFFF]",
                        i, rgbStops[i]));
            }
        }
        int[] table = new int[size];
        int segments = rgbStops.length - 1;
        for (int i = 0; i < size; i++) {
            double position = (double) i / (size - 1) * segments;
            int segment = Math.min((int) position, segments - 1);
            double fraction = position - segment;
            table[i] = mix(rgbStops[segment], rgbStops[segment + 1], fraction);
        }
        return new LookupTableColormap(name, table);
    }

    private static int mix(int from, int to, double fraction) {
        int result = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (from >> shift) & 0xFF;
            int b = (to >> shift) & 0xFF;
            result |= (int) Math.round(a + (b - a) * fraction) << shift;
        }
        return result;
    }

    @Override
    public String displayName() {
        return name;
    }

    @Override
    public int size() {
        return table.length;
    }

    @Override
    public int rgbAt(int index) {
        return table[Objects.checkIndex(index, table.length)];
    }

    @Override
    public int[] lookupTable() {
        return table.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LookupTableColormap that && name.equals(that.name) && Arrays.equals(table, that.table);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(table);
    }

    @Override
    public String toString() {
        return String.format("LookupTableColormap[name=%s, size=%d, first=#%06x, last=#%06x]",
                name, table.length, table[0], table[table.length - 1]);
    }
}
