package org.xai4j.viz.colormap;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.xai4j.viz.Colormap;

/**
 * The bundled colormaps: matplotlib's 256-entry lookup tables, rounded to 8 bits per channel.
 *
 * <p>The tables are generated from matplotlib by {@code src/main/python/generate_colormaps.py} and shipped as
 * resources ({@code org/xai4j/viz/colormap/<name>.lut}), so no Python is needed at run time. Each is loaded on
 * first use.
 *
 * <p>Sequential maps suit magnitudes in {@code [0, 1]}; the {@link #isDiverging() diverging} maps
 * ({@link #RDBU}, {@link #COOLWARM}) suit signed values, with 0 at the table's center.
 */
public enum StandardColormap implements Colormap {

    /** matplotlib's default: perceptually uniform, dark purple to yellow. */
    VIRIDIS("viridis", "viridis", false),
    /** Perceptually uniform, black through purple and orange to pale yellow. */
    MAGMA("magma", "magma", false),
    /** Perceptually uniform, black through purple and orange to bright yellow. */
    INFERNO("inferno", "inferno", false),
    /** Perceptually uniform, deep blue through magenta to yellow. */
    PLASMA("plasma", "plasma", false),
    /** Google's Turbo rainbow, an improved {@link #JET}. */
    TURBO("turbo", "turbo", false),
    /** The classic rainbow from dark blue to dark red, as in most Grad-CAM figures. */
    JET("jet", "jet", false),
    /** Black to white. */
    GRAY("gray", "gray", false),
    /** ColorBrewer's diverging red (low) to blue (high), near-white center. */
    RDBU("RdBu", "rdbu", true),
    /** Moreland's diverging blue (low) to red (high), light gray center. */
    COOLWARM("coolwarm", "coolwarm", true);

    private final String matplotlibName;
    private final String resourceName;
    private final boolean diverging;
    // Loaded lazily so that using one map does not parse all nine files; volatile for safe publication.
    private volatile int[] table;

    StandardColormap(String matplotlibName, String resourceName, boolean diverging) {
        this.matplotlibName = matplotlibName;
        this.resourceName = resourceName;
        this.diverging = diverging;
    }

    /**
     * Returns matplotlib's name for this map, e.g. {@code "RdBu"}.
     *
     * @return the matplotlib name
     */
    @Override
    public String toString() {
        return matplotlibName;
    }

    /**
     * Returns matplotlib's name for this map, e.g. {@code "RdBu"} (unlike {@link #name()}, the constant's name).
     *
     * @return the matplotlib name
     */
    @Override
    public String displayName() {
        return matplotlibName;
    }

    /**
     * Returns whether this map is diverging, i.e. meant for signed data centered at 0.5 (value 0).
     *
     * @return true for {@link #RDBU} and {@link #COOLWARM}
     */
    public boolean isDiverging() {
        return diverging;
    }

    @Override
    public int size() {
        return LookupTableResources.TABLE_SIZE;
    }

    @Override
    public int rgbAt(int index) {
        return table()[Objects.checkIndex(index, LookupTableResources.TABLE_SIZE)];
    }

    @Override
    public int[] lookupTable() {
        return table().clone();
    }

    private int[] table() {
        int[] loaded = table;
        if (loaded == null) {
            // Racing threads may both load; the tables are identical, so the last write wins harmlessly.
            loaded = LookupTableResources.load(resourceName);
            table = loaded;
        }
        return loaded;
    }

    /**
     * Finds a bundled colormap by matplotlib name or enum constant name, case-insensitively. A {@code _r}
     * suffix (e.g. {@code "RdBu_r"}) returns the {@link #reversed() reversed} map.
     *
     * @param name the colormap name
     * @return the colormap
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if no bundled colormap has that name
     */
    public static Colormap fromName(String name) {
        Objects.requireNonNull(name, "name must not be null; expected a colormap name such as \"viridis\"");
        String trimmed = name.trim();
        boolean reversed = trimmed.length() > 2 && trimmed.toLowerCase(Locale.ROOT).endsWith("_r");
        String base = reversed ? trimmed.substring(0, trimmed.length() - 2) : trimmed;
        for (StandardColormap map : values()) {
            if (map.matplotlibName.equalsIgnoreCase(base) || map.name().equalsIgnoreCase(base)) {
                return reversed ? map.reversed() : map;
            }
        }
        String known = Arrays.stream(values()).map(StandardColormap::displayName).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown colormap \"" + name + "\"; expected one of " + known + " (optionally with suffix _r)");
    }
}
