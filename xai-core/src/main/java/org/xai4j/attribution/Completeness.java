package org.xai4j.attribution;

/** The relative completeness error, computed in one place for every result type that carries it. */
public final class Completeness {

    private Completeness() { }

    /**
     * {@code |delta[i]| / |F(x) - F(x')|} of one example.
     *
     * @param convergenceDelta per example {@code sum(attribution) - (F(x) - F(x'))}
     * @param outputDifference per example {@code F(x) - F(x')}
     * @param example          the example index
     * @return the relative error; NaN when either array is empty or {@code F(x) = F(x')}
     * @throws IndexOutOfBoundsException if the example is out of range of a non-empty array
     */
    public static double relativeError(double[] convergenceDelta, double[] outputDifference, int example) {
        if (convergenceDelta.length == 0 || outputDifference.length == 0) {
            return Double.NaN;
        }
        double difference = outputDifference[example];
        return difference == 0 ? Double.NaN : Math.abs(convergenceDelta[example]) / Math.abs(difference);
    }

    /**
     * The largest relative error over a batch.
     *
     * @param convergenceDelta per example completeness error
     * @param outputDifference per example {@code F(x) - F(x')}
     * @return the largest, ignoring examples with {@code F(x) = F(x')}; NaN when there is none
     */
    public static double maxRelativeError(double[] convergenceDelta, double[] outputDifference) {
        double max = Double.NaN;
        for (int i = 0; i < Math.min(convergenceDelta.length, outputDifference.length); i++) {
            double e = relativeError(convergenceDelta, outputDifference, i);
            if (!Double.isNaN(e) && !(e <= max)) {
                max = e;
            }
        }
        return max;
    }
}
