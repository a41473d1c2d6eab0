package org.xai4j.perturbation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.ExplanationCancelledException;
import org.xai4j.ProgressListener;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.segmentation.Segmentation;
import org.xai4j.shapley.KernelShap;
import org.xai4j.shapley.ShapleyValueSampling;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option checks, batching invariance, progress and cancellation of the perturbation methods. */
class PerturbationOptionsTest {

    private static Nd4jImageModel model;
    private static INDArray inputs;
    private static final Objective TARGETS = Objective.classLogit(PerturbationFixtures.TARGETS);

    @BeforeAll
    static void setUp() {
        model = PerturbationFixtures.tinyCnn();
        inputs = PerturbationFixtures.tinyInputs();
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void occlusionOptionsAreChecked() {
        assertThatThrownBy(() -> Occlusion.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("model is required: call setModel");
        assertThatThrownBy(() -> Occlusion.builder().setModel(model).optWindow(13).build())
                .hasMessageContaining("occlusion window 13 is larger than the input height 12");
        assertThatThrownBy(() -> Occlusion.builder().setModel(model).optWindow(4).optStride(5).build())
                .hasMessageContaining("occlusion stride 5 is larger than the window 4");
        assertThatThrownBy(() -> Occlusion.builder().setModel(model).optWindow(0).build())
                .hasMessageContaining("occlusion window must be positive, got 0");
        assertThatThrownBy(() -> Occlusion.builder().setModel(model).optWindow(4).optBaseline(null).build())
                .hasMessageContaining("baseline must not be null");
        // Captum allows a stride beyond a window that spans the whole axis.
        assertThat(Occlusion.builder().setModel(model).optWindow(12).optStride(20).build()
                .attribute(inputs, TARGETS).shape()).containsExactly(2, 3, 12, 12);
    }

    @Test
    void exhaustiveModesRefuseTooManyFeatures() {
        assertThatThrownBy(() -> ShapleyValueSampling.builder().setModel(model).optSegmentation(Segmentation.grid(3))
                .optAllPermutations(true).build().attribute(inputs, TARGETS))
                .hasMessageContaining("all permutations of 16 features (example 0) is too many: at most 10");
        assertThatThrownBy(() -> KernelShap.builder().setModel(model).optSegmentation(Segmentation.grid(2))
                .optAllCoalitions(true).build().attribute(inputs, TARGETS))
                .hasMessageContaining("all coalitions of 36 features (example 0) is too many: at most 16");
        assertThatThrownBy(() -> KernelShap.builder().setModel(model).optSamples(1).build())
                .hasMessageContaining("at least 2 samples");
        assertThatThrownBy(() -> ShapleyValueSampling.builder().setModel(model).optSamples(0).build())
                .hasMessageContaining("Shapley samples must be positive, got 0");
    }

    @Test
    void batchSizeDoesNotChangeResults() {
        INDArray one = ShapleyValueSampling.builder().setModel(model).optSegmentation(Segmentation.grid(4))
                .optSamples(3).optPerturbationsPerEval(1).build().attribute(inputs, TARGETS).values();
        INDArray many = ShapleyValueSampling.builder().setModel(model).optSegmentation(Segmentation.grid(4))
                .optSamples(3).optPerturbationsPerEval(11).build().attribute(inputs, TARGETS).values();
        // float32 logits of the same inputs in other batch compositions: equal to ~1e-7.
        assertThat(one.sub(many).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void progressIsReportedAndCancellationStopsTheCall() {
        List<long[]> reports = new ArrayList<>();
        FeatureAblation.builder().setModel(model).optSegmentation(Segmentation.grid(4)).optPerturbationsPerEval(4)
                .optProgressListener((task, done, total) -> reports.add(new long[] {done, total})).build()
                .attribute(inputs, TARGETS);
        // Per example: F(x), then 9 features in 3 passes of at most 4.
        assertThat(reports).hasSize(8);
        assertThat(reports.get(reports.size() - 1)).containsExactly(8, 8);

        int[] passes = {0};
        ProgressListener cancelAfterTwo = new ProgressListener() {
            @Override public void onProgress(String task, long done, long total) {
                passes[0]++;
            }

            @Override public boolean isCancelled() {
                return passes[0] >= 2;
            }
        };
        assertThatThrownBy(() -> Occlusion.builder().setModel(model).optWindow(4).optStride(2)
                .optPerturbationsPerEval(4).optProgressListener(cancelAfterTwo).build().attribute(inputs, TARGETS))
                .isInstanceOf(ExplanationCancelledException.class).hasMessageContaining("Occlusion");
        assertThat(passes[0]).isEqualTo(2);
    }

    @Test
    void featureAttributionToStringSaysWhatMatters() {
        FeatureAttribution a = FeatureAblation.builder().setModel(model).optSegmentation(Segmentation.grid(6)).build()
                .attributeFeatures(inputs, TARGETS);
        assertThat(a.toString()).contains("FeatureAblation", "features=[4, 4]", "forwardEvaluations=10");
    }
}
