package org.xai4j.sanity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/** Reduction of explanation maps to one value per pixel. */
final class Maps {

    private Maps() { }

    /**
     * {@code [n, H, W]} DOUBLE maps: rank-3 maps as they are, rank-4 maps summed over channels; with {@code absolute},
     * absolute values are taken first.
     */
    static INDArray spatial(INDArray maps, boolean absolute, String what) {
        if (maps == null || (maps.rank() != 3 && maps.rank() != 4)) {
            throw new IllegalArgumentException(what + " must be [n, H, W] or [n, C, H, W], got "
                    + (maps == null ? "null" : Arrays.toString(maps.shape())));
        }
        INDArray m = maps.castTo(DataType.DOUBLE);
        if (absolute) {
            m = Transforms.abs(m, true);
        }
        return m.rank() == 4 ? m.sum(1) : m.dup();
    }
}
