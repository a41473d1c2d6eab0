package org.xai4j.examples;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.models.toy.Mask;

/** Small conversions for the study's checks (the checks themselves are {@code org.xai4j.sanity}). */
final class Metrics {

    private Metrics() {
    }

    /** Per-pixel relevance of an input attribution {@code [1, C, H, W]}: |sum over channels|, as {@code [1, H, W]}. */
    static INDArray pixelRelevanceMap(INDArray attribution) {
        INDArray a = attribution.rank() == 4 ? attribution.get(NDArrayIndex.point(0)) : attribution;
        INDArray s = org.nd4j.linalg.ops.transforms.Transforms.abs(a.castTo(DataType.DOUBLE).sum(0), false);
        return s.reshape(1, s.size(0), s.size(1));
    }

    /** A ground-truth mask as a {@code [1, H, W]} array (1 inside). */
    static INDArray mask(Mask mask) {
        float[] f = mask.toFloatArray();
        return Nd4j.create(f, new long[] {1, mask.height(), mask.width()}, 'c').castTo(DataType.DOUBLE);
    }

    /** The mean of the finite values (NaN if none). */
    static double mean(List<Double> v) {
        return v.stream().filter(d -> Double.isFinite(d)).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
