package org.xai4j;

import java.util.concurrent.CancellationException;

/**
 * A long explanation stopped before it finished, because its thread was interrupted or its
 * {@link ProgressListener#isCancelled() progress listener} asked it to stop. No partial result is returned; the model
 * is ready for the next call. When the cause was an interrupt, the thread's interrupt flag is set again.
 */
public class ExplanationCancelledException extends CancellationException {

    private static final long serialVersionUID = 1L;

    /** What was running, e.g. {@code "IntegratedGradients"}. */
    private final String task;
    /** Units of work finished when it stopped. */
    private final long done;
    /** Units of work planned. */
    private final long total;

    /**
     * Creates the exception.
     *
     * @param task   what was running
     * @param done   units of work finished when it stopped
     * @param total  units of work planned
     * @param reason why it stopped ("interrupted" or "cancelled by the progress listener")
     */
    public ExplanationCancelledException(String task, long done, long total, String reason) {
        super(task + " " + reason + " after " + done + " of " + total + " units of work; no result was produced");
        this.task = task;
        this.done = done;
        this.total = total;
    }

    /**
     * What was running.
     *
     * @return the task name
     */
    public String task() {
        return task;
    }

    /**
     * Units of work finished when it stopped.
     *
     * @return the count
     */
    public long done() {
        return done;
    }

    /**
     * Units of work planned.
     *
     * @return the count
     */
    public long total() {
        return total;
    }
}
