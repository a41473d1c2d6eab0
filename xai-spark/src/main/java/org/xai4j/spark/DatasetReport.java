package org.xai4j.spark;

import java.util.Locale;

/**
 * What a {@link DatasetExplainer} run wrote and counted. Every input image is either explained or an error:
 * {@code explained + errors == inputs}.
 *
 * @param output     the output folder (a qualified Hadoop path)
 * @param inputs     images read from the input
 * @param explained  rows of the explanations table
 * @param errors     rows of the errors table
 * @param accuracy   the share of labelled images predicted as their label, or NaN without labels
 * @param method     the explanation method's name
 * @param layer      the layer the method maps, or null for input attributions
 * @param spikeLayer the layer of the spike totals
 * @param seconds    the wall time of the run
 */
public record DatasetReport(String output, long inputs, long explained, long errors, double accuracy, String method,
                            String layer, String spikeLayer, double seconds) {

    /** The folder of the explanations table (Parquet). */
    public static final String EXPLANATIONS = "explanations";
    /** The folder of the errors table (Parquet). */
    public static final String ERRORS = "errors";
    /** The folder of the per-class aggregates table (Parquet). */
    public static final String CLASS_AGGREGATES = "class_aggregates";
    /** The folder of the raw maps ({@code .npy}), when written. */
    public static final String ATTRIBUTIONS = "attributions";
    /** The run's settings and counts as JSON. */
    public static final String SUMMARY = "summary.json";

    /**
     * A table or file of the output.
     *
     * @param name one of {@link #EXPLANATIONS}, {@link #ERRORS}, {@link #CLASS_AGGREGATES}, {@link #ATTRIBUTIONS},
     *             {@link #SUMMARY}
     * @return its path
     */
    public String path(String name) {
        return output + "/" + name;
    }

    /**
     * Images per second of wall time.
     *
     * @return the throughput
     */
    public double imagesPerSecond() {
        return inputs / seconds;
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "DatasetReport[%s, method=%s%s, spikeLayer=%s, inputs=%d, explained=%d, "
                        + "errors=%d%s, %.1f s, %.2f images/s]", output, method, layer == null ? "" : ", layer=" + layer,
                spikeLayer, inputs, explained, errors,
                Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, ", accuracy=%.3f", accuracy), seconds,
                imagesPerSecond());
    }
}
