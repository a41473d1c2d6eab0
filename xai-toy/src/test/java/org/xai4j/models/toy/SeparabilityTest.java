package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Sanity checks that the labels are actually visible in the pixels: simple nearest-class-mean
 * classifiers, trained and tested on disjoint index ranges, must beat chance clearly. These would fail
 * if the classes were rendered indistinguishably.
 */
class SeparabilityTest {

    private static final int MOUTH_H = 16;
    private static final int MOUTH_W = 24;
    private static final int BROW_H = 16;
    private static final int BROW_W = 36;

    @Test
    void emotionIsReadableFromMouthAndEyebrowRegionsAlone() {
        FaceWorld world = new FaceWorld(1, FaceTask.EMOTION);
        int[][] confusion = nearestClassMean(world.batch(0, 420), world.batch(10_000, 210), 7,
                SeparabilityTest::mouthAndBrowFeatures);
        double accuracy = accuracy(confusion);
        assertThat(accuracy).as("accuracy (chance = 1/7)").isGreaterThan(0.85);
        for (Emotion e : Emotion.values()) {
            int[] row = confusion[e.ordinal()];
            assertThat(row[e.ordinal()] / (double) Arrays.stream(row).sum())
                    .as("recall of %s", e).isGreaterThan(0.6);
        }
    }

    @Test
    void identityIsReadableFromCoarseColorLayoutAcrossExpressions() {
        FaceWorld world = new FaceWorld(1, FaceTask.IDENTITY);
        int[][] confusion = nearestClassMean(world.batch(0, 448), world.batch(10_000, 224), 8,
                SeparabilityTest::coarseColor);
        assertThat(accuracy(confusion)).as("accuracy (chance = 1/8)").isGreaterThan(0.6);
    }

    /** Gray values of the mouth and eyebrow regions (zero elsewhere), cropped around each region's centroid. */
    private static double[] mouthAndBrowFeatures(ToySample s) {
        double[] f = new double[MOUTH_H * MOUTH_W + BROW_H * BROW_W];
        crop(s, s.mask(FaceWorld.MASK_MOUTH), MOUTH_H, MOUTH_W, f, 0);
        crop(s, s.mask(FaceWorld.MASK_EYEBROWS), BROW_H, BROW_W, f, MOUTH_H * MOUTH_W);
        return f;
    }

    private static void crop(ToySample s, Mask m, int ch, int cw, double[] out, int offset) {
        double sy = 0;
        double sx = 0;
        int n = 0;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(y, x)) {
                    sy += y;
                    sx += x;
                    n++;
                }
            }
        }
        int cy = (int) Math.round(sy / n);
        int cx = (int) Math.round(sx / n);
        for (int dy = 0; dy < ch; dy++) {
            for (int dx = 0; dx < cw; dx++) {
                int y = cy - ch / 2 + dy;
                int x = cx - cw / 2 + dx;
                if (y >= 0 && y < s.height() && x >= 0 && x < s.width() && m.get(y, x)) {
                    out[offset + dy * cw + dx] = (s.pixel(0, y, x) + s.pixel(1, y, x) + s.pixel(2, y, x)) / 3.0;
                }
            }
        }
    }

    /** RGB averaged over 4x4 blocks. */
    private static double[] coarseColor(ToySample s) {
        int b = 4;
        int gh = s.height() / b;
        int gw = s.width() / b;
        double[] f = new double[3 * gh * gw];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < gh * b; y++) {
                for (int x = 0; x < gw * b; x++) {
                    f[(c * gh + y / b) * gw + x / b] += s.pixel(c, y, x) / (b * b);
                }
            }
        }
        return f;
    }

    private static int[][] nearestClassMean(List<ToySample> train, List<ToySample> test, int k,
                                            Function<ToySample, double[]> features) {
        double[][] mean = new double[k][];
        int[] count = new int[k];
        for (ToySample s : train) {
            double[] f = features.apply(s);
            if (mean[s.label()] == null) {
                mean[s.label()] = new double[f.length];
            }
            for (int i = 0; i < f.length; i++) {
                mean[s.label()][i] += f[i];
            }
            count[s.label()]++;
        }
        for (int c = 0; c < k; c++) {
            assertThat(count[c]).as("training samples of class %d", c).isPositive();
            for (int i = 0; i < mean[c].length; i++) {
                mean[c][i] /= count[c];
            }
        }
        int[][] confusion = new int[k][k];
        for (ToySample s : test) {
            double[] f = features.apply(s);
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double d = 0;
                for (int i = 0; i < f.length; i++) {
                    double q = f[i] - mean[c][i];
                    d += q * q;
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            confusion[s.label()][best]++;
        }
        return confusion;
    }

    private static double accuracy(int[][] confusion) {
        int ok = 0;
        int all = 0;
        for (int i = 0; i < confusion.length; i++) {
            for (int j = 0; j < confusion.length; j++) {
                all += confusion[i][j];
                if (i == j) {
                    ok += confusion[i][j];
                }
            }
        }
        return ok / (double) all;
    }
}
