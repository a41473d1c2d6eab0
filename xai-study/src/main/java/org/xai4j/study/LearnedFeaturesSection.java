package org.xai4j.study;

import static org.xai4j.study.StudyContext.blockLastConvs;
import static org.xai4j.study.StudyContext.spread;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ImageModel;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.viz.figure.PanelComparison;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.nd4j.ImageArrays;

/**
 * Section 1, learned features: activation maximization of single neurons of the last conv layer of blocks 1-4 and of
 * a selection of the last conv layer's neurons; FaceVGG and EmotionVGG side by side. Blocks a transfer froze are
 * shown once.
 */
final class LearnedFeaturesSection implements StudySection {

    @Override public int steps(List<StudyCase> cases) {
        return cases.stream().mapToInt(c -> blockLastConvs(c.model()).size()).sum();
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ReportWriter report = ctx.report;
        report.heading(2, "1. Learned features");
        report.paragraph("Activation maximization from a gray image with small noise (Fourier parameterization, "
                + ctx.work.featureSteps() + " steps): images that maximally activate single neurons (the mean of one "
                + "channel) of the last conv layer of blocks 1-4, and a selection of neurons of the last conv layer.");
        Map<String, Object> summary = report.summary("features");
        Map<String, BufferedImage> lastGrids = new LinkedHashMap<>();
        Map<String, Map<String, String>> layerFiles = new LinkedHashMap<>();
        for (StudyCase c : ctx.cases) {
            ImageModel model = c.model();
            Map<String, Object> perModel = new LinkedHashMap<>();
            StudyCase sharedWith = c.role() == StudyRole.EMOTIONS ? ctx.caseOf(StudyRole.FACES).orElse(null)
                    : null;
            boolean shared = sharedWith != null && sameBody(sharedWith, c);
            report.heading(3, c.name());
            List<String> blockLayers = blockLastConvs(model);
            List<String> row = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int b = 0; b < blockLayers.size() - 1; b++) {
                String layer = blockLayers.get(b);
                String file;
                if (shared) {
                    ctx.step("features %s %s: identical to %s's (frozen in the transfer)", c.name(), layer,
                            sharedWith.name());
                    file = layerFiles.get(sharedWith.key()).get(layer);
                } else {
                    int channels = (int) model.layerShape(layer)[0];
                    int[] selected = spread(channels, Math.min(channels, ctx.work.featureChannels()));
                    ctx.step("features %s %s (%d neurons)", c.name(), layer, selected.length);
                    FeatureVisualization fv = ctx.visualize(model, layer, selected);
                    file = report.file("features/" + c.key() + "_" + layer + ".png",
                            grid(fv, selected, c.name() + " " + layer));
                    perModel.put(layer, summary(fv, selected));
                }
                layerFiles.computeIfAbsent(c.key(), k -> new LinkedHashMap<>()).put(layer, file);
                row.add(file);
                captions.add(c.name() + " " + layer + (shared ? " (identical to " + sharedWith.name()
                        + ": frozen in the transfer)" : ""));
            }
            report.row(row, captions);
            if (shared) {
                perModel.put("blocks1to4SharedWith", sharedWith.name());
            }
            String last = blockLayers.get(blockLayers.size() - 1);
            int channels = (int) model.layerShape(last)[0];
            int[] selected = spread(channels, Math.min(channels, ctx.work.lastLayerNeurons()));
            ctx.step("features %s %s (%d of %d neurons)", c.name(), last, selected.length, channels);
            FeatureVisualization fv = ctx.visualize(model, last, selected);
            BufferedImage grid = grid(fv, selected, c.name() + " " + last + " (" + selected.length + " of "
                    + channels + " neurons)");
            lastGrids.put(c.key(), grid);
            report.figure("features/" + c.key() + "_" + last + ".png", grid, c.name() + ", last conv layer "
                    + last + ": a selection of " + selected.length + " neurons.");
            perModel.put(last, summary(fv, selected));
            summary.put(c.key(), perModel);
        }
        StudyCase face = ctx.caseOf(StudyRole.FACES).orElse(null);
        StudyCase emotion = ctx.caseOf(StudyRole.EMOTIONS).orElse(null);
        if (face != null && emotion != null) {
            report.heading(3, "FaceVGG vs EmotionVGG, last conv layer");
            report.figure("features/face_vs_emotion_last_conv.png", PanelComparison.builder()
                    .optTitle("Last conv layer, same neurons").add(face.name(), lastGrids.get(face.key()))
                    .add(emotion.name(), lastGrids.get(emotion.key())).build().render(),
                    "Learned features of the last conv layer: FaceVGG (left) and EmotionVGG (right, retrained).");
        }
    }

    static BufferedImage grid(FeatureVisualization fv, int[] channels, String title) {
        TileGrid.Builder g = TileGrid.builder().optColumns(Math.min(8, channels.length)).optTitle(title)
                .optTileSize(72, 72);
        for (int i = 0; i < fv.size(); i++) {
            g.add(ImageArrays.toImage(fv.images(), i).toBufferedImage(), "#" + channels[i]);
        }
        return g.build().render();
    }

    private static Map<String, Object> summary(FeatureVisualization fv, int[] channels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("neurons", channels);
        m.put("meanInitialObjective", ReportWriter.num(Arrays.stream(fv.initialValues()).average().orElse(0)));
        m.put("meanFinalObjective", ReportWriter.num(Arrays.stream(fv.finalValues()).average().orElse(0)));
        return m;
    }

    /** Whether two networks compute the same activations up to the last conv layer of block 4 (frozen transfer). */
    private static boolean sameBody(StudyCase a, StudyCase b) {
        List<String> la = blockLastConvs(a.model());
        List<String> lb = blockLastConvs(b.model());
        if (la.size() < 2 || !la.equals(lb) || a.inputs().isEmpty()
                || !Arrays.equals(a.model().inputShape(), b.model().inputShape())) {
            return false;
        }
        String layer = la.get(la.size() - 2);
        INDArray x = a.inputs().get(0).batch();
        INDArray ya = a.model().activations(x.castTo(a.model().dataType()), layer);
        INDArray yb = b.model().activations(x.castTo(b.model().dataType()), layer);
        double scale = Math.max(1e-12, ya.amaxNumber().doubleValue());
        return ya.sub(yb.castTo(ya.dataType())).amaxNumber().doubleValue() <= 1e-4 * scale;
    }
}
