package org.xai4j.compare;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Pearson and Spearman correlation of two vectors. A constant vector has no defined correlation: NaN. */
public final class Correlation {

    private Correlation() { }

    /** Pearson's linear correlation coefficient. */
    public static double pearson(double[] a, double[] b) {
        check(a, b);
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /** Spearman's rank correlation: Pearson's correlation of the ranks, ties getting their average rank. */
    public static double spearman(double[] a, double[] b) {
        check(a, b);
        return pearson(averageRanks(a), averageRanks(b));
    }

    /** Ranks 1..n in increasing order of value; tied values share the mean of their ranks. */
    public static double[] averageRanks(double[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static void check(double[] a, double[] b) {
        if (a == null || b == null || a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("correlation needs two vectors of the same length >= 2, got lengths "
                    + (a == null ? "null" : a.length) + " and " + (b == null ? "null" : b.length));
        }
    }
}
