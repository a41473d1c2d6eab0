package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancellation requested while a command runs (what the Ctrl-C hook does, before it also interrupts the thread)
 * stops it at the library's next checkpoint: exit status 130, one line, no JSON, no output folder.
 */
class CancelledCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aLongExplanationStopsAndLeavesNothing() throws Exception {
        Path face = CliRunner.toyFace(Files.createDirectories(tmp.resolve("in")));
        Cancellation cancellation = new Cancellation();
        Path out = tmp.resolve("out");
        CompletableFuture<CliRunner.Result> run = CompletableFuture.supplyAsync(() -> CliRunner.run(cancellation,
                "explain", "--model", "toy:object", "--image", face.toString(), "--rule", "riemann_trapezoid",
                "--steps", "100000", "--internal-batch", "4", "--out", out.toString()));
        Thread.sleep(3000);
        assertThat(run).as("still running: 100,000 points take minutes").isNotDone();
        cancellation.request();
        CliRunner.Result r = run.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.err()).isEqualTo(130);
        assertThat(r.err().lines().filter(l -> l.startsWith("xai4j explain: cancelled: "))).hasSize(1);
        assertThat(r.err()).contains("IntegratedGradients cancelled by the progress listener");
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
        assertThat(CliRunner.leftovers(tmp)).isEmpty();
    }
}
