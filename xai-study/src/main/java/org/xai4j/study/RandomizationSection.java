package org.xai4j.study;

import static org.xai4j.study.StudyContext.blockLastConvs;
import static org.xai4j.study.StudyContext.fmt;
import static org.xai4j.study.StudyContext.lastConv;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.LayerSelectors;
import org.xai4j.activation.GradCam;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.LayerKind;
import org.xai4j.engine.ReinitializableModel;
import org.xai4j.sanity.MapExplainer;
import org.xai4j.sanity.ModelRandomization;
import org.xai4j.sanity.RandomizationResult;
import org.xai4j.viz.figure.BarChart;
import org.xai4j.viz.figure.PanelComparison;

/**
 * Section 4b, cascading model-parameter randomization (Adebayo et al., "Sanity Checks for Saliency Maps", NeurIPS
 * 2018): weights re-drawn layer by layer from the output towards the input; the Spearman correlation between the
 * maps of the trained and of the randomized network should fall, for integrated gradients and Grad-CAM.
 */
final class RandomizationSection implements StudySection {

    @Override public int steps(List<StudyCase> cases) {
        return cases.size();
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ReportWriter report = ctx.report;
        report.heading(3, "Sanity check: model-parameter randomization");
        report.paragraph("Cascading model-parameter randomization (Adebayo et al. 2018): the weights are re-drawn layer "
                + "by layer from the output towards the input; a faithful explanation must change, so the Spearman rank "
                + "correlation between |map| of the trained and of the randomized network should fall. Integrated "
                + "gradients are re-run on every randomized network with a fixed " + ctx.work.randomizationSteps()
                + "-point Gauss-Legendre rule: the test compares rankings of pixels, not completeness.");
        List<List<String>> table = new ArrayList<>();
        for (StudyCase c : ctx.cases) {
            List<Explained> ex = ctx.explained.get(c.key());
            ctx.step("sanity checks %s: randomization cascade", c.name());
            if (ex.isEmpty()) {
                continue;
            }
            Map<String, Object> m = report.summary("beyond", "sanity", c.key());
            if (!(c.model() instanceof ReinitializableModel model)) {
                m.put("randomization", "skipped: the model cannot re-initialize its layers (ReinitializableModel)");
                continue;
            }
            String layer = lastConv(model);
            INDArray inputs = StudyContext.batchOf(c);
            int[] targets = ex.stream().mapToInt(Explained::predicted).toArray();
            List<String> cascade = cascade(model, ctx.work.quick());
            RandomizationResult igR = ModelRandomization.builder().setModel(model).optLayers(cascade)
                    .setExplainer(MapExplainer.attribution(ctx::fixedIntegratedGradients))
                    .optProgressListener(ctx.cancellation()).build().run(inputs, targets);
            RandomizationResult camR = ModelRandomization.builder().setModel(model).optLayers(cascade)
                    .setExplainer(MapExplainer.activationMapper(mm -> GradCam.builder().setModel(mm)
                            .optLayer(layer).build()))
                    .optProgressListener(ctx.cancellation()).build().run(inputs, targets);
            double[] igMean = igR.meanSpearman();
            double[] camMean = camR.meanSpearman();
            double igLast = igMean[igMean.length - 1];
            double camLast = camMean[camMean.length - 1];
            m.put("randomizationCascade", cascade);
            m.put("igSpearmanPerStep", Arrays.stream(igMean).mapToObj(ReportWriter::num).toList());
            m.put("gradCamSpearmanPerStep", Arrays.stream(camMean).mapToObj(ReportWriter::num).toList());
            m.put("igSpearmanFullyRandomized", ReportWriter.num(igLast));
            m.put("gradCamSpearmanFullyRandomized", ReportWriter.num(camLast));
            report.figure("beyond/" + c.key() + "_randomization.png", cascadeChart(c.name(), cascade, igMean,
                    camMean), c.name() + ": mean Spearman correlation between the maps of the trained network and "
                    + "of the network randomized down to each layer (integrated gradients left, Grad-CAM right).");
            table.add(List.of(c.name(), Integer.toString(cascade.size()), fmt(igLast), fmt(camLast)));
        }
        report.table(List.of("model", "layers randomized", "randomized ρ IG", "randomized ρ Grad-CAM"), table);
    }

    /** The layers randomized in turn: the dense layers from the output, then the last conv of each block downwards. */
    private static List<String> cascade(ImageModel model, boolean quick) {
        List<String> layers = new ArrayList<>(LayerSelectors.ofKind(model, LayerKind.DENSE));
        Collections.reverse(layers);
        List<String> convs = new ArrayList<>(blockLastConvs(model));
        Collections.reverse(convs);
        layers.addAll(convs);
        return quick ? layers.subList(0, Math.min(2, layers.size())) : layers;
    }

    private static BufferedImage cascadeChart(String model, List<String> cascade, double[] ig, double[] cam) {
        return PanelComparison.builder().optTitle(model + ": randomization cascade (0 = " + cascade.get(0)
                        + ", last = " + cascade.get(cascade.size() - 1) + ")")
                .add("integrated gradients", correlationChart(ig, "IG"))
                .add("Grad-CAM", correlationChart(cam, "Grad-CAM")).build().render();
    }

    private static BufferedImage correlationChart(double[] rho, String what) {
        double[] v = Arrays.stream(rho).map(d -> Double.isFinite(d) ? d : 0).toArray();
        return BarChart.builder().setValues(v).optTitle("Spearman ρ, " + what)
                .optXAxisLabel("layers randomized (cascade step)").optYAxisLabel("ρ").optNoHighlight()
                .optSize(420, 240).build().render();
    }
}
