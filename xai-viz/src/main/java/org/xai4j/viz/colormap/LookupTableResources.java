package org.xai4j.viz.colormap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Parses the bundled {@code .lut} resources written by {@code generate_colormaps.py}. */
final class LookupTableResources {

    /** Number of entries in every bundled table, as in matplotlib's default {@code N}. */
    static final int TABLE_SIZE = 256;

    private LookupTableResources() {
    }

    /**
     * Loads {@code <name>.lut}: {@code #} comment lines, then one {@code rrggbb} hex triple per line.
     *
     * @param name the resource name without extension
     * @return the {@link #TABLE_SIZE} entries
     * @throws IllegalStateException if the resource is missing or malformed, i.e. the jar is broken
     */
    static int[] load(String name) {
        String resource = name + ".lut";
        try (InputStream in = LookupTableResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("colormap resource org/xai4j/viz/colormap/" + resource
                        + " is missing from the classpath; the xai-viz jar is incomplete");
            }
            int[] table = new int[TABLE_SIZE];
            int count = 0;
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (count == TABLE_SIZE || line.length() != 6) {
                    throw new IllegalStateException("colormap resource " + resource + " line " + lineNumber
                            + ": expected " + TABLE_SIZE + " lines of 6 hex digits, got \"" + line + "\"");
                }
                table[count++] = Integer.parseInt(line, 16);
            }
            if (count != TABLE_SIZE) {
                throw new IllegalStateException("colormap resource " + resource + " has " + count
                        + " entries, expected " + TABLE_SIZE);
            }
            return table;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read colormap resource " + resource, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("colormap resource " + resource + " holds a non-hex entry", e);
        }
    }
}
