package org.xai4j.viz.attribution;

import java.util.Objects;
import org.xai4j.viz.AttributionMap;

/**
 * Normalizes attribution maps for display, following Captum's {@code _normalize_attr}: reduce the channels,
 * keep the values of the chosen {@link SignMode sign}, find an outlier-clipped scale and divide by it, clipping
 * to the output range. Unlike Captum, an all-zero map does not fail ("Cannot normalize by scale factor = 0",
 * Captum issue #959) but normalizes to zeros.
 *
 * @param sign which attributions to keep
 * @param reduction how channels are combined
 * @param clipping how the scale is chosen
 */
public record AttributionNormalizer(SignMode sign, ChannelReduction reduction, OutlierClipping clipping) {

    /**
     * Validates the arguments.
     *
     * @param sign which attributions to keep
     * @param reduction how channels are combined
     * @param clipping how the scale is chosen
     * @throws NullPointerException if an argument is null
     */
    public AttributionNormalizer {
        Objects.requireNonNull(sign, "sign must not be null");
        Objects.requireNonNull(reduction, "reduction must not be null");
        Objects.requireNonNull(clipping, "clipping must not be null");
    }

    /**
     * Returns Captum's defaults: {@link SignMode#ABSOLUTE}, {@link ChannelReduction#SUM}, cumulative-sum clipping
     * of 2%.
     *
     * @return the normalizer
     */
    public static AttributionNormalizer captumDefaults() {
        return new AttributionNormalizer(SignMode.ABSOLUTE, ChannelReduction.SUM, OutlierClipping.captumDefault());
    }

    /**
     * Normalizes a map.
     *
     * <p>With threshold {@code t} from {@link OutlierClipping#threshold(float[])} applied to the kept magnitudes,
     * each reduced value {@code v} becomes: {@code clip(v / t, -1, 1)} for {@link SignMode#ALL};
     * {@code min(max(v, 0) / t, 1)} for {@link SignMode#POSITIVE}; {@code min(max(-v, 0) / t, 1)} for
     * {@link SignMode#NEGATIVE}; {@code min(|v| / t, 1)} for {@link SignMode#ABSOLUTE}. If {@code t} is 0 (all kept
     * values are 0) every output is 0.
     *
     * @param map the attribution map, any number of channels
     * @return the normalized single-channel map
     * @throws NullPointerException if {@code map} is null
     */
    public NormalizedAttribution normalize(AttributionMap map) {
        Objects.requireNonNull(map, "map must not be null");
        float[] reduced = reduction.reduce(map).data();
        float[] magnitudes = new float[reduced.length];
        for (int i = 0; i < reduced.length; i++) {
            float v = reduced[i];
            magnitudes[i] = switch (sign) {
                case ALL, ABSOLUTE -> Math.abs(v);
                case POSITIVE -> Math.max(v, 0f);
                case NEGATIVE -> Math.max(-v, 0f);
            };
        }
        double threshold = clipping.threshold(magnitudes);
        float[] normalized = new float[reduced.length];
        if (threshold > 0) {
            for (int i = 0; i < reduced.length; i++) {
                double scaled = (sign == SignMode.ALL ? reduced[i] : magnitudes[i]) / threshold;
                normalized[i] = (float) Math.max(-1.0, Math.min(1.0, scaled));
            }
        }
        return new NormalizedAttribution(normalized, map.height(), map.width(), sign, threshold);
    }
}
