package org.xai4j.viz.attribution;

import java.util.Objects;
import org.xai4j.viz.AttributionMap;

/**
 * How a multi-channel attribution (one value per color channel and pixel) is reduced to one value per pixel
 * before display.
 */
public enum ChannelReduction {

    /**
     * Sums the channels, keeping the sign, as Captum does ({@code np.sum(attr, axis=2)}); channels with opposite
     * signs cancel.
     */
    SUM,
    /**
     * Takes, per pixel, the channel value of largest magnitude and keeps its sign, so that with
     * {@link SignMode#ABSOLUTE} it is the {@code max_c |a_c|} of Simonyan et al.'s saliency maps, and with the
     * other sign modes the dominant channel decides the sign. Ties go to the lowest channel.
     */
    MAX_ABS;

    /**
     * Reduces a map to a single channel; a single-channel map is returned unchanged.
     *
     * @param map the map to reduce
     * @return a single-channel map of the same height and width
     * @throws NullPointerException if {@code map} is null
     */
    public AttributionMap reduce(AttributionMap map) {
        Objects.requireNonNull(map, "map must not be null");
        if (map.channels() == 1) {
            return map;
        }
        float[] data = map.data();
        int plane = map.height() * map.width();
        float[] reduced = new float[plane];
        for (int i = 0; i < plane; i++) {
            if (this == SUM) {
                double sum = 0;
                for (int c = 0; c < map.channels(); c++) {
                    sum += data[c * plane + i];
                }
                reduced[i] = (float) sum;
            } else {
                float best = data[i];
                for (int c = 1; c < map.channels(); c++) {
                    float value = data[c * plane + i];
                    if (Math.abs(value) > Math.abs(best)) {
                        best = value;
                    }
                }
                reduced[i] = best;
            }
        }
        return AttributionMap.ofSingleChannel(reduced, map.height(), map.width());
    }
}
