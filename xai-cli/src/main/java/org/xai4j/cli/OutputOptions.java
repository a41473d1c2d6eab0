package org.xai4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out} and {@code --force}, for the commands that write a folder. */
final class OutputOptions {

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: xai4j-<command> in the "
            + "current folder). It appears only when complete; nothing is left of an interrupted run.")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty output folder.")
    boolean force;

    /** The folder, with the command's default. */
    Path out(String defaultName) {
        return out != null ? out : Path.of(defaultName);
    }
}
