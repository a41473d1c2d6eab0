package org.xai4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.ProgressListener;

/** The study's report on the quick configuration of the toy world: one run, checked from every side. */
class StudyReportTest {

    @TempDir
    static Path tmp;

    static Path report;
    static StudyResult result;
    static final List<String> steps = Collections.synchronizedList(new ArrayList<>());
    static final List<long[]> counts = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void runStudy() throws IOException {
        report = tmp.resolve("report");
        ProgressListener listener = (task, done, total) -> {
            steps.add(task);
            counts.add(new long[] {done, total});
        };
        result = new Study(StudyConfig.builder().optQuick(true).optProgressListener(listener).build()).run(report);
    }

    @Test
    void reportsEveryStepAndWhereItWrote() {
        assertThat(result.folder()).isEqualTo(report.toAbsolutePath().normalize());
        assertThat(result.index()).isRegularFile();
        assertThat(result.mode()).isEqualTo("toy world");
        assertThat(result.models()).containsExactly("ObjectVGG", "FaceVGG", "EmotionVGG");
        assertThat(String.join("\n", steps)).contains("features ObjectVGG", "integrated gradients",
                "sanity checks", "localization", "wrote " + result.figures() + " figures");
        // one report per step; the plan is fixed once the inputs are chosen (two setup steps) and ends at done == total
        long planned = counts.get(2)[1];
        for (int i = 0; i < counts.size(); i++) {
            assertThat(counts.get(i)[0]).as(steps.get(i)).isEqualTo(i);
            if (i >= 2) {
                assertThat(counts.get(i)[1]).as(steps.get(i)).isEqualTo(planned);
            }
        }
        assertThat(counts.get(counts.size() - 1)[0]).isEqualTo(planned);
        assertThat(result.toString()).contains("toy world", "figures=" + result.figures(), "maxIgRelativeError");
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
            assertThat(pngs).hasSize(result.figures());
        }
        assertThat(html).contains("1. Learned features", "2. Activation maps", "3. Integrated gradients",
                "4. Beyond the seed", "randomization", "deletion and insertion", "Localization");
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
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(mapper.writeValueAsString(result.summary()))).as("the result holds summary.json")
                .isEqualTo(s);
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
        assertThat(sanity.path("randomizationCascade")).hasSize(2);
        assertThat(sanity.path("igSpearmanPerStep")).hasSize(2);
        assertThat(sanity.path("deletionAuc").path("ig").asDouble()).isBetween(0.0, 1.0);
        assertThat(sanity.path("insertionAuc").path("random").isNumber()).isTrue();
        JsonNode loc = s.path("beyond").path("localization");
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
    void integratedGradientsReportTheRelativeCompletenessError() throws IOException {
        JsonNode s = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        JsonNode config = s.path("config");
        double tolerance = config.path("igTolerance").asDouble();
        int perInterval = config.path("igPointsPerInterval").asInt();
        int maxSteps = config.path("igMaxSteps").asInt();
        assertThat(tolerance).isEqualTo(StudyConfig.DEFAULT_IG_TOLERANCE);
        double largest = 0;
        for (String key : List.of("object", "face", "emotion")) {
            for (JsonNode row : s.path("integratedGradients").path(key)) {
                double delta = row.path("convergenceDelta").asDouble();
                double difference = row.path("outputDifference").asDouble();
                double relative = row.path("relativeError").asDouble();
                int steps = row.path("steps").asInt();
                // F(x) - F(x') = sum(attribution) - delta, and the relative error is |delta| / |F(x) - F(x')|
                assertThat(difference).isCloseTo(row.path("attributionSum").asDouble() - delta,
                        org.assertj.core.api.Assertions.within(1e-5));
                // (summary.json rounds to 6 decimals)
                assertThat(relative).isCloseTo(Math.abs(delta) / Math.abs(difference),
                        org.assertj.core.api.Assertions.within(1e-6 / Math.abs(difference) + 1e-6));
                assertThat(steps).isBetween(perInterval, maxSteps);
                assertThat(steps % perInterval).isZero();
                // adaptive: it stops at the tolerance, or when one more split would pass the budget
                assertThat(relative <= tolerance + 1e-6 || steps + perInterval > maxSteps).as(row.toString()).isTrue();
                largest = Math.max(largest, relative);
            }
        }
        assertThat(result.maxIgRelativeError()).isCloseTo(largest, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(Files.readString(report.resolve("index.html"))).contains("|δ| / |F(x) − F(x')|");
    }

    @Test
    void refusesANonEmptyFolderBeforeLoadingAnything() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        ProgressListener mustNotRun = (task, done, total) -> {
            throw new AssertionError("must refuse before any step: " + task);
        };
        assertThatThrownBy(() -> new Study(StudyConfig.builder().optQuick(true).optProgressListener(mustNotRun)
                .build()).run(out)).isInstanceOf(DirectoryNotEmptyException.class).hasMessageContaining("not empty");
        assertThat(out.resolve("keep.txt")).hasContent("mine");
    }
}
