package org.xai4j.sanity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * How explanation maps become one relevance value per pixel, {@code [n, H, W]}: the reduction every check of this
 * package applies (randomization, deletion and insertion, localization), named by what it computes. Maps that are
 * already {@code [n, H, W]} (class activation maps) have one channel: the sum is the map itself.
 */
public enum PixelRelevance {

    /** {@code sum_c a_c}, keeping the sign: channels with opposite signs cancel. */
    SUM,

    /**
     * {@code |sum_c a_c|}: what Captum's {@code visualize_image_attr} shows with {@code sign="absolute_value"} (it sums
     * the channels, then takes the absolute value), and xai-viz's {@code ChannelReduction.SUM} with
     * {@code SignMode.ABSOLUTE}. The default of the checks, so that they rank pixels as the overlays show them.
     */
    ABSOLUTE_SUM,

    /**
     * {@code sum_c |a_c|}: the grayscale map of the PAIR saliency library ({@code VisualizeImageGrayscale}), used by
     * Adebayo et al.'s sanity checks; channels never cancel.
     */
    SUM_OF_ABSOLUTE_VALUES;

    /**
     * Reduces maps to one value per pixel.
     *
     * @param maps {@code [n, C, H, W]} or {@code [n, H, W]}, any floating-point type
     * @return a new DOUBLE array {@code [n, H, W]}
     * @throws IllegalArgumentException if the maps are null or of another rank
     */
    public INDArray reduce(INDArray maps) {
        if (maps == null || (maps.rank() != 3 && maps.rank() != 4)) {
            throw new IllegalArgumentException("maps must be [n, H, W] or [n, C, H, W], got "
                    + (maps == null ? "null" : Arrays.toString(maps.shape())));
        }
        INDArray m = maps.castTo(DataType.DOUBLE);
        if (this == SUM_OF_ABSOLUTE_VALUES) {
            m = Transforms.abs(m, true);
        }
        INDArray summed = m.rank() == 4 ? m.sum(1) : m.dup();
        return this == ABSOLUTE_SUM ? Transforms.abs(summed, false) : summed;
    }
}
