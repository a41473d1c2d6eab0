package org.xai4j.explainers;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.testing.TestNetworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The method table: one declaration per method, read the same way by the typed and the text API. */
class MethodTableTest {

    private static final Nd4jImageModel MODEL = Nd4jImageModel.of(TestNetworks.vggStyle(3), DataType.DOUBLE);
    private static final INDArray X = TestNetworks.uniform(new Random(5), 0, 1, 2, 3, 16, 16);

    @AfterAll
    static void close() {
        MODEL.close();
    }

    @Test
    void everyEntryIsUniqueAndDeclaresOnlyKnownOptionsWithValidDefaults() {
        Set<String> ids = new HashSet<>();
        for (ExplanationMethod m : ExplanationMethod.values()) {
            assertThat(ids.add(m.id())).as(m.id()).isTrue();
            assertThat(m.reference()).as(m.id()).isNotBlank();
            assertThat(MethodOption.ALL).as(m.id()).containsAll(m.options());
            assertThat(m.readsLayer()).as(m.id()).isEqualTo(m.takes(MethodOption.LAYER));
            for (MethodOption<?> option : m.options()) {
                assertThat(m.describe(option)).startsWith(m.id());
            }
        }
        // every option is taken by some method, or it would be a dead command-line flag
        for (MethodOption<?> option : MethodOption.ALL) {
            assertThat(ExplanationMethod.idsTaking(option)).as(option.name()).isNotEmpty();
        }
    }

    @Test
    void aMethodSerializesAsItsNameAndReadsBackAsTheTablesEntry() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(ExplanationMethod.GRAD_CAM);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isSameAs(ExplanationMethod.GRAD_CAM);
        }
    }

    @Test
    void defaultsAreTheAlgorithmsOwnConstants() {
        // one default per option: the CLI, Spark and the library all read these (SmoothGrad once used 20 in the CLI
        // and 25 in the library)
        assertThat(ExplanationMethod.SMOOTHGRAD.defaultValue(MethodOption.SAMPLES)).isEqualTo(NoiseTunnel.DEFAULT_SAMPLES);
        assertThat(ExplanationMethod.IG.defaultValue(MethodOption.STEPS)).isEqualTo(IntegratedGradients.DEFAULT_STEPS);
        assertThat(ExplanationMethod.IG.defaultValue(MethodOption.RULE)).isEqualTo(IntegrationRule.GAUSS_LEGENDRE);
        Explainer tunnel = Explainer.builder().setMethod(ExplanationMethod.SMOOTHGRAD).build();
        assertThat(tunnel.settings().get(MethodOption.SAMPLES)).isEqualTo(NoiseTunnel.DEFAULT_SAMPLES);
        assertThat(tunnel.settings().isGiven(MethodOption.SAMPLES)).isFalse();
        assertThat(tunnel.run(MODEL, X).steps()).isEqualTo(NoiseTunnel.DEFAULT_SAMPLES);
    }

    @Test
    void textAndTypedOptionsGiveTheSameExplainer() {
        Explainer typed = Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(12)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).optBaselines(Baseline.zero(), Baseline.constant(0.5))
                .build();
        Explainer text = Explainer.builder().setMethod(ExplanationMethod.fromId("IG"))
                .opt("--steps", "12", MethodOption.ParseContext.NONE)
                .opt("rule", "riemann-trapezoid", MethodOption.ParseContext.NONE)
                .opt("baseline", "zero", MethodOption.ParseContext.NONE)
                .opt("baseline", "constant:0.5", MethodOption.ParseContext.NONE).build();
        assertThat(text.settings().get(MethodOption.BASELINE)).hasSize(2);
        Explanation a = typed.run(MODEL, X, 1);
        Explanation b = text.run(MODEL, X, 1);
        // the same computation in the same order: bit-identical
        assertThat(b.values().equalsWithEps(a.values(), 0)).isTrue();
        assertThat(b.steps()).isEqualTo(12);
    }

    @Test
    void refusalsNameTheOptionTheValueAndWhatWasExpected() {
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).optSteps(5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps does not apply to saliency; it applies to ig");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG)
                .opt("steps", "many", MethodOption.ParseContext.NONE))
                .hasMessage("steps must be an integer, got 'many'");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(0))
                .hasMessage("steps must be at least 1, got 0");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(1)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).build())
                .hasMessageContaining("steps must be at least 2 for the riemann_trapezoid rule, got 1");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG)
                .opt("rule", "simpson", MethodOption.ParseContext.NONE))
                .hasMessageContaining("'simpson'").hasMessageContaining("gauss_legendre");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG)
                .opt("max-steps", "64", MethodOption.ParseContext.NONE).build())
                .hasMessageContaining("max-steps applies to adaptive integration only");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG)
                .opt("frobnicate", "1", MethodOption.ParseContext.NONE))
                .hasMessageContaining("'frobnicate'").hasMessageContaining("steps");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG)
                .opt("baseline", "blur", MethodOption.ParseContext.NONE))
                .hasMessageContaining("blur:SIGMA");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.IG)
                .opt("baseline", "no-such-file.png", MethodOption.ParseContext.NONE))
                .hasMessageContaining("'no-such-file.png'").hasMessageContaining("an image file");
        assertThatThrownBy(() -> Explainer.builder().setMethod(ExplanationMethod.SMOOTHGRAD).optNoiseLevel(-1))
                .hasMessageContaining("noise-level").hasMessageContaining("-1");
    }

    @Test
    void relativeErrorIsTheDeltaOverTheOutputDifferenceComputedFromTheModel() {
        Explanation ig = Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(8).build().run(MODEL, X, 0, 2);
        INDArray gain = MODEL.logits(X).subi(MODEL.logits(X.mul(0)));
        for (int i = 0; i < 2; i++) {
            double difference = gain.getDouble(i, ig.targets()[i]);
            assertThat(ig.outputDifference()[i]).isCloseTo(difference, within(1e-12));
            assertThat(ig.relativeError(i)).isCloseTo(Math.abs(ig.convergenceDelta()[i]) / Math.abs(difference),
                    within(1e-12));
        }
        assertThat(ig.maxRelativeError()).isEqualTo(Math.max(ig.relativeError(0), ig.relativeError(1)));
        // the algorithm's own result says the same through the one result interface
        org.xai4j.ExplanationResult attribution = Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(8)
                .build().attributionMethod(MODEL).attribute(X, org.xai4j.engine.Objective.classLogit(0, 2));
        assertThat(attribution.methodName()).isEqualTo("IntegratedGradients");
        assertThat(attribution.relativeError(1)).isEqualTo(ig.relativeError(1));
        assertThat(ig.methodName()).isEqualTo("ig");
        assertThat(ig.toString()).contains("maxRelativeError=");
        Explanation saliency = Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build().run(MODEL, X);
        assertThat(saliency.outputDifference()).isEmpty();
        assertThat(saliency.relativeError(0)).isNaN();
        // a noise tunnel over integrated gradients' cousin, saliency, has no completeness reference either
        assertThat(Explainer.builder().setMethod(ExplanationMethod.VARGRAD).optSamples(2).build().run(MODEL, X)
                .maxRelativeError()).isNaN();
    }

    @Test
    void adaptiveIntegrationTakesItsPerIntervalDefaultFromTheTable() {
        Explainer adaptive = Explainer.builder().setMethod(ExplanationMethod.IG)
                .opt("tolerance", "0.01", MethodOption.ParseContext.NONE).build();
        Explanation e = adaptive.run(MODEL, X, 3);
        assertThat(e.steps()).isGreaterThanOrEqualTo(IntegratedGradients.DEFAULT_ADAPTIVE_STEPS);
        for (int i = 0; i < 2; i++) {
            assertThat(e.relativeError(i)).isLessThanOrEqualTo(0.01);
        }
        assertThat(List.of(MethodOption.ALL.toArray())).contains(MethodOption.TOLERANCE);
    }
}
