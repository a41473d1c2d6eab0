package org.xai4j.features;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lucid's pad, random scale and random rotation as one bilinear resampling per image, and its exact adjoint (the
 * backward pass), for a batch {@code [n, C, H, W]}.
 *
 * <p>Image i is placed on a canvas padded by {@code pad} pixels of a constant fill on every side, scaled by
 * {@code scale[i]} and rotated by {@code angle[i]} about the canvas center, and the canvas is resampled bilinearly onto
 * the model's {@code H x W} grid (as Lucent does when a model needs a fixed input size): output pixel {@code (u, v)}
 * reads the image at
 * <pre>
 *   r = (((u + 0.5) / H - 0.5) (H + 2 pad), ((v + 0.5) / W - 0.5) (W + 2 pad))      (offset from the center)
 *   (y, x) = center + rotate(-angle, r) / scale,   center = ((H - 1) / 2, (W - 1) / 2)
 * </pre>
 * with samples outside the image reading the fill value. With no pad, scale 1 and angle 0 this is the identity. The
 * output is linear in the image (plus the constant fill), so the adjoint is the exact gradient.
 *
 * <p>The sampling plan (corner and fractions of every output pixel) is computed per call in Java, shared by the
 * channels, and kept for the adjoint of the same step; the data passes through double-precision working arrays.
 */
final class AffineResampling {

    private final int n;
    private final int channels;
    private final int height;
    private final int width;
    private final int pad;
    private final double fill;
    private final int[] cornerY;
    private final int[] cornerX;
    private final double[] fractionY;
    private final double[] fractionX;
    private final INDArray source;
    private final INDArray target;

    AffineResampling(long[] batchShape, int pad, double fill) {
        this.n = (int) batchShape[0];
        this.channels = (int) batchShape[1];
        this.height = (int) batchShape[2];
        this.width = (int) batchShape[3];
        this.pad = pad;
        this.fill = fill;
        int pixels = n * height * width;
        this.cornerY = new int[pixels];
        this.cornerX = new int[pixels];
        this.fractionY = new double[pixels];
        this.fractionX = new double[pixels];
        this.source = Nd4j.create(DataType.DOUBLE, batchShape);
        this.target = Nd4j.create(DataType.DOUBLE, batchShape);
    }

    /**
     * Resamples {@code images} into {@code out} with image i scaled by {@code scales[i]} and rotated by
     * {@code degrees[i]}, and keeps the sampling plan for {@link #adjoint}.
     */
    void forward(INDArray images, double[] scales, double[] degrees, INDArray out) {
        plan(scales, degrees);
        source.assign(images);
        DoubleIndexer in = (DoubleIndexer) source.data().indexer();
        DoubleIndexer o = (DoubleIndexer) target.data().indexer();
        visit((base, p, y0, x0, fy, fx) -> o.put(base + p,
                (1 - fy) * ((1 - fx) * read(in, base, y0, x0) + fx * read(in, base, y0, x0 + 1))
                        + fy * ((1 - fx) * read(in, base, y0 + 1, x0) + fx * read(in, base, y0 + 1, x0 + 1))));
        out.assign(target);
    }

    /** Writes into {@code out} the gradient with respect to the images of the last {@link #forward} call. */
    void adjoint(INDArray outputGradient, INDArray out) {
        source.assign(outputGradient);
        target.assign(0);
        DoubleIndexer g = (DoubleIndexer) source.data().indexer();
        DoubleIndexer o = (DoubleIndexer) target.data().indexer();
        visit((base, p, y0, x0, fy, fx) -> {
            double v = g.get(base + p);
            add(o, base, y0, x0, (1 - fy) * (1 - fx) * v);
            add(o, base, y0, x0 + 1, (1 - fy) * fx * v);
            add(o, base, y0 + 1, x0, fy * (1 - fx) * v);
            add(o, base, y0 + 1, x0 + 1, fy * fx * v);
        });
        out.assign(target);
    }

    /** One output sample: plane offset {@code base}, pixel {@code p}, top-left tap {@code (y0, x0)}, fractions. */
    @FunctionalInterface
    private interface Sample {
        void at(long base, int p, int y0, int x0, double fy, double fx);
    }

    /** Calls {@code sample} for every image, output pixel and channel, with the planned taps. */
    private void visit(Sample sample) {
        int plane = height * width;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < plane; p++) {
                int at = i * plane + p;
                for (int c = 0; c < channels; c++) {
                    sample.at((long) (i * channels + c) * plane, p, cornerY[at], cornerX[at], fractionY[at], fractionX[at]);
                }
            }
        }
    }

    /** Releases the working arrays. */
    void close() {
        source.close();
        target.close();
    }

    private double read(DoubleIndexer in, long base, int y, int x) {
        return y < 0 || y >= height || x < 0 || x >= width ? fill : in.get(base + (long) y * width + x);
    }

    private void add(DoubleIndexer out, long base, int y, int x, double value) {
        if (y >= 0 && y < height && x >= 0 && x < width) {
            long at = base + (long) y * width + x;
            out.put(at, out.get(at) + value);
        }
    }

    private void plan(double[] scales, double[] degrees) {
        double canvasHeight = height + 2.0 * pad;
        double canvasWidth = width + 2.0 * pad;
        double centerY = (height - 1) / 2.0;
        double centerX = (width - 1) / 2.0;
        for (int i = 0; i < n; i++) {
            double angle = Math.toRadians(degrees[i]);
            double cos = Math.cos(angle) / scales[i];
            double sin = Math.sin(angle) / scales[i];
            for (int u = 0; u < height; u++) {
                double ry = ((u + 0.5) / height - 0.5) * canvasHeight;
                for (int v = 0; v < width; v++) {
                    double rx = ((v + 0.5) / width - 0.5) * canvasWidth;
                    double y = centerY + cos * ry - sin * rx;
                    double x = centerX + sin * ry + cos * rx;
                    // Snap values within rounding error of a grid line, so that exact maps (identity, quarter turns)
                    // resample exactly.
                    double yr = Math.rint(y);
                    double xr = Math.rint(x);
                    y = Math.abs(y - yr) < 1e-9 ? yr : y;
                    x = Math.abs(x - xr) < 1e-9 ? xr : x;
                    int at = (i * height + u) * width + v;
                    double fy = Math.floor(y);
                    double fx = Math.floor(x);
                    cornerY[at] = (int) Math.max(-2, Math.min(height + 1, fy));
                    cornerX[at] = (int) Math.max(-2, Math.min(width + 1, fx));
                    fractionY[at] = y - fy;
                    fractionX[at] = x - fx;
                }
            }
        }
    }
}
