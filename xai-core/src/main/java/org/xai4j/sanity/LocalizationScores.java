package org.xai4j.sanity;

import java.util.Arrays;
import java.util.Locale;

/**
 * Localization of explanation maps against ground-truth masks.
 *
 * @param relevanceMass per image, the share of the map's positive relevance that falls inside the mask
 * @param hits          per image, whether the pointing game was won
 */
public record LocalizationScores(double[] relevanceMass, boolean[] hits) {

    /** Stores copies of the arrays, so later changes to the arguments do not show. */
    public LocalizationScores {
        relevanceMass = relevanceMass.clone();
        hits = hits.clone();
    }

    /** The relevance mass accuracy of each image, as a copy. */
    @Override public double[] relevanceMass() { return relevanceMass.clone(); }

    /** The pointing-game outcome of each image, as a copy. */
    @Override public boolean[] hits() { return hits.clone(); }

    /** The mean relevance mass accuracy. */
    public double meanRelevanceMass() { return Arrays.stream(relevanceMass).average().orElse(Double.NaN); }

    /** The pointing-game accuracy: hits / images. */
    public double pointingAccuracy() {
        int h = 0;
        for (boolean hit : hits) {
            h += hit ? 1 : 0;
        }
        return hits.length == 0 ? Double.NaN : (double) h / hits.length;
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "LocalizationScores[images=%d, meanRelevanceMass=%.3f, pointingAccuracy=%.3f]",
                hits.length, meanRelevanceMass(), pointingAccuracy());
    }
}
