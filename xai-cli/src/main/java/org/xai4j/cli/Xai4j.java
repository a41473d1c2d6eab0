package org.xai4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code xai4j} command: {@code explain}, {@code study}, {@code features}, {@code activations} and
 * {@code compare}. Each prints exactly one JSON line on stdout saying what it wrote, its progress on stderr, and exits
 * with 0, 2 for bad input (one line on stderr naming the bad value), 1 for a failure, 130 when stopped by Ctrl-C.
 */
@Command(name = "xai4j", mixinStandardHelpOptions = true, versionProvider = Xai4j.Version.class,
        subcommands = {ExplainCommand.class, StudyCommand.class, FeaturesCommand.class, ActivationsCommand.class,
                CompareCommand.class},
        description = "Explains image classifiers (Keras .h5, DL4J .zip, zoo:..., toy:...): attributions, class "
                + "activation maps, learned features, activation maps, network comparisons and the VGG study.",
        footer = {"", "Exit status: 0 done, 2 bad input, 1 failure, 130 interrupted. Output: one JSON line on stdout."})
public final class Xai4j implements Runnable {

    /** Exit status of a usage error. */
    static final int USAGE = 2;
    /** Exit status of a failure. */
    static final int FAILURE = 1;
    /** Exit status after Ctrl-C, as the shell reports a process killed by SIGINT. */
    static final int CANCELLED = 130;

    private final boolean terminal;
    private final PrintStream terminalErr;
    private final Cancellation cancellation;

    @Spec
    private CommandSpec spec;

    private Xai4j(boolean terminal, PrintStream terminalErr, Cancellation cancellation) {
        this.terminal = terminal;
        this.terminalErr = terminalErr;
        this.cancellation = cancellation;
    }

    /**
     * Runs a command and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        quietLogging();
        Cancellation cancellation = new Cancellation();
        cancellation.installShutdownHook(Thread.currentThread());
        int status = commandLine(System.console() != null, System.err, cancellation).execute(args);
        cancellation.finished();
        if (!cancellation.shuttingDown()) {
            // after a signal the JVM is already exiting, with the signal's status; System.exit would block
            System.exit(status);
        }
    }

    /** Keeps the backends' INFO logging off stderr (before the first SLF4J use), unless the user sets a level. */
    static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * The command line with xai4j's exit statuses and one-line errors; {@code setOut}/{@code setErr} redirect it.
     *
     * @param terminal     whether to draw a progress bar (stdout is a terminal) instead of plain progress lines
     * @param terminalErr  where the bar is drawn
     * @param cancellation what Ctrl-C (or a test) uses to stop a running command
     * @return the command line
     */
    static CommandLine commandLine(boolean terminal, PrintStream terminalErr, Cancellation cancellation) {
        CommandLine cmd = new CommandLine(new Xai4j(terminal, terminalErr, cancellation))
                .setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": " + oneLine(ex)
                    + " (see --help)");
            err.flush();
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String name = commandLine.getCommandSpec().qualifiedName();
            int status;
            if (ex instanceof UsageException) {
                err.println(name + ": " + oneLine(ex));
                status = USAGE;
            } else if (ex instanceof CancellationException) {
                err.println(name + ": cancelled: " + oneLine(ex));
                status = CANCELLED;
            } else {
                err.println(name + ": failed: " + oneLine(ex));
                status = FAILURE;
            }
            err.flush();
            return status;
        });
        return cmd;
    }

    /** Without a subcommand: the usage on stderr, exit status 2. */
    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command: explain, study, features, "
                + "activations or compare");
    }

    /** A progress display for a command that reports to the library's listener and carries the cancellation. */
    Progress progress(CommandSpec command) {
        return Progress.open(command.qualifiedName(), terminal, command.commandLine().getErr(), terminalErr,
                cancellation);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ').strip();
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Xai4j.class.getPackage().getImplementationVersion();
            return new String[] {"xai4j " + (v == null ? "(development build)" : v)};
        }
    }
}
