package org.xai4j.study;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.Predictions;
import org.xai4j.activation.GradCam;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;

/**
 * The computation sections 2-4 share: each input's prediction, its integrated gradients (adaptive, see
 * {@link StudyContext#integratedGradients}) and its Grad-CAM map of the last conv layer, for the predicted class.
 * One step per input.
 */
final class ExplainedInputs implements StudySection {

    @Override public int steps(List<StudyCase> cases) {
        return cases.stream().mapToInt(c -> c.inputs().size()).sum();
    }

    @Override public void write(StudyContext ctx) {
        for (StudyCase c : ctx.cases) {
            ImageModel model = c.model();
            IntegratedGradients ig = ctx.integratedGradients(model);
            GradCam gradCam = GradCam.builder().setModel(model).optLayer(StudyContext.lastConv(model)).build();
            List<Explained> list = new ArrayList<>();
            for (int i = 0; i < c.inputs().size(); i++) {
                StudyInput in = c.inputs().get(i);
                ctx.step("integrated gradients and Grad-CAM, %s, input %d of %d (%s)", c.name(), i + 1,
                        c.inputs().size(), in.name());
                INDArray x = in.batch().castTo(model.dataType());
                INDArray p = model.probabilities(x);
                int predicted = Predictions.argMax(p)[0];
                Attribution a = ig.attribute(x, Objective.classLogit(predicted));
                INDArray cam = gradCam.map(x, predicted).map(0);
                list.add(new Explained(in, predicted, p.getDouble(0, predicted), a, cam));
            }
            ctx.explained.put(c.key(), list);
        }
    }
}
