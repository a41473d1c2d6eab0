package org.xai4j.study;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.LayerSelectors;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.AdaptiveStrategy;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.ImageModel;
import org.xai4j.features.ActivationMaximization;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.transform.ImageTransforms;

/**
 * What the sections of one study run share: the workload, the report, the networks with their inputs and shared
 * explanations, progress and cancellation, and the study's ways of drawing and explaining.
 */
final class StudyContext {

    final Workload work;
    final ReportWriter report;
    final List<StudyCase> cases;
    /** Per role key, the shared explanations of its inputs (filled before the sections that read them). */
    final Map<String, List<Explained>> explained = new LinkedHashMap<>();

    private final StudyProgress progress;
    private final AttributionVisualizer visualizer = AttributionVisualizer.builder().build();

    StudyContext(Workload work, ReportWriter report, List<StudyCase> cases, StudyProgress progress) {
        this.work = work;
        this.report = report;
        this.cases = cases;
        this.progress = progress;
    }

    /**
     * Starts a step (see {@link StudyProgress#step}).
     *
     * @throws org.xai4j.ExplanationCancelledException if the study is cancelled
     */
    void step(String format, Object... args) {
        progress.step(format, args);
    }

    /** A listener for the explainers a step runs: it only passes cancellation on. */
    ProgressListener cancellation() {
        return progress.cancellation();
    }

    /** The case of a role, if that role runs. */
    Optional<StudyCase> caseOf(StudyRole role) {
        return cases.stream().filter(c -> c.role() == role).findFirst();
    }

    // ---------------------------------------------------------------------------------------- explaining

    /** The report's integrated gradients: adaptive to the tolerance, from a black baseline. */
    IntegratedGradients integratedGradients(ImageModel model) {
        return IntegratedGradients.builder().setModel(model).optRule(IntegrationRule.GAUSS_LEGENDRE)
                .optSteps(work.igPointsPerInterval())
                .optAdaptive(work.igTolerance(), work.igMaxSteps(), AdaptiveStrategy.SUBDIVIDE)
                .optBaselines(Baseline.zero()).optInternalBatchSize(32).optProgressListener(cancellation()).build();
    }

    /** Integrated gradients with a fixed rule, for the randomization test's many re-runs on randomized networks. */
    IntegratedGradients fixedIntegratedGradients(ImageModel model) {
        return IntegratedGradients.builder().setModel(model).optRule(IntegrationRule.GAUSS_LEGENDRE)
                .optSteps(work.randomizationSteps()).optBaselines(Baseline.zero()).optInternalBatchSize(32)
                .optProgressListener(cancellation()).build();
    }

    /** Activation maximization of some channels of a layer, as the seed study shows learned features. */
    FeatureVisualization visualize(ImageModel model, String layer, int[] channels) {
        return visualize(model, layer, channels, work.featureSteps());
    }

    /** {@link #visualize(ImageModel, String, int[])} with another number of optimization steps. */
    FeatureVisualization visualize(ImageModel model, String layer, int[] channels, int steps) {
        return ActivationMaximization.builder().setModel(model).optSteps(steps).optSeed(0)
                .optJitter((int) Math.min(4, model.inputShape()[1] / 16)).optBatchSize(32)
                .optProgressListener(cancellation()).build().visualizeChannels(layer, channels);
    }

    /** The last convolution of every block, in order ({@code block1_conv2, ..., block5_conv3}). */
    static List<String> blockLastConvs(ImageModel model) {
        return LayerSelectors.lastConvolutionOfEachBlock(model);
    }

    static String lastConv(ImageModel model) {
        return LayerSelectors.lastConvolution(model);
    }

    // ---------------------------------------------------------------------------------------- drawing

    /** An image enlarged by a whole factor to about 192 pixels, so that 64x64 toy images stay readable. */
    static RgbImage display(RgbImage image) {
        return ImageTransforms.enlarge(image, Math.max(1, 192 / Math.max(image.height(), image.width())));
    }

    BufferedImage overlay(AttributionMap map, RgbImage image) {
        return visualizer.render(map, display(image), VisualizationMethod.BLENDED_HEAT_MAP);
    }

    /** The input's name, the prediction with its probability, and whether it is right where the truth is known. */
    static String title(StudyCase c, Explained e) {
        Integer truth = e.input().truth().get(c.key());
        String t = e.input().name() + "\npred: " + c.classifier().label(e.predicted())
                + String.format(Locale.ROOT, " (%.2f)", e.probability());
        if (truth != null) {
            t += truth == e.predicted() ? " ✓" : " ✗ true: " + c.classifier().label(truth);
        }
        return t;
    }

    // ---------------------------------------------------------------------------------------- numbers

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }

    /** The mean of the finite values (NaN if none). */
    static double mean(List<Double> values) {
        return values.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** {@code k} indices spread evenly over {@code 0..n-1}. */
    static int[] spread(int n, int k) {
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = (int) ((long) i * n / k);
        }
        return idx;
    }

    /** The inputs of a case as one batch in the model's data type. */
    static INDArray batchOf(StudyCase c) {
        INDArray[] xs = c.inputs().stream().map(StudyInput::batch).toArray(INDArray[]::new);
        return Nd4j.concat(0, xs).castTo(c.model().dataType());
    }
}
