package org.xai4j.study;

import static org.xai4j.study.StudyContext.display;
import static org.xai4j.study.StudyContext.lastConv;
import static org.xai4j.study.StudyContext.title;

import java.io.IOException;
import java.util.List;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.nd4j.ImageArrays;

/**
 * Section 4a, the first of the sections beyond the seed: Grad-CAM of the last conv layer next to integrated gradients,
 * both for the predicted class.
 */
final class GradCamVsIgSection implements StudySection {

    @Override public int steps(List<StudyCase> cases) {
        return cases.size();
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ctx.report.heading(2, "4. Beyond the seed");
        ctx.report.heading(3, "Grad-CAM next to integrated gradients");
        for (StudyCase c : ctx.cases) {
            ctx.step("Grad-CAM next to integrated gradients, %s", c.name());
            TileGrid.Builder g = TileGrid.builder().optColumns(3).optTitle(c.name() + ": input, IG, Grad-CAM ("
                    + lastConv(c.model()) + ")");
            for (Explained e : ctx.explained.get(c.key())) {
                g.add(display(e.input().image()).toBufferedImage(), title(c, e));
                g.add(ctx.overlay(ImageArrays.toMap(e.ig(), 0), e.input().image()), "integrated gradients");
                g.add(ctx.overlay(ImageArrays.toMap(e.gradCam()), e.input().image()), "Grad-CAM");
            }
            ctx.report.figure("beyond/" + c.key() + "_gradcam_vs_ig.png", g.build().render(), c.name()
                    + ": integrated gradients (pixel-level) next to Grad-CAM (last conv layer, upsampled), both for "
                    + "the predicted class.");
        }
    }
}
