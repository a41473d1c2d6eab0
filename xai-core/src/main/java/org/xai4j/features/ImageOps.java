package org.xai4j.features;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Per-image pixel operations on {@code [n, C, H, W]} DOUBLE batches: jitter and total variation. */
final class ImageOps {

    private ImageOps() { }

    /** Circularly shifts image i by {@code sign * shifts[i] = (dy, dx)}. */
    static INDArray roll(INDArray images, int[][] shifts, int sign) {
        long[] s = images.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        double[] in = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[in.length];
        for (int i = 0; i < n; i++) {
            int dy = Math.floorMod(sign * shifts[i][0], h);
            int dx = Math.floorMod(sign * shifts[i][1], w);
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * h * w;
                for (int y = 0; y < h; y++) {
                    int ty = (y + dy) % h;
                    for (int x = 0; x < w; x++) {
                        out[base + ty * w + (x + dx) % w] = in[base + y * w + x];
                    }
                }
            }
        }
        return Nd4j.create(out, s, DataType.DOUBLE);
    }

    /**
     * The gradient of {@code sum((x[y+1,x]-x[y,x])^2 + (x[y,x+1]-x[y,x])^2) / (H W)} per image and channel.
     */
    static INDArray totalVariationGradient(INDArray images) {
        long[] s = images.shape();
        int planes = (int) (s[0] * s[1]);
        int h = (int) s[2];
        int w = (int) s[3];
        double[] in = images.dup('c').data().asDouble();
        double[] g = new double[in.length];
        double norm = 2.0 / (h * w);
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = base + y * w + x;
                    if (y + 1 < h) {
                        double d = in[i + w] - in[i];
                        g[i + w] += norm * d;
                        g[i] -= norm * d;
                    }
                    if (x + 1 < w) {
                        double d = in[i + 1] - in[i];
                        g[i + 1] += norm * d;
                        g[i] -= norm * d;
                    }
                }
            }
        }
        return Nd4j.create(g, s, DataType.DOUBLE);
    }
}
