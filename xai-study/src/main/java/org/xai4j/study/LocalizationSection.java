package org.xai4j.study;

import static org.xai4j.study.StudyContext.fmt;
import static org.xai4j.study.StudyContext.mean;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.Predictions;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.models.toy.Emotion;
import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.FaceWorld;
import org.xai4j.models.toy.Mask;
import org.xai4j.models.toy.ObjectWorld;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.toy.ToySample;
import org.xai4j.sanity.Localization;
import org.xai4j.sanity.LocalizationScores;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.nd4j.ImageArrays;

/**
 * Section 4d, localization against the toy worlds' ground-truth masks: relevance mass and the pointing game (Zhang et
 * al., "Top-down Neural Attention by Excitation Backprop", ECCV 2016) for integrated gradients and Grad-CAM, and
 * where EmotionVGG's integrated gradients put the evidence for each emotion. Skipped for images without masks.
 */
final class LocalizationSection implements StudySection {

    private static final List<String> EMOTION_REGIONS = List.of(FaceWorld.MASK_MOUTH, FaceWorld.MASK_EYEBROWS,
            FaceWorld.MASK_EYES, FaceWorld.MASK_FACE);

    @Override public int steps(List<StudyCase> cases) {
        return 1 + (emotionCaseWithMasks(cases) != null ? Emotion.values().length : 0);
    }

    private static StudyCase emotionCaseWithMasks(List<StudyCase> cases) {
        return cases.stream().filter(c -> c.role() == StudyRole.EMOTIONS && !c.inputs().isEmpty()
                && !c.inputs().get(0).masks().isEmpty()).findFirst().orElse(null);
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ReportWriter report = ctx.report;
        ctx.step("localization");
        report.heading(3, "Localization against ground truth");
        Map<String, Object> summary = report.summary("beyond", "localization");
        boolean any = ctx.cases.stream().anyMatch(c -> c.inputs().stream().anyMatch(i -> !i.masks().isEmpty()));
        if (!any) {
            report.paragraph("Skipped: these images have no ground-truth masks (the toy worlds do).");
            summary.put("skipped", "no ground-truth masks");
            return;
        }
        report.paragraph("Relevance mass (share of |IG|, or of the Grad-CAM map, inside a region; compare with the "
                + "region's share of the image, the chance level) and the pointing game (is the most relevant pixel "
                + "inside the region, within 15 pixels at 224x224 scaled to the image?).");
        List<List<String>> table = new ArrayList<>();
        for (StudyCase c : ctx.cases) {
            String region = c.role() == StudyRole.OBJECTS ? ObjectWorld.MASK_OBJECT : FaceWorld.MASK_FACE;
            List<Double> area = new ArrayList<>();
            List<INDArray> igMaps = new ArrayList<>();
            List<INDArray> camMaps = new ArrayList<>();
            List<INDArray> masks = new ArrayList<>();
            for (Explained e : ctx.explained.get(c.key())) {
                Mask mask = e.input().masks().get(region);
                if (mask == null) {
                    continue;
                }
                igMaps.add(PixelRelevance.ABSOLUTE_SUM.reduce(e.ig()));
                camMaps.add(e.gradCam().reshape(1, e.gradCam().size(0), e.gradCam().size(1)));
                masks.add(mask.toArray());
                area.add(mask.fraction());
            }
            int n = masks.size();
            if (n == 0) {
                continue;
            }
            INDArray maskBatch = Nd4j.concat(0, masks.toArray(INDArray[]::new));
            double tolerance = tolerance(masks.get(0));
            LocalizationScores igScores = Localization.evaluate(Nd4j.concat(0, igMaps.toArray(INDArray[]::new)),
                    maskBatch, tolerance);
            LocalizationScores camScores = Localization.evaluate(Nd4j.concat(0, camMaps.toArray(INDArray[]::new)),
                    maskBatch, tolerance);
            List<Double> mass = new ArrayList<>();
            for (double v : igScores.relevanceMass()) {
                mass.add(v);
            }
            List<Double> camMass = new ArrayList<>();
            for (double v : camScores.relevanceMass()) {
                camMass.add(v);
            }
            int hits = (int) Math.round(igScores.pointingAccuracy() * n);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("region", region);
            m.put("images", n);
            m.put("igMass", ReportWriter.num(mean(mass)));
            m.put("gradCamMass", ReportWriter.num(mean(camMass)));
            m.put("areaFraction", ReportWriter.num(mean(area)));
            m.put("pointingGame", ReportWriter.num((double) hits / n));
            m.put("gradCamPointingGame", ReportWriter.num(camScores.pointingAccuracy()));
            m.put("pointingTolerancePixels", ReportWriter.num(tolerance));
            summary.put(c.key(), m);
            table.add(List.of(c.name(), region, Integer.toString(n), fmt(mean(mass)), fmt(mean(camMass)),
                    fmt(mean(area)), fmt((double) hits / n), fmt(camScores.pointingAccuracy())));
        }
        report.table(List.of("model", "region", "images", "IG mass", "Grad-CAM mass", "area (chance)",
                "pointing game IG", "pointing game Grad-CAM"), table);
        StudyCase emotion = emotionCaseWithMasks(ctx.cases);
        if (emotion != null) {
            summary.put("emotionRegions", emotionRegions(ctx, emotion));
        }
    }

    /** The pointing-game tolerance: 15 pixels at 224x224 (Zhang et al.), scaled to the image. */
    private static double tolerance(INDArray mask) {
        return 15.0 * Math.max(mask.size(1), mask.size(2)) / 224.0;
    }

    /** IG mass of EmotionVGG on mouth, eyes, eyebrows and face, averaged over a few held-out faces per emotion. */
    private static Object emotionRegions(StudyContext ctx, StudyCase c) throws IOException {
        ReportWriter report = ctx.report;
        int perEmotion = ctx.work.perEmotion();
        ImageModel model = c.model();
        FaceWorld world = ToyModels.faceWorld(FaceTask.EMOTION);
        report.paragraph(c.name() + ": integrated gradients of the true emotion on " + perEmotion
                + " held-out face(s) per emotion; share of |IG| on each region (region's share of the image in "
                + "brackets), the expression regions' (mouth, eyebrows, eyes) share of the face's mass, and the "
                + "pointing game on the expression regions (strict: the top pixel must lie inside).");
        IntegratedGradients ig = ctx.integratedGradients(model);
        int emotions = Emotion.values().length;
        long start = ToyModels.TEST_START;
        Map<String, Object> out = new LinkedHashMap<>();
        List<List<String>> table = new ArrayList<>();
        TileGrid.Builder grid = TileGrid.builder().optColumns(emotions).optTitle(c.name()
                + ": IG of the true emotion, one face per emotion");
        for (Emotion e : Emotion.values()) {
            ctx.step("localization %s %s (%d faces)", c.name(), e.displayName(), perEmotion);
            int offset = (int) Math.floorMod(e.ordinal() - start, (long) emotions);
            Map<String, List<Double>> mass = new LinkedHashMap<>();
            Map<String, List<Double>> area = new LinkedHashMap<>();
            int correct = 0;
            int expressionHits = 0;
            for (int j = 0; j < perEmotion; j++) {
                ToySample s = world.sample(start + offset + (long) j * emotions);
                INDArray x = ImageArrays.toBatch(StudyCases.image(s)).castTo(model.dataType());
                correct += Predictions.predictedClasses(model, x)[0] == e.ordinal() ? 1 : 0;
                INDArray a = ig.attribute(x, Objective.classLogit(e.ordinal())).values();
                INDArray rel = PixelRelevance.ABSOLUTE_SUM.reduce(a);
                for (String r : EMOTION_REGIONS) {
                    mass.computeIfAbsent(r, k -> new ArrayList<>())
                            .add(Localization.relevanceMass(rel, s.mask(r).toArray())[0]);
                    area.computeIfAbsent(r, k -> new ArrayList<>()).add(s.mask(r).fraction());
                }
                Mask expression = s.mask(FaceWorld.MASK_MOUTH).union(s.mask(FaceWorld.MASK_EYEBROWS), "expr")
                        .union(s.mask(FaceWorld.MASK_EYES), "expression");
                expressionHits += Localization.pointingGame(rel, expression.toArray(), 0)[0] ? 1 : 0;
                if (j == 0) {
                    BufferedImage overlay = ctx.overlay(ImageArrays.toMap(a, 0), StudyCases.image(s));
                    grid.add(overlay, String.format(Locale.ROOT, "%s\nmouth %.0f%% brows %.0f%%", e.displayName(),
                            100 * mass.get(FaceWorld.MASK_MOUTH).get(0),
                            100 * mass.get(FaceWorld.MASK_EYEBROWS).get(0)));
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> massOut = new LinkedHashMap<>();
            Map<String, Object> areaOut = new LinkedHashMap<>();
            List<String> row = new ArrayList<>(List.of(e.displayName(), correct + "/" + perEmotion));
            for (String r : EMOTION_REGIONS) {
                massOut.put(r, ReportWriter.num(mean(mass.get(r))));
                areaOut.put(r, ReportWriter.num(mean(area.get(r))));
                row.add(String.format(Locale.ROOT, "%s (%s)", fmt(mean(mass.get(r))), fmt(mean(area.get(r)))));
            }
            double faceMass = mean(mass.get(FaceWorld.MASK_FACE));
            double expr = mean(mass.get(FaceWorld.MASK_MOUTH)) + mean(mass.get(FaceWorld.MASK_EYEBROWS))
                    + mean(mass.get(FaceWorld.MASK_EYES));
            double exprShareOfFace = faceMass > 0 ? expr / faceMass : Double.NaN;
            row.add(fmt(exprShareOfFace));
            row.add(expressionHits + "/" + perEmotion);
            m.put("images", perEmotion);
            m.put("correct", correct);
            m.put("igMass", massOut);
            m.put("areaFraction", areaOut);
            m.put("expressionShareOfFaceMass", ReportWriter.num(exprShareOfFace));
            m.put("pointingGameExpressionRegions", ReportWriter.num((double) expressionHits / perEmotion));
            out.put(e.displayName(), m);
            table.add(row);
        }
        report.figure("beyond/emotion_regions.png", grid.build().render(), c.name()
                + ": where integrated gradients put the evidence for each emotion (share of |IG| on mouth and "
                + "eyebrows in the captions).");
        List<String> header = new ArrayList<>(List.of("emotion", "correct"));
        EMOTION_REGIONS.forEach(r -> header.add(r + " mass (area)"));
        header.add("(mouth+eyebrows+eyes) / face");
        header.add("pointing game, expression regions");
        report.table(header, table);
        return out;
    }
}
