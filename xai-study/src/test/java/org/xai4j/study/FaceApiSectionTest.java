package org.xai4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.Predictions;
import org.xai4j.ProgressListener;
import org.xai4j.faceapi.DetectedFace;
import org.xai4j.faceapi.FaceAnalyzer;
import org.xai4j.faceapi.FaceApiModel;
import org.xai4j.faceapi.FaceApiModels;
import org.xai4j.faceapi.FaceApiPhotos;
import org.xai4j.faceapi.FaceRegion;
import org.xai4j.faceapi.RegionMasks;
import org.xai4j.viz.RgbImage;

/**
 * The real-network section alone, in the quick configuration: its structure, and its numbers checked against what
 * is computed here independently (face-api's own detection counts, forward passes, mask areas, completeness).
 */
class FaceApiSectionTest {

    @TempDir
    static Path tmp;

    static Path folder;
    static JsonNode summary;
    static String html;
    static Workload work = Workload.small(StudyConfig.DEFAULT_IG_TOLERANCE);
    static FaceAnalyzer analyzer;
    static FaceApiModel expression;
    static FaceApiModel identity;
    static final Map<String, RgbImage> photos = new LinkedHashMap<>();
    static final Map<String, List<DetectedFace>> faces = new LinkedHashMap<>();

    @BeforeAll
    static void writeTheSection() throws Exception {
        FaceApiSection section = new FaceApiSection();
        try (ReportWriter report = ReportWriter.open(tmp.resolve("report"), false)) {
            StudyProgress progress = new StudyProgress(ProgressListener.NONE, 0);
            progress.plan(section.steps(List.of()));
            section.write(new StudyContext(work, report, List.of(), progress));
            folder = report.finish("face-api section");
        }
        summary = new ObjectMapper().readTree(folder.resolve("summary.json").toFile()).path("realNetworks");
        html = Files.readString(folder.resolve("index.html"));
        analyzer = new FaceAnalyzer();
        expression = FaceApiModels.load("expression");
        identity = FaceApiModels.load("recognition");
    }

    @AfterAll
    static void close() {
        analyzer.close();
        expression.close();
        identity.close();
    }

    private static DetectedFace face(JsonNode f) {
        String photo = f.path("photo").asText();
        RgbImage image = photos.computeIfAbsent(photo, FaceApiPhotos::read);
        return faces.computeIfAbsent(photo, p -> analyzer.analyze(image)).get(f.path("face").asInt());
    }

    @Test
    void detectsWhatFaceApiDetectsAndCoversEveryPredictedExpression() {
        // face-api's own detections on its demo photos (TinyFaceDetector, input 416, score 0.5), recorded by the
        // Node script of xai-faceapi (reference.json): 3, 1, 3, 3, 5 and 5 faces
        int[] expected = {3, 1, 3, 3, 5, 5};
        for (int i = 0; i < expected.length; i++) {
            assertThat(summary.path("facesDetected").path(FaceApiPhotos.NAMES.get(i)).asInt())
                    .as(FaceApiPhotos.NAMES.get(i)).isEqualTo(expected[i]);
        }
        List<String> predicted = names(summary.path("predictedOnAllFaces"));
        int total = 0;
        for (String e : predicted) {
            total += summary.path("predictedOnAllFaces").path(e).asInt();
        }
        assertThat(total).isEqualTo(20);
        // quick: one face per predicted expression, and a region-table row for each
        assertThat(summary.path("faces").size()).isEqualTo(predicted.size());
        assertThat(names(summary.path("regionTable"))).containsExactlyInAnyOrderElementsOf(predicted);
        assertThat(summary.path("activations").path("lastConvolution").asText()).isEqualTo("dense3/conv3");
        assertThat(summary.path("activations").path("layer").asText()).isEqualTo("dense3");
        assertThat(summary.path("activations").path("neurons").asInt()).isEqualTo(256);
        assertThat(names(summary.path("features"))).containsExactly("dense0", "dense1", "dense2", "dense3");
    }

    @Test
    void predictionsAndIntegratedGradientsAgreeWithForwardPasses() {
        for (JsonNode f : summary.path("faces")) {
            DetectedFace face = face(f);
            RgbImage photo = photos.get(f.path("photo").asText());
            INDArray x = FaceAnalyzer.input(photo, face, expression);
            INDArray p = expression.model().probabilities(x);
            int predicted = Predictions.argMax(p)[0];
            assertThat(f.path("predicted").asText()).isEqualTo(FaceApiModels.EXPRESSION_LABELS.get(predicted));
            assertThat(f.path("probability").asDouble()).isCloseTo(p.getDouble(0, predicted), within(1e-5));
            // completeness of IG from black: F(x) - F(0) of the predicted logit, by two forward passes
            double difference = expression.outputs(x).getDouble(0, predicted)
                    - expression.outputs(x.mul(0)).getDouble(0, predicted);
            JsonNode ig = f.path("expressionIg");
            assertThat(ig.path("outputDifference").asDouble()).isCloseTo(difference, within(1e-4));
            checkAdaptive(ig, FaceApiModel.Head.CLASSIFIER);
            // identity: self-similarity is 1 at the face; F(x) - F(0) = 1 - cos(d(black), d(x))
            INDArray xi = FaceAnalyzer.input(photo, face, identity);
            double[] d = identity.outputs(xi).toDoubleVector();
            double[] black = identity.outputs(xi.mul(0)).toDoubleVector();
            double cos = cosine(black, d);
            JsonNode id = f.path("identityIg");
            assertThat(id.path("similarityToBlack").asDouble()).isCloseTo(cos, within(1e-5));
            assertThat(id.path("outputDifference").asDouble()).isCloseTo(1 - cos, within(1e-4));
            checkAdaptive(id, FaceApiModel.Head.DESCRIPTOR);
        }
    }

    @Test
    void spikeTotalsAreSumsOfTheRectifiedBlockOutput() {
        long negative = 0;
        long total = 0;
        for (JsonNode f : summary.path("activations").path("perFace")) {
            DetectedFace face = face(f);
            INDArray x = FaceAnalyzer.input(photos.get(f.path("photo").asText()), face, expression);
            double[] spikes = expression.model().activations(x, "dense3").sum(2, 3).toDoubleVector();
            int top = 0;
            long silent = 0;
            for (int c = 0; c < spikes.length; c++) {
                assertThat(spikes[c]).as("after a ReLU").isGreaterThanOrEqualTo(0);
                top = spikes[c] > spikes[top] ? c : top;
                silent += spikes[c] == 0 ? 1 : 0;
            }
            assertThat(f.path("topNeurons").get(0).asInt()).isEqualTo(top);
            assertThat(f.path("topSpike").asDouble()).isCloseTo(spikes[top], within(1e-3 * spikes[top]));
            assertThat(f.path("silentNeurons").asLong()).isEqualTo(silent);
            for (double v : expression.model().activations(x, "dense3/conv3").sum(2, 3).toDoubleVector()) {
                negative += v < 0 ? 1 : 0;
                total++;
            }
        }
        assertThat(summary.path("activations").path("lastConvolutionNegativeSpikeShare").asDouble())
                .isCloseTo((double) negative / total, within(1e-6));
    }

    /** Adaptive IG: within the tolerance, or stopped at the step limit; the reported error is |sum - diff| / |diff|. */
    private static void checkAdaptive(JsonNode ig, FaceApiModel.Head head) {
        double sum = ig.path("sum").asDouble();
        double diff = ig.path("outputDifference").asDouble();
        double relative = ig.path("relativeError").asDouble();
        assertThat(relative).isCloseTo(Math.abs(sum - diff) / Math.abs(diff), within(1e-4));
        assertThat(relative <= work.igTolerance() + 1e-6 || ig.path("steps").asInt() + work.igPointsPerInterval() > FaceApiSection
                .maxIgSteps(work, head)).as(ig.toString()).isTrue();
    }

    @Test
    void areaSharesAreMaskAreasOverTheInputAndSharesAreConsistent() {
        for (JsonNode f : summary.path("faces")) {
            DetectedFace face = face(f);
            for (FaceApiModel model : List.of(expression, identity)) {
                String network = model == expression ? "expression" : "identity";
                JsonNode r = f.path("regions").path(network);
                RegionMasks masks = RegionMasks.of(face, model, FaceApiSection.REGION_MARGIN);
                int n = model.inputSize() * model.inputSize();
                boolean[] any = new boolean[n];
                boolean disjoint = true;
                double regionShares = 0;
                for (FaceRegion region : FaceRegion.values()) {
                    JsonNode cell = r.path(region.name().toLowerCase(Locale.ROOT));
                    assertThat(cell.path("area").asDouble()).as(network + " " + region)
                            .isCloseTo((double) masks.area(region) / n, within(1e-6));
                    assertThat(cell.path("share").asDouble()).isBetween(0.0, 1.0);
                    regionShares += cell.path("share").asDouble();
                    boolean[] m = masks.mask(region);
                    for (int p = 0; p < n; p++) {
                        disjoint &= !(m[p] && any[p]);
                        any[p] |= m[p];
                    }
                }
                int mouthNose = 0;
                int rest = 0;
                boolean[] mouth = masks.mask(FaceRegion.MOUTH);
                boolean[] nose = masks.mask(FaceRegion.NOSE);
                for (int p = 0; p < n; p++) {
                    mouthNose += mouth[p] || nose[p] ? 1 : 0;
                    rest += any[p] ? 0 : 1;
                }
                assertThat(r.path("mouthAndNose").path("area").asDouble()).isCloseTo((double) mouthNose / n,
                        within(1e-6));
                assertThat(r.path("rest").path("area").asDouble()).isCloseTo((double) rest / n, within(1e-6));
                double restShare = r.path("rest").path("share").asDouble();
                // the regions and the rest cover the input: their shares add to 1 when the regions do not overlap,
                // to more when they do (an overlap is counted in each region)
                if (disjoint) {
                    assertThat(regionShares).isLessThanOrEqualTo(1 + 1e-5);
                    assertThat(regionShares + restShare).isCloseTo(1, within(1e-5));
                } else {
                    assertThat(regionShares + restShare).isGreaterThanOrEqualTo(1 - 1e-5);
                }
                double mn = r.path("mouthAndNose").path("share").asDouble();
                double m = r.path("mouth").path("share").asDouble();
                double no = r.path("nose").path("share").asDouble();
                // The summary rounds shares to 6 decimals, so each of the three may be off by 5e-7: the bounds
                // allow 1.5e-6 (with disjoint masks, mn = m + no exactly before rounding, and hit the upper bound's
                // last digit on an AVX2-capped run).
                assertThat(mn).isBetween(Math.max(m, no) - 1.5e-6, m + no + 1.5e-6);
            }
        }
    }

    @Test
    void theRegionTableAveragesTheFacesAndTheSentenceFollowsTheNumbers() {
        Map<String, List<JsonNode>> byExpression = new LinkedHashMap<>();
        for (JsonNode f : summary.path("faces")) {
            byExpression.computeIfAbsent(f.path("predicted").asText(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<JsonNode>> e : byExpression.entrySet()) {
            JsonNode row = summary.path("regionTable").path(e.getKey());
            assertThat(row.path("faces").asInt()).isEqualTo(e.getValue().size());
            for (String network : List.of("expression", "identity")) {
                for (String column : List.of("mouth", "eyes", "brows", "nose", "mouthAndNose", "rest")) {
                    double mean = e.getValue().stream().mapToDouble(f -> f.path("regions").path(network)
                            .path(column).path("share").asDouble()).average().orElseThrow();
                    assertThat(row.path(network).path(column).path("share").asDouble()).as(column)
                            .isCloseTo(mean, within(1e-5));
                }
            }
        }
        JsonNode claim = summary.path("claim");
        int n = claim.path("faces").asInt();
        assertThat(n).isEqualTo(summary.path("faces").size());
        double eEnrichment = claim.path("expressionMouthNoseShare").asDouble()
                / claim.path("expressionMouthNoseArea").asDouble();
        double iEnrichment = claim.path("identityMouthNoseShare").asDouble()
                / claim.path("identityMouthNoseArea").asDouble();
        int higher = claim.path("facesWithHigherExpressionEnrichment").asInt();
        String text = claim.path("text").asText();
        if (2 * higher > n && eEnrichment > iEnrichment) {
            assertThat(text).contains("supports the first half");
        } else if (2 * higher < n && eEnrichment < iEnrichment) {
            assertThat(text).contains("contradicts the first half");
        } else {
            assertThat(text).contains("does not separate");
        }
        assertThat(text).contains(String.format(Locale.ROOT, "%.1f%%",
                100 * claim.path("expressionMouthNoseShare").asDouble()));
        assertThat(html).contains(text.replace("\"", "&quot;"));
    }

    @Test
    void theReportShowsTheSectionsFigures() {
        assertThat(html).contains("5. Real networks: face-api", "Where the networks look", "mouth+nose");
        for (String file : List.of("features_dense0.png", "features_dense3.png", "expression_ig_gradcam.png",
                "identity_ig.png", "activations_0_spikes.png", "activations_0_maps.png", "activations_0_top.png")) {
            assertThat(folder.resolve("faceapi").resolve(file)).isRegularFile();
            assertThat(html).contains("faceapi/" + file);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
