package org.xai4j.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.xai4j.explainers.Explanation;
import org.xai4j.explainers.ExplanationMethod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExplainerBenchmarkTest {

    private static List<String> methods(Class<?> state) throws NoSuchFieldException {
        return Arrays.asList(state.getField("method").getAnnotation(Param.class).value());
    }

    /** A method added to the table without a place in the benchmark (or listed twice) fails here. */
    @Test
    void theTwoParameterListsNameEveryMethodOfTheTableOnce() throws NoSuchFieldException {
        List<String> all = new ArrayList<>(methods(ExplainerBenchmark.OnePass.class));
        all.addAll(methods(ExplainerBenchmark.ManyPasses.class));
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ExplanationMethod.ids());
    }

    /**
     * Every benchmark's set-up builds its explainer on the mini-VGG (the layer option goes only to layer methods), and
     * the one-pass methods return one map per image of the batch (the many-pass ones are only built: a run is slow).
     */
    @Test
    void everyWorkloadBuildsAndTheOnePassOnesRun() throws NoSuchFieldException {
        for (String method : methods(ExplainerBenchmark.OnePass.class)) {
            ExplainerBenchmark.OnePass state = new ExplainerBenchmark.OnePass();
            state.method = method;
            state.model = "mini-vgg";
            state.batch = 2;
            state.setUp();
            try {
                Explanation explanation = state.run();
                assertThat(explanation.values().size(0)).as(method).isEqualTo(2);
                assertThat(explanation.method().id()).isEqualTo(method);
            } finally {
                state.tearDown();
            }
        }
        for (String method : methods(ExplainerBenchmark.ManyPasses.class)) {
            ExplainerBenchmark.ManyPasses state = new ExplainerBenchmark.ManyPasses();
            state.method = method;
            state.model = "mini-vgg";
            state.batch = 1;
            state.setUp();
            state.tearDown();
        }
    }
}
