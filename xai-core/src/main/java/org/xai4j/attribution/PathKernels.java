package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two inner kernels of path-integral attribution, exposed for benchmarking: building interpolation points
 * between a baseline and an input, and accumulating quadrature-weighted gradients. Both work on flattened examples
 * and write into caller-owned arrays, so a loop over steps allocates nothing per step.
 */
public final class PathKernels {

    private PathKernels() { }

    /**
     * Writes {@code points[r] = baseline + alphas[r] * difference} for every row r.
     *
     * @param baseline   {@code [1, d]} flattened baseline
     * @param difference {@code [1, d]} flattened {@code input - baseline}
     * @param alphas     {@code [m, 1]} path positions
     * @param points     {@code [m, d]} output (a view into a batch is fine)
     */
    public static void interpolate(INDArray baseline, INDArray difference, INDArray alphas, INDArray points) {
        // Outer product alphas x difference, then the baseline broadcast over the rows.
        Nd4j.gemm(alphas, difference, points, false, false, 1.0, 0.0);
        points.addiRowVector(baseline);
    }

    /**
     * Adds {@code sum_r weights[r] * gradients[r]} to {@code accumulator}.
     *
     * @param gradients   {@code [m, d]} flattened gradients at the points
     * @param weights     {@code [1, m]} quadrature weights
     * @param accumulator {@code [1, d]} running weighted sum, updated in place
     */
    public static void accumulate(INDArray gradients, INDArray weights, INDArray accumulator) {
        Nd4j.gemm(weights, gradients, accumulator, false, false, 1.0, 1.0);
    }
}
