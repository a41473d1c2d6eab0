package org.xai4j.study;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.io.OutputFolder;
import org.xai4j.models.ImageClassifier;

/**
 * The seed study ("Explainability in Deep Learning Image Classification Networks") as one call: learned features,
 * per-neuron activation maps with spike plots, integrated gradients and, beyond the seed, Grad-CAM next to
 * integrated gradients, the randomization test, deletion and insertion, and localization against ground truth;
 * written as a self-contained report folder ({@code index.html}, PNG figures, {@code summary.json}).
 *
 * <pre>{@code
 * StudyResult result = new Study(StudyConfig.builder().build())   // the toy world and its three mini-VGGs
 *         .run(Path.of("xai4j-study"));
 * System.out.println(result.index());
 * }</pre>
 *
 * <p>Sections, in report order: {@link LearnedFeaturesSection learned features}, {@link ActivationMapsSection
 * activation maps and spikes}, {@link IntegratedGradientsSection integrated gradients} (adaptive to
 * {@link StudyConfig#igTolerance()} of {@code |F(x) - F(x')|}, each image's relative error reported), then
 * {@link GradCamVsIgSection Grad-CAM vs IG}, the {@link RandomizationSection randomization test},
 * {@link DeletionInsertionSection deletion/insertion} and {@link LocalizationSection localization}; then, unless
 * {@link StudyConfig#faceApi()} is off, {@link FaceApiSection real trained networks} (face-api's expression and
 * identity networks on its demo photos, with the region table that tests the seed's claim).
 *
 * <p>The report is written into a staging folder next to the target and moved into place when complete; a failed
 * or cancelled run leaves nothing. The run reports each step (a section of one network, one image) to
 * {@link StudyConfig#progressListener()} and stops at the next step or internal batch when its thread is interrupted
 * or the listener cancels.
 */
public final class Study {

    private static final String TITLE = "Explainability in VGG networks, reproduced with xai4j";

    private final StudyConfig config;

    /**
     * A study of a configuration.
     *
     * @param config what to run on and how much work to do
     * @throws NullPointerException if {@code config} is null
     */
    public Study(StudyConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public StudyConfig config() {
        return config;
    }

    /**
     * Runs the study and writes its report.
     *
     * @param reportFolder the folder to write; a non-empty one is replaced only with
     *                     {@link StudyConfig.Builder#optReplaceExisting}
     * @return what was written
     * @throws NullPointerException                         if {@code reportFolder} is null
     * @throws java.nio.file.DirectoryNotEmptyException     if the folder is not empty and may not be replaced
     *                                                      (checked before any work)
     * @throws java.nio.file.NotDirectoryException          if it is a file
     * @throws IOException                                  if the report cannot be written
     * @throws org.xai4j.ExplanationCancelledException      if the thread was interrupted or the listener cancelled;
     *                                                      nothing is left of the report
     * @throws IllegalStateException                        if a shipped toy model is damaged (a broken installation)
     * @throws java.io.UncheckedIOException                 if a shipped toy model is missing (a broken installation)
     */
    public StudyResult run(Path reportFolder) throws IOException {
        Objects.requireNonNull(reportFolder, "reportFolder must not be null");
        OutputFolder.check(reportFolder, config.replaceExisting());
        long t0 = System.nanoTime();
        List<StudySection> sections = new ArrayList<>(List.of(new LearnedFeaturesSection(), new ExplainedInputs(),
                new ActivationMapsSection(), new IntegratedGradientsSection(), new GradCamVsIgSection(),
                new RandomizationSection(), new DeletionInsertionSection(), new LocalizationSection()));
        if (config.faceApi()) {
            sections.add(new FaceApiSection());
        }
        Map<StudyRole, ImageClassifier> models = new EnumMap<>(StudyRole.class);
        models.putAll(config.models());
        List<ImageClassifier> loaded = new ArrayList<>();
        boolean toyWorld = config.images().isEmpty();
        try (ReportWriter report = ReportWriter.open(reportFolder, config.replaceExisting())) {
            long setup = toyWorld ? 2 : 1;
            StudyProgress progress = new StudyProgress(config.progressListener(), setup);
            List<StudyRole> missing = config.roles().stream().filter(r -> !models.containsKey(r)).toList();
            progress.step(missing.isEmpty() ? "using the given networks" : "loading the shipped toy mini-VGGs for "
                    + String.join(", ", missing.stream().map(StudyRole::key).toList()));
            for (StudyRole role : missing) {
                ImageClassifier toy = role.loadToyModel();
                loaded.add(toy);
                models.put(role, toy);
            }
            boolean large = config.roles().stream().anyMatch(r -> models.get(r).model().inputShape()[1] > 64);
            Workload work = large ? config.workload().forLargeInputs() : config.workload();
            Map<String, Double> accuracy = new LinkedHashMap<>();
            List<StudyCase> cases;
            if (toyWorld) {
                progress.step("choosing held-out inputs (correct and misclassified)");
                cases = StudyCases.toyWorld(models, work, accuracy);
            } else {
                cases = StudyCases.onImages(config.roles(), models, config.images().orElseThrow());
            }
            progress.plan(setup + sections.stream().mapToLong(s -> s.steps(cases)).sum());
            StudyContext ctx = new StudyContext(work, report, cases, progress);
            writeModels(report, cases, work, accuracy, large);
            for (StudySection section : sections) {
                section.write(ctx);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            report.summary().put("seconds", ReportWriter.num(seconds));
            int figures = report.figureCount();
            Path folder = report.finish("Explainability in VGG networks — xai4j study");
            progress.finished(String.format(Locale.ROOT, "wrote %d figures to %s", figures, folder));
            Map<String, Object> summary = new ObjectMapper().convertValue(report.summary(),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
            return new StudyResult(folder, config.mode(), cases.stream().map(StudyCase::name).toList(), figures,
                    maxRelativeError(ctx), seconds, summary);
        } finally {
            loaded.forEach(m -> m.model().close());
        }
    }

    private void writeModels(ReportWriter report, List<StudyCase> cases, Workload work,
                             Map<String, Double> accuracy, boolean large) {
        boolean real = config.images().isPresent() && !config.models().isEmpty();
        Map<String, Object> s = report.summary();
        s.put("title", TITLE);
        s.put("createdAt", Instant.now().toString());
        s.put("mode", config.mode());
        s.put("config", work);
        Map<String, Object> shipped = real ? Map.of() : StudyCases.shippedAccuracies();
        Map<String, Object> models = report.summary("models");
        for (StudyCase c : cases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("inputShape", c.model().inputShape());
            m.put("classes", c.classifier().labels().size());
            m.put("preprocessing", c.classifier().preprocessing().name());
            m.put("lastConvLayer", StudyContext.lastConv(c.model()));
            if (accuracy.containsKey(c.key())) {
                m.put("accuracyOnScannedHeldOut", ReportWriter.num(accuracy.get(c.key())));
                m.put("scannedHeldOutSamples", work.scan());
            }
            if (shipped.get(c.name()) != null) {
                m.put("shippedHeldOutAccuracy", shipped.get(c.name()));
            }
            models.put(c.key(), m);
        }
        report.paragraph("Models: " + String.join(", ", cases.stream().map(c -> c.name() + " ("
                + c.model().inputShape()[1] + "x" + c.model().inputShape()[2] + ", "
                + c.classifier().labels().size() + " classes" + (accuracy.containsKey(c.key())
                ? String.format(Locale.ROOT, ", %.0f%% correct on the %d scanned held-out images",
                        100 * accuracy.get(c.key()), work.scan()) : "")
                + ")").toList()) + (work.quick() ? ". Quick configuration." : ".")
                + (large ? " Full-size networks: fewer feature images." : ""));
    }

    private static double maxRelativeError(StudyContext ctx) {
        return ctx.explained.values().stream().flatMap(List::stream).mapToDouble(Explained::relativeError)
                .filter(Double::isFinite).max().orElse(Double.NaN);
    }

    @Override public String toString() {
        return "Study[" + config + "]";
    }
}
