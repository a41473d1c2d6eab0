package org.xai4j.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The one thread that runs every pass of a model, whichever thread asks for it. Native memory follows the thread that
 * allocates it: glibc gives each thread a malloc arena that keeps what was freed in it, and oneDNN keeps per-thread
 * scratch buffers, so a model computed on every thread of a pool (or on a new thread per request) would leave tens of
 * MB behind on each. Computed here, the model's native memory lives with one thread for the model's life.
 *
 * <p>The caller waits for its pass without giving up on an interrupt: the pass in flight completes (the model stays
 * consistent, and explainers check for cancellation between passes), then the caller's interrupt flag is set again.
 */
final class ModelThread {

    private final String name;
    private final ExecutorService executor;
    private volatile Thread thread;

    ModelThread(String name) {
        this.name = name;
        this.executor = Executors.newSingleThreadExecutor(work -> {
            Thread created = new Thread(work, name);
            created.setDaemon(true);
            thread = created;
            return created;
        });
    }

    /**
     * Runs {@code work} on the model's thread and returns its result; runs it inline when called from that thread.
     *
     * @throws IllegalStateException if the model thread was shut down
     */
    <T> T call(Supplier<T> work) {
        if (Thread.currentThread() == thread) {
            return work.get();
        }
        Future<T> future;
        try {
            future = executor.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("model '" + name + "' is closed", e);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("a pass of model '" + name + "' failed", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Lets the thread end once the passes already queued have run; later calls are refused. */
    void shutdown() {
        executor.shutdown();
    }
}
