package org.xai4j.viz.overlay;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.Colormap;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.attribution.NormalizedAttribution;

/**
 * Renders normalized attributions, alone or combined with the input image, as Captum's
 * {@code visualize_image_attr} methods do ({@code heat_map}, {@code blended_heat_map}, {@code masked_image},
 * {@code alpha_scaling}).
 *
 * <p>The map and the image must have the same size; resize low-resolution maps first with
 * {@link NormalizedAttribution#resize}, or use {@link org.xai4j.viz.AttributionVisualizer}, which does. For
 * {@link org.xai4j.viz.attribution.SignMode#ALL} maps, masking and alpha scaling use {@code max(v, 0)}, so
 * negative attributions hide the pixel (as Captum's clipping to {@code [0, 255]} does); use
 * {@link org.xai4j.viz.attribution.SignMode#ABSOLUTE} to show magnitudes.
 */
public final class Overlays {

    /** Captum's default opacity of the heat map in a blended overlay. */
    public static final double DEFAULT_ALPHA = 0.5;

    private Overlays() {
    }

    /**
     * Renders the map alone through a colormap, at the map's resolution.
     *
     * @param attribution the normalized map
     * @param colormap the colormap; for signed maps a diverging one, whose center is value 0
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image of the map's size
     * @throws NullPointerException if an argument is null
     */
    public static BufferedImage heatMap(NormalizedAttribution attribution, Colormap colormap) {
        Objects.requireNonNull(attribution, "attribution must not be null");
        Objects.requireNonNull(colormap, "colormap must not be null");
        int height = attribution.height();
        int width = attribution.width();
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = colormap.rgb(attribution.colormapPosition(y, x));
            }
            result.setRGB(0, y, width, 1, row, 0, width);
        }
        return result;
    }

    /**
     * Blends the heat map over the image: {@code (1 - alpha) * image + alpha * heat}, per channel.
     *
     * @param image the input image
     * @param attribution the normalized map, same size as the image
     * @param colormap the colormap for the heat map
     * @param alpha the heat map's opacity in {@code [0, 1]}; {@value #DEFAULT_ALPHA} is Captum's default
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the sizes differ or {@code alpha} is NaN or outside {@code [0, 1]}
     */
    public static BufferedImage blendedHeatMap(RgbImage image, NormalizedAttribution attribution, Colormap colormap,
                                               double alpha) {
        Objects.requireNonNull(colormap, "colormap must not be null");
        checkSameSize(image, attribution);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        int height = image.height();
        int width = image.width();
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int heat = colormap.rgb(attribution.colormapPosition(y, x));
                int pixel = 0;
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    double mixed = (1 - alpha) * image.get(c, y, x) + alpha * ((heat >> shift) & 0xFF) / 255.0;
                    pixel |= toByte(mixed) << shift;
                }
                row[x] = pixel;
            }
            result.setRGB(0, y, width, 1, row, 0, width);
        }
        return result;
    }

    /**
     * Multiplies the image by the map, so that only attributed pixels stay visible.
     *
     * @param image the input image
     * @param attribution the normalized map, same size as the image
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image, black where the map is 0 (or negative)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the sizes differ
     */
    public static BufferedImage maskedImage(RgbImage image, NormalizedAttribution attribution) {
        checkSameSize(image, attribution);
        int height = image.height();
        int width = image.width();
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double weight = Math.max(0f, attribution.get(y, x));
                row[x] = toByte(image.get(0, y, x) * weight) << 16 | toByte(image.get(1, y, x) * weight) << 8
                        | toByte(image.get(2, y, x) * weight);
            }
            result.setRGB(0, y, width, 1, row, 0, width);
        }
        return result;
    }

    /**
     * Uses the map as the image's alpha channel, so that unattributed pixels become transparent (they show the
     * background of whatever the PNG is displayed on).
     *
     * @param image the input image
     * @param attribution the normalized map, same size as the image
     * @return a new {@link BufferedImage#TYPE_INT_ARGB} image with the image's colors and the map as alpha
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the sizes differ
     */
    public static BufferedImage alphaScaling(RgbImage image, NormalizedAttribution attribution) {
        checkSameSize(image, attribution);
        int height = image.height();
        int width = image.width();
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int alpha = toByte(Math.max(0f, attribution.get(y, x)));
                row[x] = alpha << 24 | image.rgbAt(y, x);
            }
            result.setRGB(0, y, width, 1, row, 0, width);
        }
        return result;
    }

    /**
     * Renders every channel of an activation map as its own heat map, e.g. the 90 neurons of a layer for a
     * {@link org.xai4j.viz.figure.TileGrid}. Values are scaled linearly from the minimum to the maximum of the
     * channel (or of the whole map, see {@link ChannelScaling}); a constant range renders in the colormap's first
     * color.
     *
     * @param activations the activation map, one channel per neuron
     * @param colormap the colormap
     * @param scaling per-channel or shared value range
     * @return one {@link BufferedImage#TYPE_INT_RGB} image per channel, in channel order, at the map's resolution
     * @throws NullPointerException if an argument is null
     */
    public static List<BufferedImage> channelHeatMaps(AttributionMap activations, Colormap colormap,
                                                      ChannelScaling scaling) {
        Objects.requireNonNull(activations, "activations must not be null");
        Objects.requireNonNull(colormap, "colormap must not be null");
        Objects.requireNonNull(scaling, "scaling must not be null");
        float[] data = activations.data();
        int height = activations.height();
        int width = activations.width();
        int plane = height * width;
        float globalMin = activations.min();
        float globalMax = activations.max();
        List<BufferedImage> tiles = new ArrayList<>(activations.channels());
        int[] row = new int[width];
        for (int c = 0; c < activations.channels(); c++) {
            float min = globalMin;
            float max = globalMax;
            if (scaling == ChannelScaling.PER_CHANNEL) {
                min = Float.POSITIVE_INFINITY;
                max = Float.NEGATIVE_INFINITY;
                for (int i = c * plane, end = i + plane; i < end; i++) {
                    min = Math.min(min, data[i]);
                    max = Math.max(max, data[i]);
                }
            }
            double range = (double) max - min;
            BufferedImage tile = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double t = range > 0 ? (data[c * plane + y * width + x] - (double) min) / range : 0;
                    row[x] = colormap.rgb(t);
                }
                tile.setRGB(0, y, width, 1, row, 0, width);
            }
            tiles.add(tile);
        }
        return tiles;
    }

    /**
     * Renders convolution-filter weights as a small image, scaling all channels jointly from their minimum
     * (black) to their maximum (full intensity): the usual picture of first-layer filters. Tile many with
     * {@link org.xai4j.viz.figure.TileGrid} using {@link org.xai4j.viz.figure.TileScaling#PIXELATED}.
     *
     * @param weights one filter: 3 channels (rendered as RGB) or 1 channel (rendered gray)
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image of the filter's size; black if all weights are equal
     * @throws NullPointerException if {@code weights} is null
     * @throws IllegalArgumentException if the filter has neither 1 nor 3 channels
     */
    public static BufferedImage filterImage(AttributionMap weights) {
        Objects.requireNonNull(weights, "weights must not be null");
        if (weights.channels() != 1 && weights.channels() != 3) {
            throw new IllegalArgumentException("filter must have 1 (gray) or 3 (RGB) channels, got "
                    + weights.channels() + "; render other filters per channel with channelHeatMaps");
        }
        float min = weights.min();
        double range = (double) weights.max() - min;
        int height = weights.height();
        int width = weights.width();
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int pixel = 0;
                for (int c = 0; c < 3; c++) {
                    float value = weights.get(weights.channels() == 1 ? 0 : c, y, x);
                    pixel |= toByte(range > 0 ? (value - (double) min) / range : 0) << (16 - 8 * c);
                }
                result.setRGB(x, y, pixel);
            }
        }
        return result;
    }

    private static void checkSameSize(RgbImage image, NormalizedAttribution attribution) {
        Objects.requireNonNull(image, "image must not be null");
        Objects.requireNonNull(attribution, "attribution must not be null");
        if (image.height() != attribution.height() || image.width() != attribution.width()) {
            throw new IllegalArgumentException(String.format(
                    "attribution is %dx%d (height x width) but the image is %dx%d; resize the attribution first "
                            + "(NormalizedAttribution.resize) or use AttributionVisualizer, which does",
                    attribution.height(), attribution.width(), image.height(), image.width()));
        }
    }

    private static int toByte(double value) {
        return (int) Math.round(Math.max(0, Math.min(1, value)) * 255);
    }
}
