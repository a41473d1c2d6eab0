package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The distribution as a user runs it, after {@code mvn package}: {@code target/xai4j.jar} (its libraries in
 * {@code target/lib}) and the launcher {@code target/xai4j}, started as separate processes from another directory;
 * and Ctrl-C stopping a long run without leaving an output folder.
 */
class XaiCliIT {

    private static final Path JAR = Path.of("target", "xai4j.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("target", "xai4j").toAbsolutePath();

    @TempDir
    Path cwd;

    /** A started command and what it printed so far. */
    private record Run(Process process, List<String> out, List<String> err) {
        String stdout() {
            synchronized (out) {
                return String.join("\n", out);
            }
        }

        String stderr() {
            synchronized (err) {
                return String.join("\n", err);
            }
        }
    }

    private Run start(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).start();
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        collect(p.getInputStream(), out);
        collect(p.getErrorStream(), err);
        return new Run(p, out, err);
    }

    private static void collect(InputStream stream, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(stream closed: " + e.getMessage() + ")");
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static int finish(Run run, long seconds) throws InterruptedException {
        assertThat(run.process().waitFor(seconds, TimeUnit.SECONDS)).as(run.stderr()).isTrue();
        Thread.sleep(200);   // let the reader threads drain the pipes
        return run.process().exitValue();
    }

    @Test
    void theJarRunsFromAnotherFolderAndWritesThere() throws Exception {
        Path image = CliRunner.toyFace(Files.createDirectories(cwd.resolve("in")));
        Run run = start(java("explain", "--model", "toy:emotion", "--image", image.toString(), "--method", "saliency"));
        assertThat(finish(run, 300)).as(run.stderr()).isZero();
        assertThat(run.out()).as("exactly one JSON line on stdout").hasSize(1);
        JsonNode json = new ObjectMapper().readTree(run.out().get(0));
        assertThat(json.path("model").asText()).isEqualTo("EmotionVGG");
        Path npy = Path.of(json.path("npy").asText());
        assertThat(npy.getParent()).isEqualTo(cwd.resolve("xai4j-explain").toRealPath());
        assertThat(npy).isRegularFile();
    }

    @Test
    void theLauncherScriptStartsTheJar() throws Exception {
        assertThat(Files.isExecutable(LAUNCHER)).as(LAUNCHER + " is executable").isTrue();
        Run run = start(List.of(LAUNCHER.toString(), "--version"));
        assertThat(finish(run, 120)).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("xai4j ");
        Run usage = start(List.of(LAUNCHER.toString(), "explain", "--method", "magic", "--model", "toy:object",
                "--image", "x.png"));
        assertThat(finish(usage, 120)).isEqualTo(2);
        assertThat(usage.stderr()).contains("xai4j explain: ").contains("unknown explanation method 'magic'");
        assertThat(usage.stdout()).isEmpty();
    }

    /**
     * Ctrl-C is SIGINT. A JVM started from a shell's background job inherits SIGINT as ignored, and then cannot catch
     * it; the test sends SIGTERM instead in that case, which goes through the same shutdown hook.
     */
    @Test
    void ctrlCStopsALongRunAndLeavesNoOutputFolder() throws Exception {
        Path image = CliRunner.toyFace(Files.createDirectories(cwd.resolve("in")));
        Run run = start(java("explain", "--model", "toy:object", "--image", image.toString(), "--method", "ig",
                "--rule", "riemann_trapezoid", "--steps", "100000", "--internal-batch", "4", "--out", "result"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!run.stderr().contains("IntegratedGradients") && run.process().isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(run.stderr()).as("a progress line before the signal").contains("IntegratedGradients");
        boolean sigint = !sigintIgnored();
        if (sigint) {
            // the shell's kill builtin: a minimal machine may have no kill binary
            new ProcessBuilder("sh", "-c", "kill -INT " + run.process().pid()).start().waitFor();
        } else {
            run.process().destroy();
        }
        int status = finish(run, 120);
        assertThat(status).as(run.stderr()).isEqualTo(sigint ? 130 : 143);
        assertThat(run.stderr()).contains("xai4j explain: cancelled");
        assertThat(run.stdout()).isEmpty();
        assertThat(cwd.resolve("result")).doesNotExist();
        try (Stream<Path> files = Files.list(cwd)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("in");
        }
    }

    /** Whether this JVM (and so the ones it starts) ignores SIGINT: bit 2 of SigIgn in /proc/self/status. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2) != 0;
            }
        }
        return false;
    }
}
