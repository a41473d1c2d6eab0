package org.xai4j.viz;

import java.awt.image.BufferedImage;
import java.util.Objects;
import org.xai4j.viz.attribution.AttributionNormalizer;
import org.xai4j.viz.attribution.ChannelReduction;
import org.xai4j.viz.attribution.NormalizedAttribution;
import org.xai4j.viz.attribution.OutlierClipping;
import org.xai4j.viz.attribution.SignMode;
import org.xai4j.viz.colormap.StandardColormap;
import org.xai4j.viz.overlay.Overlays;
import org.xai4j.viz.transform.PixelAlignment;

/**
 * Renders attribution maps as images, the Java counterpart of Captum's {@code visualize_image_attr}: normalize
 * (sign, channel reduction, outlier clipping), resize to the image if the map is smaller (e.g. a 7x7 Grad-CAM
 * map), then draw with one of the {@link VisualizationMethod methods}.
 *
 * <p>Immutable; configure it with {@link #builder()}:
 * <pre>{@code
 * AttributionVisualizer visualizer = AttributionVisualizer.builder()
 *         .optSign(SignMode.ALL)
 *         .optOverlayAlpha(0.6)
 *         .build();
 * BufferedImage overlay = visualizer.blendedHeatMap(attributions, image);
 * PngWriter.write(overlay, Path.of("overlay.png"));
 * }</pre>
 *
 * <p>Maps are normalized at their own resolution and the normalized values interpolated, so the clipping
 * threshold is computed from real attributions, not interpolated ones. {@link SignMode#ALL} maps are drawn with
 * the diverging colormap (0 at its center), the other modes with the sequential one.
 *
 * @param normalizer how raw attributions become display values
 * @param sequentialColormap the colormap for {@link SignMode#POSITIVE}, {@link SignMode#NEGATIVE} and
 *     {@link SignMode#ABSOLUTE}
 * @param divergingColormap the colormap for {@link SignMode#ALL}
 * @param overlayAlpha the heat map's opacity in blended overlays, in {@code [0, 1]}
 * @param alignment the pixel-grid convention used to resize maps to the image
 */
public record AttributionVisualizer(AttributionNormalizer normalizer, Colormap sequentialColormap,
                                    Colormap divergingColormap, double overlayAlpha, PixelAlignment alignment) {

    /**
     * Validates the configuration.
     *
     * @param normalizer how raw attributions become display values
     * @param sequentialColormap the colormap for {@link SignMode#POSITIVE}, {@link SignMode#NEGATIVE} and
     *     {@link SignMode#ABSOLUTE}
     * @param divergingColormap the colormap for {@link SignMode#ALL}
     * @param overlayAlpha the heat map's opacity in blended overlays, in {@code [0, 1]}
     * @param alignment the pixel-grid convention used to resize maps to the image
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code overlayAlpha} is NaN or outside {@code [0, 1]}
     */
    public AttributionVisualizer {
        Objects.requireNonNull(normalizer, "normalizer must not be null");
        Objects.requireNonNull(sequentialColormap, "sequentialColormap must not be null");
        Objects.requireNonNull(divergingColormap, "divergingColormap must not be null");
        Objects.requireNonNull(alignment, "alignment must not be null");
        if (!(overlayAlpha >= 0 && overlayAlpha <= 1)) {
            throw new IllegalArgumentException("overlayAlpha must be in [0, 1], got " + overlayAlpha);
        }
    }

    /**
     * Starts configuring a visualizer. The defaults are Captum's normalization ({@link SignMode#ABSOLUTE},
     * {@link ChannelReduction#SUM}, 2% cumulative-sum clipping), {@link StandardColormap#VIRIDIS} for magnitudes,
     * {@link StandardColormap#COOLWARM} for signed maps (negative blue, positive red), overlay opacity 0.5 and
     * {@link PixelAlignment#HALF_PIXEL} resizing.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the colormap used for this visualizer's sign mode.
     *
     * @return the diverging colormap for {@link SignMode#ALL}, otherwise the sequential one
     */
    public Colormap colormap() {
        return normalizer.sign().isSigned() ? divergingColormap : sequentialColormap;
    }

    /**
     * Normalizes a map without rendering it.
     *
     * @param attributions the raw attributions
     * @return the normalized single-channel map at the attributions' resolution
     * @throws NullPointerException if {@code attributions} is null
     */
    public NormalizedAttribution normalize(AttributionMap attributions) {
        return normalizer.normalize(attributions);
    }

    /**
     * Renders the map alone at its own resolution.
     *
     * @param attributions the raw attributions
     * @return the heat map
     * @throws NullPointerException if {@code attributions} is null
     */
    public BufferedImage heatMap(AttributionMap attributions) {
        return Overlays.heatMap(normalize(attributions), colormap());
    }

    /**
     * Renders the map alone, resized to the given size.
     *
     * @param attributions the raw attributions
     * @param height the output height, positive
     * @param width the output width, positive
     * @return the heat map
     * @throws NullPointerException if {@code attributions} is null
     * @throws IllegalArgumentException if a size is not positive
     */
    public BufferedImage heatMap(AttributionMap attributions, int height, int width) {
        return Overlays.heatMap(normalize(attributions).resize(height, width, alignment), colormap());
    }

    /**
     * Blends the heat map over the image with {@link #overlayAlpha()} opacity.
     *
     * @param attributions the raw attributions, at the image's or a lower resolution
     * @param image the input image
     * @return the blended image, of the image's size
     * @throws NullPointerException if an argument is null
     */
    public BufferedImage blendedHeatMap(AttributionMap attributions, RgbImage image) {
        return render(attributions, image, VisualizationMethod.BLENDED_HEAT_MAP);
    }

    /**
     * Multiplies the image by the normalized map.
     *
     * @param attributions the raw attributions, at the image's or a lower resolution
     * @param image the input image
     * @return the masked image, of the image's size
     * @throws NullPointerException if an argument is null
     */
    public BufferedImage maskedImage(AttributionMap attributions, RgbImage image) {
        return render(attributions, image, VisualizationMethod.MASKED_IMAGE);
    }

    /**
     * Uses the normalized map as the image's alpha channel.
     *
     * @param attributions the raw attributions, at the image's or a lower resolution
     * @param image the input image
     * @return an ARGB image of the image's size
     * @throws NullPointerException if an argument is null
     */
    public BufferedImage alphaScaling(AttributionMap attributions, RgbImage image) {
        return render(attributions, image, VisualizationMethod.ALPHA_SCALING);
    }

    /**
     * Renders with any method; the map is resized to the image's size when they differ.
     *
     * @param attributions the raw attributions, at any resolution
     * @param image the input image
     * @param method how to show the attribution
     * @return the rendered image, of the image's size
     * @throws NullPointerException if an argument is null
     */
    public BufferedImage render(AttributionMap attributions, RgbImage image, VisualizationMethod method) {
        Objects.requireNonNull(attributions, "attributions must not be null");
        Objects.requireNonNull(image, "image must not be null");
        Objects.requireNonNull(method, "method must not be null");
        if (method == VisualizationMethod.ORIGINAL_IMAGE) {
            return image.toBufferedImage();
        }
        NormalizedAttribution normalized = normalize(attributions).resize(image.height(), image.width(), alignment);
        return switch (method) {
            case HEAT_MAP -> Overlays.heatMap(normalized, colormap());
            case BLENDED_HEAT_MAP -> Overlays.blendedHeatMap(image, normalized, colormap(), overlayAlpha);
            case MASKED_IMAGE -> Overlays.maskedImage(image, normalized);
            case ALPHA_SCALING -> Overlays.alphaScaling(image, normalized);
            case ORIGINAL_IMAGE -> throw new AssertionError("handled above");
        };
    }

    /** Builder: every setting is optional; {@link #build()} validates. */
    public static final class Builder {
        private SignMode sign;
        private ChannelReduction reduction;
        private OutlierClipping clipping;
        private AttributionNormalizer normalizer = AttributionNormalizer.captumDefaults();
        private Colormap sequentialColormap = StandardColormap.VIRIDIS;
        private Colormap divergingColormap = StandardColormap.COOLWARM;
        private double overlayAlpha = Overlays.DEFAULT_ALPHA;
        private PixelAlignment alignment = PixelAlignment.HALF_PIXEL;

        private Builder() {
        }

        /**
         * Sets the whole normalizer (the sign, reduction and clipping options below override its parts).
         *
         * @param attributionNormalizer how raw attributions become display values
         * @return this builder
         */
        public Builder optNormalizer(AttributionNormalizer attributionNormalizer) {
            this.normalizer = attributionNormalizer;
            return this;
        }

        /**
         * Sets which attributions to show (default {@link SignMode#ABSOLUTE}).
         *
         * @param signMode the sign mode
         * @return this builder
         */
        public Builder optSign(SignMode signMode) {
            this.sign = Objects.requireNonNull(signMode, "sign must not be null");
            return this;
        }

        /**
         * Sets how channels are combined (default {@link ChannelReduction#SUM}).
         *
         * @param channelReduction the reduction
         * @return this builder
         */
        public Builder optReduction(ChannelReduction channelReduction) {
            this.reduction = Objects.requireNonNull(channelReduction, "reduction must not be null");
            return this;
        }

        /**
         * Sets how the scale is chosen (default 2% cumulative-sum clipping).
         *
         * @param outlierClipping the clipping
         * @return this builder
         */
        public Builder optClipping(OutlierClipping outlierClipping) {
            this.clipping = Objects.requireNonNull(outlierClipping, "clipping must not be null");
            return this;
        }

        /**
         * Sets the colormap of unsigned maps (default viridis).
         *
         * @param colormap the sequential colormap
         * @return this builder
         */
        public Builder optSequentialColormap(Colormap colormap) {
            this.sequentialColormap = colormap;
            return this;
        }

        /**
         * Sets the colormap of signed maps (default coolwarm); value 0 is drawn with its center entry.
         *
         * @param colormap the diverging colormap
         * @return this builder
         */
        public Builder optDivergingColormap(Colormap colormap) {
            this.divergingColormap = colormap;
            return this;
        }

        /**
         * Sets the heat map's opacity in blended overlays (default 0.5).
         *
         * @param alpha the opacity, in {@code [0, 1]}
         * @return this builder
         */
        public Builder optOverlayAlpha(double alpha) {
            this.overlayAlpha = alpha;
            return this;
        }

        /**
         * Sets the resizing convention (default {@link PixelAlignment#HALF_PIXEL}).
         *
         * @param pixelAlignment the pixel-grid convention
         * @return this builder
         */
        public Builder optAlignment(PixelAlignment pixelAlignment) {
            this.alignment = pixelAlignment;
            return this;
        }

        /**
         * Builds the visualizer.
         *
         * @return the visualizer
         * @throws NullPointerException if a setting is null
         * @throws IllegalArgumentException if the overlay opacity is NaN or outside {@code [0, 1]}
         */
        public AttributionVisualizer build() {
            Objects.requireNonNull(normalizer, "normalizer must not be null");
            AttributionNormalizer combined = new AttributionNormalizer(sign != null ? sign : normalizer.sign(),
                    reduction != null ? reduction : normalizer.reduction(),
                    clipping != null ? clipping : normalizer.clipping());
            return new AttributionVisualizer(combined, sequentialColormap, divergingColormap, overlayAlpha, alignment);
        }
    }
}
