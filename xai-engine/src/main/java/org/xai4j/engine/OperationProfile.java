package org.xai4j.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of one model call went, operation by operation: what {@link Nd4jImageModel#profileGradient} measures
 * for a forward pass plus input gradient. ND4J's CPU ops run synchronously, so each entry is that op's wall time.
 *
 * @param batch   the batch size of the profiled call
 * @param entries one entry per operation and phase, in execution order
 */
public record OperationProfile(long batch, List<Entry> entries) {

    /** Copies the entries. */
    public OperationProfile {
        entries = List.copyOf(entries);
    }

    /**
     * One operation's time in one phase.
     *
     * @param variable  the variable the operation computes (a layer name, or {@code <layer>/linear})
     * @param operation the kind of operation, e.g. {@code convolution}, {@code activation(RELU)}
     * @param phase     {@code forward} or {@code backward}
     * @param nanos     wall time
     */
    public record Entry(String variable, String operation, String phase, long nanos) { }

    /**
     * The total wall time of the profiled operations.
     *
     * @return nanoseconds
     */
    public long totalNanos() {
        return entries.stream().mapToLong(Entry::nanos).sum();
    }

    /**
     * The time per kind of operation and phase ({@code "convolution backward"}, ...), largest first.
     *
     * @return nanoseconds per operation kind and phase
     */
    public Map<String, Long> byOperation() {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Entry entry : entries) {
            totals.merge(entry.operation() + " " + entry.phase(), entry.nanos(), Long::sum);
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(totals.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
        Map<String, Long> result = new LinkedHashMap<>();
        sorted.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /**
     * A Markdown table of {@link #byOperation()}: time per batch, per image and share of the total.
     *
     * @return the table
     */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder("| operation | phase | ms per batch | ms per image | share |\n")
                .append("|---|---|---:|---:|---:|\n");
        double total = totalNanos();
        for (Map.Entry<String, Long> e : byOperation().entrySet()) {
            int split = e.getKey().lastIndexOf(' ');
            out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f%% |%n", e.getKey().substring(0, split),
                    e.getKey().substring(split + 1), e.getValue() / 1e6, e.getValue() / 1e6 / batch,
                    100 * e.getValue() / total));
        }
        out.append(String.format(Locale.ROOT, "| **total** | | %.1f | %.1f | 100%% |%n", total / 1e6, total / 1e6 / batch));
        return out.toString();
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "OperationProfile[batch=%d, operations=%d, total=%.1f ms]", batch,
                entries.size(), totalNanos() / 1e6);
    }
}
