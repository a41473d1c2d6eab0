package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Resizing and normalization of maps, shared by the activation mappers, the network comparison and the sanity checks.
 *
 * <p><b>Bilinear convention.</b> Resizing uses PIL's bilinear (triangle) filter with half-pixel centers, the filter
 * of xai-viz's {@code Resampling} (the two are checked to agree in xai-viz-nd4j's tests): when enlarging, output pixel
 * {@code y} samples the source at {@code (y + 0.5) * h / H - 0.5}, clamped to the border, which is what PyTorch's
 * {@code F.interpolate(..., mode="bilinear", align_corners=False)}, OpenCV's {@code cv2.resize} (used by
 * pytorch-grad-cam) and TensorFlow 2's {@code tf.image.resize} do; when shrinking, the filter widens by the scale
 * factor (PIL's antialiasing) so every source pixel counts. Resizing to the same size is the identity.
 */
public final class Heatmaps {

    private Heatmaps() { }

    /** Bilinearly resizes maps {@code [n, h, w]} or {@code [n, c, h, w]} to {@code height x width}, in DOUBLE (see the class comment). */
    public static INDArray upsample(INDArray maps, long height, long width) {
        if (maps == null || (maps.rank() != 3 && maps.rank() != 4)) {
            throw new IllegalArgumentException("maps must be [n, h, w] or [n, c, h, w], got "
                    + (maps == null ? "null" : Arrays.toString(maps.shape())));
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
        long[] shape = maps.shape();
        int r = shape.length;
        long h = shape[r - 2];
        long w = shape[r - 1];
        long batch = maps.length() / (h * w);
        INDArray x = maps.castTo(DataType.DOUBLE).reshape('c', batch, h, w);
        INDArray out = rightMultiply(leftMultiply(interpolation(height, h), x), interpolation(width, w));
        long[] outShape = shape.clone();
        outShape[r - 2] = height;
        outShape[r - 1] = width;
        return out.reshape('c', outShape);
    }

    /**
     * Bilinearly resizes maps {@code [n, h, w]} or {@code [n, c, h, w]} with corners aligned: output pixel {@code y}
     * samples the source at {@code y * (h - 1) / (H - 1)}, so the corner pixels map onto each other. PyTorch's
     * {@code UpsamplingBilinear2d} ({@code F.interpolate(..., align_corners=True)}), which pytorch-grad-cam's Score-CAM
     * uses for its masks; not the convention of {@link #upsample}.
     */
    static INDArray upsampleAlignCorners(INDArray maps, long height, long width) {
        long[] shape = maps.shape();
        int r = shape.length;
        long h = shape[r - 2];
        long w = shape[r - 1];
        INDArray x = maps.castTo(DataType.DOUBLE).reshape('c', maps.length() / (h * w), h, w);
        INDArray out = rightMultiply(leftMultiply(alignedInterpolation(height, h), x), alignedInterpolation(width, w));
        long[] outShape = shape.clone();
        outShape[r - 2] = height;
        outShape[r - 1] = width;
        return out.reshape('c', outShape);
    }

    /** The {@code [out, in]} matrix of linear interpolation with aligned corners (see {@link #upsampleAlignCorners}). */
    static INDArray alignedInterpolation(long out, long in) {
        double[][] m = new double[(int) out][(int) in];
        double scale = out > 1 ? (double) (in - 1) / (out - 1) : 0;
        for (int o = 0; o < out; o++) {
            double source = o * scale;
            int lo = (int) Math.min(Math.floor(source), in - 1);
            int hi = (int) Math.min(lo + 1, in - 1);
            double t = source - lo;
            m[o][lo] += 1 - t;
            m[o][hi] += t;
        }
        return Nd4j.create(m);
    }

    /**
     * The {@code [out, in]} matrix of PIL's 1-D bilinear (triangle) filter with half-pixel centers: support one source
     * pixel when enlarging, {@code in / out} pixels when shrinking, weights normalized over the taps inside the image.
     */
    static INDArray interpolation(long out, long in) {
        double[][] m = new double[(int) out][(int) in];
        double scale = (double) in / out;
        double support = Math.max(scale, 1.0);
        for (int o = 0; o < out; o++) {
            double center = (o + 0.5) * scale;
            int lo = (int) Math.max(0, Math.floor(center - support + 0.5));
            int hi = (int) Math.min(in, Math.floor(center + support + 0.5));
            double total = 0;
            for (int j = lo; j < hi; j++) {
                m[o][j] = Math.max(0.0, 1.0 - Math.abs((j + 0.5 - center) / support));
                total += m[o][j];
            }
            for (int j = lo; j < hi; j++) {
                m[o][j] /= total;
            }
        }
        return Nd4j.create(m);
    }

    /** {@code R . X_i} for every matrix of {@code x [n, h, w]} with {@code r [H, h]}: {@code [n, H, w]}. */
    static INDArray leftMultiply(INDArray r, INDArray x) {
        long n = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        INDArray stacked = x.permute(1, 0, 2).dup('c').reshape('c', h, n * w);
        return r.mmul(stacked).reshape('c', r.size(0), n, w).permute(1, 0, 2).dup('c');
    }

    /** {@code X_i . R^T} for every matrix of {@code x [n, h, w]} with {@code r [W, w]}: {@code [n, h, W]}. */
    static INDArray rightMultiply(INDArray x, INDArray r) {
        long n = x.size(0);
        long h = x.size(1);
        return x.dup('c').reshape('c', n * h, x.size(2)).mmul(r.transpose()).reshape('c', n, h, r.size(0));
    }

    /** Normalizes each map of {@code [n, ...]} on its own (see {@link Normalization}); returns a new DOUBLE array. */
    public static INDArray normalize(INDArray maps, Normalization normalization) {
        if (normalization == null) {
            throw new NullPointerException("normalization must not be null; expected one of "
                    + Arrays.toString(Normalization.values()));
        }
        INDArray out = maps.castTo(DataType.DOUBLE).dup('c');
        if (normalization == Normalization.NONE) {
            return out;
        }
        long n = out.size(0);
        INDArray rows = out.reshape('c', n, out.length() / n);
        for (int i = 0; i < n; i++) {
            INDArray row = rows.getRow(i);
            double max = row.maxNumber().doubleValue();
            double min = row.minNumber().doubleValue();
            if (normalization == Normalization.MIN_MAX) {
                double range = max - min;
                if (range > 0 && Double.isFinite(range)) {
                    row.subi(min).divi(range);
                } else {
                    row.assign(0);
                }
            } else {
                double scale = Math.max(Math.abs(max), Math.abs(min));
                if (scale > 0 && Double.isFinite(scale)) {
                    row.divi(scale);
                } else {
                    row.assign(0);
                }
            }
        }
        return out;
    }
}
