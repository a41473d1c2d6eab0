package org.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The study's report on the quick configuration: one run, checked from every side. */
class StudyReportTest {

    @TempDir
    static Path tmp;

    static Path report;
    static String stdout;
    static String stderr;
    static int status;

    @BeforeAll
    static void runStudy() {
        report = tmp.resolve("report");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        status = Study.run(new String[] {"--quick", "--out", report.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Fixtures.toys());
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void succeedsPrintsProgressAndTheLocation() {
        assertThat(status).as(stderr).isZero();
        assertThat(stdout).contains("features ObjectVGG", "integrated gradients", "sanity checks", "localisation");
        assertThat(stdout.strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo(report.toAbsolutePath()
                .normalize().toString());
    }

    @Test
    void writesTheReportFilesAndNoStagingFolder() throws IOException {
        assertThat(report.resolve("index.html")).isRegularFile();
        assertThat(report.resolve("summary.json")).isRegularFile();
        for (String dir : List.of("features", "activations", "ig", "beyond")) {
            assertThat(report.resolve(dir)).isDirectory();
        }
        assertThat(report.resolve("features/object_block1_conv2.png")).isRegularFile();
        assertThat(report.resolve("features/face_vs_emotion_last_conv.png")).isRegularFile();
        assertThat(report.resolve("activations/face_vs_emotion_0.png")).isRegularFile();
        assertThat(report.resolve("ig/emotion.png")).isRegularFile();
        assertThat(report.resolve("beyond/emotion_regions.png")).isRegularFile();
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("report");
        }
    }

    @Test
    void indexReferencesOnlyExistingRelativeFiles() throws IOException {
        String html = Files.readString(report.resolve("index.html"));
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        List<String> refs = new ArrayList<>();
        while (m.find()) {
            refs.add(m.group(1));
        }
        assertThat(refs).hasSizeGreaterThan(30).contains("summary.json");
        for (String ref : refs) {
            assertThat(ref).doesNotStartWith("/").doesNotContain("..").doesNotContain(":");
            assertThat(report.resolve(ref)).as(ref).isRegularFile();
        }
        try (Stream<Path> files = Files.walk(report)) {
            List<String> pngs = files.filter(p -> p.toString().endsWith(".png"))
                    .map(p -> report.relativize(p).toString().replace('\\', '/')).toList();
            assertThat(refs).containsAll(pngs);
        }
    }

    @Test
    void everyImageDecodesWithTheExpectedSize() throws IOException {
        try (Stream<Path> files = Files.walk(report)) {
            for (Path png : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                BufferedImage image = ImageIO.read(png.toFile());
                assertThat(image).as(png.toString()).isNotNull();
                assertThat(image.getWidth()).isPositive();
            }
        }
        // the 64x64 toy inputs are shown 3x enlarged; overlays keep that size
        BufferedImage top = ImageIO.read(report.resolve("activations/object_0_top.png").toFile());
        assertThat(top.getWidth()).isEqualTo(192);
        assertThat(top.getHeight()).isEqualTo(192);
        BufferedImage spikes = ImageIO.read(report.resolve("activations/object_0_spikes.png").toFile());
        assertThat(spikes.getWidth()).isEqualTo(480);
        assertThat(spikes.getHeight()).isEqualTo(240);
        // 2 inputs: one column each, images on top of their IG overlays
        BufferedImage ig = ImageIO.read(report.resolve("ig/object.png").toFile());
        assertThat(ig.getWidth()).isGreaterThanOrEqualTo(2 * 192);
        assertThat(ig.getHeight()).isGreaterThanOrEqualTo(2 * 192);
    }

    @Test
    void summaryHoldsTheNumbers() throws IOException {
        JsonNode s = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertThat(s.path("config").path("quick").asBoolean()).isTrue();
        assertThat(s.path("models").fieldNames()).toIterable().containsExactly("object", "face", "emotion");
        assertThat(s.path("features").path("object").path("block5_conv3").path("neurons")).hasSize(4);
        assertThat(s.path("features").path("emotion").path("blocks1to4SharedWith").asText()).isEqualTo("FaceVGG");
        JsonNode ig = s.path("integratedGradients").path("emotion");
        assertThat(ig).hasSize(2);
        for (JsonNode row : ig) {
            assertThat(row.path("convergenceDelta").isNumber()).as(row.toString()).isTrue();
            assertThat(row.has("correct")).isTrue();
        }
        JsonNode acts = s.path("activations");
        assertThat(acts.path("object").get(0).path("topNeurons")).hasSize(5);
        assertThat(acts.path("faceVsEmotion").get(0).path("spikePearson").isNumber()).isTrue();
        assertThat(acts.path("faceVsEmotion").get(0).path("emotionTopMapMass").path("mouth").isNumber()).isTrue();
        JsonNode sanity = s.path("beyond").path("sanity").path("object");
        assertThat(sanity.path("randomisationCascade")).hasSize(2);
        assertThat(sanity.path("igSpearmanPerStep")).hasSize(2);
        assertThat(sanity.path("deletionAuc").path("ig").asDouble()).isBetween(0.0, 1.0);
        assertThat(sanity.path("insertionAuc").path("random").isNumber()).isTrue();
        JsonNode loc = s.path("beyond").path("localisation");
        assertThat(loc.path("object").path("region").asText()).isEqualTo("object");
        assertThat(loc.path("emotion").path("igMass").asDouble()).isBetween(0.0, 1.0);
        JsonNode happy = loc.path("emotionRegions").path("happy");
        for (String region : List.of("mouth", "eyebrows", "eyes", "face")) {
            assertThat(happy.path("igMass").path(region).asDouble()).as(region).isBetween(0.0, 1.0);
            assertThat(happy.path("areaFraction").path(region).asDouble()).as(region).isBetween(0.0, 1.0);
        }
        assertThat(loc.path("emotionRegions").fieldNames()).toIterable().hasSize(7);
        assertThat(s.path("seconds").isNumber()).isTrue();
    }

    @Test
    void refusesANonEmptyFolderWithoutForce() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Study.run(new String[] {"--quick", "--out", out.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), key -> {
                    throw new AssertionError("must refuse before loading models");
                });
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not empty").contains("--force")
                .doesNotContain("Exception").hasLineCount(1);
        assertThat(out.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void rejectsUnknownOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Study.run(new String[] {"--fast"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), key -> {
                    throw new AssertionError();
                });
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("study: unknown option --fast").hasLineCount(1);
    }
}
