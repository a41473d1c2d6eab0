package org.xai4j.study;

import static org.xai4j.study.StudyContext.display;
import static org.xai4j.study.StudyContext.fmt;
import static org.xai4j.study.StudyContext.lastConv;
import static org.xai4j.study.StudyContext.title;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.compare.LayerComparison;
import org.xai4j.compare.NetworkComparison;
import org.xai4j.engine.ImageModel;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.models.toy.Mask;
import org.xai4j.sanity.Localization;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.colormap.StandardColormap;
import org.xai4j.viz.figure.BarChart;
import org.xai4j.viz.figure.PanelComparison;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.figure.TileScaling;
import org.xai4j.viz.nd4j.ImageArrays;
import org.xai4j.viz.overlay.ChannelScaling;
import org.xai4j.viz.overlay.Overlays;

/**
 * Section 2, activation maps of the last conv layer: every neuron's map, the spike plot of per-neuron sums with the
 * top neuron, its map over the image and its learned feature; then FaceVGG and EmotionVGG on the same faces (top
 * maps, spike correlations, the top map's mass on face regions).
 */
final class ActivationMapsSection implements StudySection {

    @Override public int steps(List<StudyCase> cases) {
        return cases.size() + (hasFaceAndEmotion(cases) ? 1 : 0);
    }

    private static boolean hasFaceAndEmotion(List<StudyCase> cases) {
        return cases.stream().anyMatch(c -> c.role() == StudyRole.FACES)
                && cases.stream().anyMatch(c -> c.role() == StudyRole.EMOTIONS);
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ReportWriter report = ctx.report;
        report.heading(2, "2. Activation maps of the last conv layer");
        report.paragraph("Each input is passed through an activation model of the last conv layer. For every neuron we "
                + "show its activation map, the spike plot of per-neuron sums (top neuron highlighted) and the top "
                + "neuron's map over the image. Titles give the model's prediction.");
        Map<String, Object> summary = report.summary("activations");
        Map<String, LayerActivations> byKey = new LinkedHashMap<>();
        for (StudyCase c : ctx.cases) {
            ImageModel model = c.model();
            String layer = lastConv(model);
            ctx.step("activation maps %s %s and the top neurons' features", c.name(), layer);
            report.heading(3, c.name() + " — " + layer);
            List<Explained> ex = ctx.explained.get(c.key());
            TileGrid.Builder inputs = TileGrid.builder().optColumns(Math.max(1, ex.size()))
                    .optTitle(c.name() + " inputs");
            for (Explained e : ex) {
                inputs.add(display(e.input().image()).toBufferedImage(), title(c, e));
            }
            report.figure("activations/" + c.key() + "_inputs.png", inputs.build().render(),
                    c.name() + ": the inputs, with the prediction (and the truth where known) in the titles.");
            LayerActivations acts = NeuronActivations.builder().setModel(model).setLayer(layer).build()
                    .activations(StudyContext.batchOf(c));
            byKey.put(c.key(), acts);
            int[] tops = IntStream.range(0, ex.size()).map(i -> acts.topK(i, 1)[0]).distinct().toArray();
            FeatureVisualization topFeatures = ctx.visualize(model, layer, tops);
            Map<Integer, BufferedImage> featureOf = new LinkedHashMap<>();
            for (int k = 0; k < tops.length; k++) {
                featureOf.put(tops[k], display(ImageArrays.toImage(topFeatures.images(), k)).toBufferedImage());
            }
            List<Object> perInput = new ArrayList<>();
            for (int i = 0; i < ex.size(); i++) {
                Explained e = ex.get(i);
                int top = acts.topK(i, 1)[0];
                double[] spikes = acts.spikes(i);
                INDArray raw = acts.activations().get(NDArrayIndex.point(i)).dup('c');
                AttributionMap maps = ImageArrays.toMap(raw);
                String cap = e.input().name() + " → " + c.classifier().label(e.predicted());
                TileGrid.Builder g = TileGrid.builder().optColumns(Math.min(8, maps.channels()))
                        .optTileSize(40, 40).optScaling(TileScaling.PIXELATED)
                        .optTitle(c.name() + " " + layer + ": " + cap);
                List<BufferedImage> heat = Overlays.channelHeatMaps(maps, StandardColormap.VIRIDIS,
                        ChannelScaling.PER_CHANNEL);
                for (int n = 0; n < heat.size(); n++) {
                    g.add(heat.get(n), n == top ? "#" + n + " top" : "#" + n);
                }
                String base = "activations/" + c.key() + "_" + i;
                String mapsFile = report.file(base + "_maps.png", g.build().render());
                String spikeFile = report.file(base + "_spikes.png", spikeChart(spikes, top, c.name() + ": " + cap));
                String topFile = report.file(base + "_top.png", ctx.overlay(ImageArrays.toMap(acts.map(i, top)),
                        e.input().image()));
                String featureFile = report.file(base + "_top_feature.png", featureOf.get(top));
                report.row(List.of(featureFile, topFile, spikeFile, mapsFile), List.of(
                        "Neuron " + top + "'s learned feature (activation maximization)",
                        "Neuron " + top + " (top spike) over " + e.input().name(),
                        "Spike plot: per-neuron sums of the activation maps; neuron " + top + " highlighted.",
                        "All " + maps.channels() + " activation maps of " + layer + " (" + raw.size(1) + "x"
                                + raw.size(2) + ")."));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", e.input().name());
                m.put("predicted", c.classifier().label(e.predicted()));
                m.put("probability", ReportWriter.num(e.probability()));
                Integer truth = e.input().truth().get(c.key());
                if (truth != null) {
                    m.put("truth", c.classifier().label(truth));
                    m.put("correct", truth == e.predicted());
                }
                m.put("topNeurons", acts.topK(i, Math.min(5, acts.channels())));
                m.put("topSpike", ReportWriter.num(spikes[top]));
                perInput.add(m);
            }
            summary.put(c.key(), perInput);
        }
        if (hasFaceAndEmotion(ctx.cases)) {
            summary.put("faceVsEmotion", faceVsEmotion(ctx, byKey));
        }
    }

    static BufferedImage spikeChart(double[] spikes, int top, String title) {
        return BarChart.builder().setValues(spikes).optTitle(title).optXAxisLabel("neuron")
                .optYAxisLabel("spike total").optHighlight(top).optHighlightLabel("neuron " + top).optSize(480, 240)
                .build().render();
    }

    private static Object faceVsEmotion(StudyContext ctx, Map<String, LayerActivations> byKey) throws IOException {
        ReportWriter report = ctx.report;
        StudyCase face = ctx.caseOf(StudyRole.FACES).orElseThrow();
        StudyCase emotion = ctx.caseOf(StudyRole.EMOTIONS).orElseThrow();
        ctx.step("%s vs %s on the same faces", face.name(), emotion.name());
        report.heading(3, face.name() + " vs " + emotion.name() + " on the same faces");
        report.paragraph("The same faces through both networks' last conv layer: top neuron's map and spike plot. "
                + "Where ground-truth masks exist, the share of the top map's mass on the mouth, eyes, eyebrows and "
                + "the whole face is reported (the seed: VGGFace's maps are global, VGGEmotion's center on mouth and "
                + "nose). Spike correlations: Pearson and Spearman correlation of the two spike vectors (neuron i of "
                + "both layers; the emotion layer was retrained, so low values mean the neurons were re-purposed).");
        LayerActivations fa = byKey.get(face.key());
        LayerActivations ea = byKey.get(emotion.key());
        List<Object> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        List<String> regions = List.of("mouth", "eyes", "eyebrows", "face");
        for (int i = 0; i < face.inputs().size(); i++) {
            StudyInput in = face.inputs().get(i);
            int ft = fa.topK(i, 1)[0];
            int et = ea.topK(i, 1)[0];
            Explained fe = ctx.explained.get(face.key()).get(i);
            Explained ee = ctx.explained.get(emotion.key()).get(i);
            BufferedImage fig = PanelComparison.builder().optTitle(in.name())
                    .add(face.name() + ": neuron " + ft, ctx.overlay(ImageArrays.toMap(fa.map(i, ft)), in.image()))
                    .add(emotion.name() + ": neuron " + et + " → " + emotion.classifier().label(ee.predicted()),
                            ctx.overlay(ImageArrays.toMap(ea.map(i, et)), in.image()))
                    .add(face.name() + " spikes", spikeChart(fa.spikes(i), ft, ""))
                    .add(emotion.name() + " spikes", spikeChart(ea.spikes(i), et, ""))
                    .build().render();
            report.figure("activations/face_vs_emotion_" + i + ".png", fig, in.name() + ": " + face.name()
                    + " (predicts " + face.classifier().label(fe.predicted()) + ") vs " + emotion.name() + " (predicts "
                    + emotion.classifier().label(ee.predicted()) + ").");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", in.name());
            m.put("faceTopNeuron", ft);
            m.put("emotionTopNeuron", et);
            Map<String, ImageModel> pair = new LinkedHashMap<>();
            pair.put(face.name(), face.model());
            pair.put(emotion.name(), emotion.model());
            LayerComparison cmp = NetworkComparison.compare(pair, in.batch(), lastConv(face.model()));
            m.put("spikePearson", ReportWriter.num(cmp.pearson()[0][1]));
            m.put("spikeSpearman", ReportWriter.num(cmp.spearman()[0][1]));
            m.put("largestRankChanges", cmp.largestRankChanges(Math.min(5, cmp.neurons())).stream()
                    .map(r -> Map.of("neuron", r.neuron(), "faceRank", r.referenceRank(), "emotionRank", r.rank()))
                    .toList());
            List<String> cells = new ArrayList<>(List.of(in.name(), fmt(cmp.pearson()[0][1]),
                    fmt(cmp.spearman()[0][1])));
            if (!in.masks().isEmpty()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                Map<String, Object> em = new LinkedHashMap<>();
                INDArray fmap = fa.map(i, ft).reshape(1, fa.height(), fa.width());
                INDArray emap = ea.map(i, et).reshape(1, ea.height(), ea.width());
                for (String r : regions) {
                    Mask mask = in.masks().get(r);
                    if (mask != null) {
                        double fv = Localization.relevanceMass(fmap, mask.toArray())[0];
                        double ev = Localization.relevanceMass(emap, mask.toArray())[0];
                        fm.put(r, ReportWriter.num(fv));
                        em.put(r, ReportWriter.num(ev));
                        cells.add(fmt(fv) + " / " + fmt(ev));
                    }
                }
                m.put("faceTopMapMass", fm);
                m.put("emotionTopMapMass", em);
            }
            rows.add(m);
            table.add(cells);
        }
        List<String> header = new ArrayList<>(List.of("input", "spike Pearson", "spike Spearman"));
        if (!face.inputs().isEmpty() && !face.inputs().get(0).masks().isEmpty()) {
            regions.forEach(r -> header.add(r + " mass (face / emotion)"));
        }
        report.table(header, table);
        return rows;
    }
}
