package org.xai4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Attribution;
import org.xai4j.engine.ImageModel;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.toy.ToyModels;

/** The shared explanations: the relative completeness error is checked against the model's own logits. */
class ExplainedInputsTest {

    static ImageClassifier object;

    @BeforeAll
    static void load() {
        object = ToyModels.objectVgg();
    }

    @AfterAll
    static void close() {
        object.model().close();
    }

    @Test
    void integratedGradientsMeetTheToleranceAgainstTheLogitsOrUseTheWholeBudget() {
        Workload work = Workload.small(0.01);
        List<StudyCase> cases = StudyCases.onImages(List.of(StudyRole.OBJECTS), Map.of(StudyRole.OBJECTS, object),
                StudyImage.shippedPhotos().subList(1, 3));
        StudyContext ctx = new StudyContext(work, null, cases, new StudyProgress(ProgressListener.NONE, 2));
        new ExplainedInputs().write(ctx);
        List<Explained> explained = ctx.explained.get("object");
        assertThat(explained).hasSize(2);
        ImageModel model = object.model();
        for (Explained e : explained) {
            INDArray x = e.input().batch().castTo(model.dataType());
            double[] logits = model.logits(x).toDoubleVector();
            double[] black = model.logits(Nd4j.zeros(model.dataType(), x.shape())).toDoubleVector();
            double difference = logits[e.predicted()] - black[e.predicted()];
            assertThat(e.outputDifference()).isCloseTo(difference, within(1e-4 * Math.abs(difference) + 1e-6));
            double completeness = Math.abs(e.ig().sumNumber().doubleValue() - difference) / Math.abs(difference);
            assertThat(e.relativeError()).isCloseTo(completeness, within(1e-4));
            assertThat(completeness <= work.igTolerance() + 1e-4 || e.igSteps() + work.igPointsPerInterval()
                    > work.igMaxSteps()).as(e.input().name() + ": " + completeness + " at " + e.igSteps()).isTrue();
            assertThat(e.predicted()).isEqualTo(org.xai4j.Predictions.argMax(model.probabilities(x))[0]);
            assertThat(e.gradCam().shape()).containsExactly(64, 64);
            assertThat(e.gradCam().minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void theRelativeErrorIsUndefinedWhenTheOutputDoesNotChange() {
        INDArray values = Nd4j.ones(DataType.DOUBLE, 1, 1, 2, 2);
        Explained flat = new Explained(null, 0, 1, new Attribution("test", values, null, new double[] {0.5}, 8, null,
                8, new double[] {0}), null);
        assertThat(flat.relativeError()).isNaN();
        assertThat(new Explained(null, 0, 1, new Attribution("test", values, null, new double[] {-0.5}, 8, null, 8,
                new double[] {10}), null).relativeError()).isEqualTo(0.05);
    }
}
