package org.xai4j.study;

import static org.xai4j.study.StudyContext.fmt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.sanity.PerturbationCurves;
import org.xai4j.sanity.PixelRelevance;

/**
 * Section 4c, deletion and insertion (Petsiuk et al., "RISE", BMVC 2018): the target class probability as the most
 * relevant pixels are blacked out or revealed, for integrated gradients, Grad-CAM and a random order.
 */
final class DeletionInsertionSection implements StudySection {

    @Override public int steps(List<StudyCase> cases) {
        return cases.size();
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ReportWriter report = ctx.report;
        report.heading(3, "Sanity check: deletion and insertion");
        report.paragraph("Deletion / insertion (Petsiuk et al. 2018): the target class probability as the most "
                + "relevant pixels are blacked out / revealed; lower deletion and higher insertion area under the "
                + "curve than a random order are better.");
        List<List<String>> table = new ArrayList<>();
        for (StudyCase c : ctx.cases) {
            List<Explained> ex = ctx.explained.get(c.key());
            ctx.step("sanity checks %s: deletion and insertion", c.name());
            if (ex.isEmpty()) {
                continue;
            }
            INDArray inputs = StudyContext.batchOf(c);
            int[] targets = ex.stream().mapToInt(Explained::predicted).toArray();
            Map<String, INDArray> maps = new LinkedHashMap<>();
            maps.put("ig", Nd4j.concat(0, ex.stream().map(e -> PixelRelevance.ABSOLUTE_SUM.reduce(e.ig()))
                    .toArray(INDArray[]::new)));
            maps.put("gradCam", Nd4j.concat(0, ex.stream().map(e -> e.gradCam().reshape(1, e.gradCam().size(0),
                    e.gradCam().size(1))).toArray(INDArray[]::new)));
            Random mapRandom = new Random(7);
            double[] randomValues = new double[(int) (ex.size() * inputs.size(2) * inputs.size(3))];
            for (int k = 0; k < randomValues.length; k++) {
                randomValues[k] = mapRandom.nextDouble();
            }
            maps.put("random", Nd4j.create(randomValues, new long[] {ex.size(), inputs.size(2), inputs.size(3)},
                    DataType.DOUBLE));
            PerturbationCurves curves = PerturbationCurves.builder().setModel(c.model())
                    .optSteps(ctx.work.curveSteps()).optProgressListener(ctx.cancellation()).build();
            Map<String, Object> deletion = new LinkedHashMap<>();
            Map<String, Object> insertion = new LinkedHashMap<>();
            Map<String, Double> del = new LinkedHashMap<>();
            Map<String, Double> ins = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : maps.entrySet()) {
                del.put(e.getKey(), curves.deletion(inputs, e.getValue(), targets).meanAuc());
                ins.put(e.getKey(), curves.insertion(inputs, e.getValue(), targets).meanAuc());
                deletion.put(e.getKey(), ReportWriter.num(del.get(e.getKey())));
                insertion.put(e.getKey(), ReportWriter.num(ins.get(e.getKey())));
            }
            Map<String, Object> m = report.summary("beyond", "sanity", c.key());
            m.put("deletionAuc", deletion);
            m.put("insertionAuc", insertion);
            table.add(List.of(c.name(), fmt(del.get("ig")), fmt(del.get("gradCam")), fmt(del.get("random")),
                    fmt(ins.get("ig")), fmt(ins.get("gradCam")), fmt(ins.get("random"))));
        }
        report.table(List.of("model", "deletion AUC IG", "deletion AUC Grad-CAM", "deletion AUC random",
                "insertion AUC IG", "insertion AUC Grad-CAM", "insertion AUC random"), table);
    }
}
