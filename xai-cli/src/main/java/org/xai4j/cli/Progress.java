package org.xai4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.xai4j.ProgressListener;

/**
 * Shows a command's progress on stderr, so that stdout keeps only the JSON line: a progress bar on a terminal, plain
 * lines otherwise (a new task, every tenth of the work, or every 5 seconds). It also carries the command's
 * {@link Cancellation} to the library.
 */
abstract class Progress implements ProgressListener, AutoCloseable {

    private final Cancellation cancellation;

    private Progress(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /**
     * The progress display of a command.
     *
     * @param command      the command's name, e.g. {@code xai4j explain}
     * @param terminal     whether stdout is a terminal (then a bar on {@code terminalErr})
     * @param err          where plain lines go
     * @param terminalErr  where the bar goes
     * @param cancellation asked by the library at every checkpoint
     */
    static Progress open(String command, boolean terminal, PrintWriter err, PrintStream terminalErr,
                         Cancellation cancellation) {
        return terminal ? new Bar(terminalErr, cancellation) : new Lines(command, err, cancellation);
    }

    @Override public boolean isCancelled() {
        return cancellation.isRequested();
    }

    @Override public abstract void close();

    /** Plain lines: {@code [   1.2 s] xai4j explain: IntegratedGradients 160/800 (20%)}. */
    private static final class Lines extends Progress {
        private static final long EVERY_NANOS = 5_000_000_000L;
        private final String command;
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private String lastTask;
        private long lastTenth = -1;
        private long lastLine;

        Lines(String command, PrintWriter err, Cancellation cancellation) {
            super(cancellation);
            this.command = command;
            this.err = err;
        }

        @Override public synchronized void onProgress(String task, long done, long total) {
            long now = System.nanoTime();
            long tenth = total > 0 ? 10 * done / total : 0;
            if (task.equals(lastTask) && tenth == lastTenth && now - lastLine < EVERY_NANOS) {
                return;
            }
            lastTask = task;
            lastTenth = tenth;
            lastLine = now;
            err.printf(Locale.ROOT, "[%6.1f s] %s: %s %d/%d%s%n", (now - start) / 1e9, command, task, done, total,
                    total > 0 ? String.format(Locale.ROOT, " (%d%%)", 100 * done / total) : "");
            err.flush();
        }

        @Override public void close() {
            err.flush();
        }
    }

    /** A terminal progress bar; the task is its extra message, as the study's steps change it. */
    private static final class Bar extends Progress {
        private final PrintStream err;
        private ProgressBar bar;

        Bar(PrintStream err, Cancellation cancellation) {
            super(cancellation);
            this.err = err;
        }

        @Override public synchronized void onProgress(String task, long done, long total) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("xai4j").setInitialMax(Math.max(1, total))
                        .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(250).build();
            }
            bar.maxHint(Math.max(1, total));
            bar.stepTo(done);
            bar.setExtraMessage(task);
        }

        @Override public synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
