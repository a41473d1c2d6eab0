package org.xai4j;

/**
 * Receives progress of long-running explanations (integrated gradients over many steps, feature
 * visualization of many channels). Called on the thread that runs the explanation.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (task, done, total) -> { };

    /**
     * @param task  what is being done, e.g. {@code "IntegratedGradients"}
     * @param done  units of work finished so far (e.g. interpolation points evaluated)
     * @param total units of work planned; may grow in adaptive modes
     */
    void onProgress(String task, long done, long total);
}
