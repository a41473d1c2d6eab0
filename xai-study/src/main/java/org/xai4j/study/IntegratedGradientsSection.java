package org.xai4j.study;

import static org.xai4j.study.StudyContext.display;
import static org.xai4j.study.StudyContext.fmt;
import static org.xai4j.study.StudyContext.title;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.nd4j.ImageArrays;

/**
 * Section 3, integrated gradients of the predicted class from a black baseline, adaptive to the configured
 * completeness tolerance, with each image's relative completeness error {@code |delta| / |F(x) - F(x')|}.
 */
final class IntegratedGradientsSection implements StudySection {

    @Override public int steps(List<StudyCase> cases) {
        return cases.size();
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ReportWriter report = ctx.report;
        Workload w = ctx.work;
        report.heading(2, "3. Integrated gradients");
        report.paragraph(String.format(Locale.ROOT, "Integrated gradients of the predicted class's logit F from a "
                + "black baseline x', |attribution| summed over color channels, over the image. The path integral is "
                + "adaptive: Gauss-Legendre rules of %d points per interval, halving the interval with the largest "
                + "completeness error, until |δ| ≤ %s of |F(x) − F(x')| or %d points. δ is the convergence delta, "
                + "sum of attributions minus (F(x) − F(x')); captions and the table give the relative error "
                + "|δ| / |F(x) − F(x')| and the points used. Correct and misclassified inputs are shown, as in the "
                + "seed.", w.igPointsPerInterval(), percent(w.igTolerance()), w.igMaxSteps()));
        Map<String, Object> summary = report.summary("integratedGradients");
        List<List<String>> table = new ArrayList<>();
        for (StudyCase c : ctx.cases) {
            ctx.step("integrated gradients figure %s", c.name());
            List<Explained> ex = ctx.explained.get(c.key());
            TileGrid.Builder g = TileGrid.builder().optColumns(Math.max(1, ex.size()))
                    .optTitle(c.name() + ": integrated gradients");
            for (Explained e : ex) {
                g.add(display(e.input().image()).toBufferedImage(), title(c, e));
            }
            List<Object> rows = new ArrayList<>();
            for (Explained e : ex) {
                g.add(ctx.overlay(ImageArrays.toMap(e.ig(), 0), e.input().image()), "IG → "
                        + c.classifier().label(e.predicted()) + "\nrel. error " + percent(e.relativeError()) + ", "
                        + e.igSteps() + " points");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", e.input().name());
                m.put("target", c.classifier().label(e.predicted()));
                m.put("convergenceDelta", ReportWriter.num(e.delta()));
                m.put("outputDifference", ReportWriter.num(e.outputDifference()));
                m.put("relativeError", ReportWriter.num(e.relativeError()));
                m.put("steps", e.igSteps());
                m.put("attributionSum", ReportWriter.num(e.ig().sumNumber().doubleValue()));
                Integer truth = e.input().truth().get(c.key());
                if (truth != null) {
                    m.put("correct", truth == e.predicted());
                }
                rows.add(m);
                table.add(List.of(c.name(), e.input().name(), c.classifier().label(e.predicted()),
                        fmt(e.outputDifference()), String.format(Locale.ROOT, "%.3g", e.delta()),
                        percent(e.relativeError()), Integer.toString(e.igSteps())));
            }
            report.figure("ig/" + c.key() + ".png", g.build().render(), c.name() + ": inputs (top) and integrated "
                    + "gradients of the predicted class (bottom), relative completeness error in the captions.");
            summary.put(c.key(), rows);
        }
        report.table(List.of("model", "input", "target", "F(x) − F(x')", "δ", "|δ| / |F(x) − F(x')|", "points"),
                table);
    }

    /** A fraction as a percentage with two significant digits, or n/a. */
    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2g%%", 100 * fraction) : "n/a";
    }
}
