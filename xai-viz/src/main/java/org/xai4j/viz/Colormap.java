package org.xai4j.viz;

import org.xai4j.viz.colormap.LookupTableColormap;
import org.xai4j.viz.colormap.StandardColormap;

/**
 * A color lookup table that maps scalars in {@code [0, 1]} to opaque sRGB colors.
 *
 * <p>Indexing follows matplotlib: a value {@code t} selects entry {@code floor(t * size())}, with
 * {@code t = 1} mapped to the last entry, so {@code rgb(0.5)} of a 256-entry map is entry 128. Values below 0
 * or above 1 are clamped to the first or last entry. NaN is "bad data" and maps to {@link #NAN_ARGB},
 * transparent black (matplotlib's default bad color); its opaque {@link #rgb(double) rgb} is black.
 *
 * <p>Colors are packed ints: {@code 0xRRGGBB} for {@code rgb} methods and {@code 0xAARRGGBB} for
 * {@code argb} methods, the layouts {@link java.awt.image.BufferedImage#TYPE_INT_RGB} and
 * {@link java.awt.image.BufferedImage#TYPE_INT_ARGB} use. Implementations are immutable and thread-safe.
 *
 * @see StandardColormap the bundled matplotlib maps
 * @see LookupTableColormap custom maps
 */
public interface Colormap {

    /** The ARGB color for NaN: fully transparent black, as matplotlib's default "bad" color. */
    int NAN_ARGB = 0x00000000;

    /**
     * Returns the name of this colormap as matplotlib spells it, e.g. {@code "viridis"} or {@code "RdBu_r"}.
     *
     * @return the name, never null
     */
    String displayName();

    /**
     * Returns the number of entries in the lookup table.
     *
     * @return the table size, at least 2
     */
    int size();

    /**
     * Looks up one table entry.
     *
     * @param index the entry, in {@code [0, size())}
     * @return the entry as {@code 0xRRGGBB}
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size())}
     */
    int rgbAt(int index);

    /**
     * Returns the table entry that {@code t} selects: {@code floor(t * size())} clamped to
     * {@code [0, size() - 1]}, as matplotlib's {@code Colormap.__call__} does.
     *
     * @param t the value to look up; clamped to {@code [0, 1]}
     * @return the entry index
     * @throws IllegalArgumentException if {@code t} is NaN, which has no entry (see {@link #NAN_ARGB})
     */
    default int index(double t) {
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("t is NaN, which has no table entry; rgb/argb map NaN to NAN_ARGB");
        }
        int last = size() - 1;
        if (t <= 0) {
            return 0;
        }
        if (t >= 1) {
            return last;
        }
        return Math.min((int) (t * size()), last);
    }

    /**
     * Maps a value to an opaque color.
     *
     * @param t the value; clamped to {@code [0, 1]}
     * @return the color as {@code 0xRRGGBB}; black ({@code 0x000000}) for NaN
     */
    default int rgb(double t) {
        return Double.isNaN(t) ? NAN_ARGB & 0xFFFFFF : rgbAt(index(t));
    }

    /**
     * Maps a value to an opaque color with alpha 255.
     *
     * @param t the value; clamped to {@code [0, 1]}
     * @return the color as {@code 0xFFRRGGBB}; {@link #NAN_ARGB} for NaN
     */
    default int argb(double t) {
        return Double.isNaN(t) ? NAN_ARGB : 0xFF000000 | rgbAt(index(t));
    }

    /**
     * Maps a value to a color with the given opacity.
     *
     * @param t the value; clamped to {@code [0, 1]}
     * @param alpha the opacity in {@code [0, 1]}, rounded to 8 bits
     * @return the color as {@code 0xAARRGGBB}; {@link #NAN_ARGB} for NaN
     * @throws IllegalArgumentException if {@code alpha} is NaN or outside {@code [0, 1]}
     */
    default int argb(double t, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (Double.isNaN(t)) {
            return NAN_ARGB;
        }
        return (int) Math.round(alpha * 255) << 24 | rgbAt(index(t));
    }

    /**
     * Maps a value to its color as three floats, for code that composes colors in floating point.
     *
     * @param t the value; clamped to {@code [0, 1]}
     * @return a new array {@code {red, green, blue}} with components in {@code [0, 1]}; black for NaN
     */
    default float[] rgbComponents(double t) {
        int rgb = rgb(t);
        return new float[] {((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f, (rgb & 0xFF) / 255f};
    }

    /**
     * Returns a copy of the whole lookup table.
     *
     * @return a new array of {@link #size()} entries, each {@code 0xRRGGBB}
     */
    default int[] lookupTable() {
        int[] table = new int[size()];
        for (int i = 0; i < table.length; i++) {
            table[i] = rgbAt(i);
        }
        return table;
    }

    /**
     * Returns this colormap run backwards, named with matplotlib's {@code _r} suffix (or without it, if this
     * map already is a reversed one).
     *
     * @return the reversed colormap
     */
    default Colormap reversed() {
        int[] table = lookupTable();
        int[] flipped = new int[table.length];
        for (int i = 0; i < table.length; i++) {
            flipped[i] = table[table.length - 1 - i];
        }
        String name = displayName();
        name = name.endsWith("_r") ? name.substring(0, name.length() - 2) : name + "_r";
        return new LookupTableColormap(name, flipped);
    }

    /**
     * Looks up a bundled colormap by its matplotlib name, case-insensitively; a {@code _r} suffix returns the
     * reversed map, as in matplotlib (e.g. {@code "RdBu_r"}).
     *
     * @param name the colormap name, e.g. {@code "viridis"}, {@code "turbo"}, {@code "coolwarm"}
     * @return the colormap
     * @throws IllegalArgumentException if no bundled colormap has that name; the message lists the known names
     */
    static Colormap fromName(String name) {
        return StandardColormap.fromName(name);
    }
}
