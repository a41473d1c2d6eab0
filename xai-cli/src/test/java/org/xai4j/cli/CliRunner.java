package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.ToyModels;

/** Runs the command line in-process with captured streams, and provides the shipped inputs the tests use. */
final class CliRunner {

    private CliRunner() { }

    /** What one command did. */
    record Result(int status, String out, String err) {
        /** The one JSON line on stdout. */
        JsonNode json() throws IOException {
            List<String> lines = out.strip().lines().toList();
            assertThat(lines).as("stdout holds exactly one line: " + out + "\nstderr: " + err).hasSize(1);
            return new ObjectMapper().readTree(lines.get(0));
        }

        /** Status 2, one stderr line starting with the command's name, no stack trace, nothing on stdout. */
        Result assertUsageError(String command) {
            assertThat(status).as(err).isEqualTo(2);
            assertThat(err).startsWith("xai4j " + command + ": ").hasLineCount(1).doesNotContain("\tat ")
                    .doesNotContain("Exception:");
            assertThat(out).isEmpty();
            return this;
        }
    }

    static Result run(String... args) {
        return run(new Cancellation(), args);
    }

    /** Runs with a cancellation another thread can request, as Ctrl-C does. */
    static Result run(Cancellation cancellation, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cmd = Xai4j.commandLine(false, System.err, cancellation);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int status = cmd.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    /** A shipped photo (224x224) copied to a file. */
    static Path shippedPhoto(Path dir, String name) throws IOException {
        try (InputStream in = CliRunner.class.getResourceAsStream("/org/xai4j/study/images/" + name)) {
            assertThat(in).as(name).isNotNull();
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    /** A held-out face of the toy world (64x64) as a PNG file. */
    static Path toyFace(Path dir) throws IOException {
        Path file = dir.resolve("face.png");
        ImageIO.write(ToyModels.faceWorld(FaceTask.EMOTION).sample(ToyModels.TEST_START + 3).toBufferedImage(),
                "png", file.toFile());
        return file;
    }

    /** The shipped toy ObjectVGG as a DL4J model zip file. */
    static Path toyModelZip(Path dir) throws IOException {
        Path file = dir.resolve("object_vgg.zip");
        try (InputStream in = ToyModels.class.getResourceAsStream(ToyModels.OBJECT_VGG_ZIP)) {
            Files.copy(in, file);
        }
        return file;
    }

    /** The committed Keras ResNet-style fixture (functional graph, 48x48 input). */
    static Path miniResNet() {
        Path file = Path.of("..", "xai-models", "src", "test", "resources", "fixtures", "keras",
                "mini_resnet_functional.h5");
        assertThat(file).isRegularFile();
        return file;
    }

    /** Hidden staging or backup folders ({@code .out.partial-*}, {@code .out.old-*}) left in a folder. */
    static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
