package org.xai4j;

/**
 * Receives progress of long-running explanations (integrated gradients over many steps, feature
 * visualization of many channels), and can stop them. Called on the thread that runs the explanation.
 *
 * <p>Long explanations call {@link #checkpoint} between internal batches: it throws an
 * {@link ExplanationCancelledException} when the thread was interrupted or {@link #isCancelled()} returns true.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report and never cancels. */
    ProgressListener NONE = (task, done, total) -> { };

    /**
     * @param task  what is being done, e.g. {@code "IntegratedGradients"}
     * @param done  units of work finished so far (e.g. interpolation points evaluated)
     * @param total units of work planned; may grow in adaptive modes
     */
    void onProgress(String task, long done, long total);

    /**
     * Whether the explanation should stop at its next checkpoint (between internal batches). The default never asks
     * to stop; override it to cancel from another thread, a deadline or a user interface.
     *
     * @return true to stop
     */
    default boolean isCancelled() {
        return false;
    }

    /**
     * Stops the explanation if the current thread was interrupted or {@link #isCancelled()} is true. Explainers call
     * this between internal batches, after releasing what the batch allocated.
     *
     * @param listener the listener of the call (null for none)
     * @param task     what is running
     * @param done     units of work finished
     * @param total    units of work planned
     * @throws ExplanationCancelledException if the explanation must stop; after an interrupt the thread's interrupt
     *                                       flag is set again, so callers further up still see it
     */
    static void checkpoint(ProgressListener listener, String task, long done, long total) {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new ExplanationCancelledException(task, done, total, "interrupted");
        }
        if (listener != null && listener.isCancelled()) {
            throw new ExplanationCancelledException(task, done, total, "cancelled by the progress listener");
        }
    }
}
