package org.xai4j.sanity;

import java.util.Arrays;
import java.util.Locale;

/**
 * A deletion or insertion curve per image and its area.
 *
 * @param kind      {@code deletion} or {@code insertion}
 * @param fractions the fraction of pixels deleted (inserted) at each point, from 0 to 1
 * @param scores    {@code [images][points]}: the model's score for the target at each point
 * @param auc       per image, the trapezoidal area under the curve over fractions [0, 1]: lower is better for
 *                  deletion, higher for insertion
 */
public record PerturbationCurve(String kind, double[] fractions, double[][] scores, double[] auc) {

    /** Stores deep copies of the arrays, so later changes to the arguments do not show. */
    public PerturbationCurve {
        fractions = fractions.clone();
        scores = Arrays.stream(scores).map(double[]::clone).toArray(double[][]::new);
        auc = auc.clone();
    }

    /** The perturbed fraction of pixels at each point, as a copy. */
    @Override public double[] fractions() { return fractions.clone(); }

    /** The scores {@code [images][points]}, as a deep copy. */
    @Override public double[][] scores() { return Arrays.stream(scores).map(double[]::clone).toArray(double[][]::new); }

    /** The area under the curve of each image, as a copy. */
    @Override public double[] auc() { return auc.clone(); }

    /** The mean area under the curve over the images. */
    public double meanAuc() { return Arrays.stream(auc).average().orElse(Double.NaN); }

    @Override public String toString() {
        return String.format(Locale.ROOT, "PerturbationCurve[%s, images=%d, points=%d, meanAuc=%.4f, auc=%s]", kind,
                auc.length, fractions.length, meanAuc(), Arrays.toString(Arrays.stream(auc)
                        .map(a -> Math.round(a * 1e4) / 1e4).limit(8).toArray()));
    }
}
