package org.xai4j.study;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.ProgressListener;

/**
 * The study's steps as its listener sees them ({@code onProgress(what starts now, steps done, steps planned)}), and
 * its cancellation: every step first checks whether the thread was interrupted or the listener cancels.
 */
final class StudyProgress {

    private static final Logger LOG = LoggerFactory.getLogger(Study.class);
    private static final String TASK = "Study";

    private final ProgressListener listener;
    private final ProgressListener cancellation;
    private long done;
    private long total;

    StudyProgress(ProgressListener listener, long planned) {
        this.listener = listener;
        this.total = planned;
        this.cancellation = new ProgressListener() {
            @Override public void onProgress(String task, long d, long t) {
                // the explainers of a step only check for cancellation; the study reports its own steps
            }

            @Override public boolean isCancelled() {
                return listener.isCancelled();
            }
        };
    }

    /** Sets the steps planned once the networks and inputs are known. */
    void plan(long steps) {
        total = Math.max(steps, done);
    }

    /**
     * Starts a step: stops the study if it was cancelled, then reports the step.
     *
     * @throws org.xai4j.ExplanationCancelledException if the thread was interrupted or the listener cancels
     */
    void step(String format, Object... args) {
        ProgressListener.checkpoint(listener, TASK, done, total);
        String message = String.format(Locale.ROOT, format, args);
        LOG.info("{}/{}: {}", done + 1, total, message);
        listener.onProgress(message, done, total);
        done++;
    }

    /** Reports the end of the study. */
    void finished(String message) {
        total = Math.max(total, done);
        LOG.info("{}", message);
        listener.onProgress(message, total, total);
    }

    /** A listener for the explainers a step runs: it passes cancellation on and keeps their progress to itself. */
    ProgressListener cancellation() {
        return cancellation;
    }
}
