package org.xai4j.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a running command on Ctrl-C (SIGINT) or SIGTERM: a JVM shutdown hook asks the library to cancel (the progress
 * listener's {@code isCancelled} and an interrupt of the command's thread), then waits for the command to delete its
 * unfinished output before the JVM exits (with status 130 after SIGINT, 143 after SIGTERM).
 */
final class Cancellation {

    /** How long the hook waits for the command to reach a checkpoint and clean up. */
    private static final long GRACE_MILLIS = 60_000;

    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean shuttingDown;
    private volatile boolean finished;

    /** Asks the running command to stop at its next checkpoint. */
    void request() {
        requested.set(true);
    }

    /** Whether a stop was asked for. */
    boolean isRequested() {
        return requested.get();
    }

    /** Whether the JVM is shutting down because of a signal (then the command must not call System.exit). */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /** The command ended by itself: the hook then lets the JVM exit at once. */
    void finished() {
        finished = true;
    }

    /**
     * Installs the shutdown hook that cancels {@code worker} and waits for it.
     *
     * @param worker the thread running the command
     */
    void installShutdownHook(Thread worker) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished) {
                return;
            }
            shuttingDown = true;
            request();
            worker.interrupt();
            try {
                worker.join(GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "xai4j-cancel"));
    }
}
