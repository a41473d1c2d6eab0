package org.xai4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.activation.ScoreCam;
import org.xai4j.attribution.AdaptiveStrategy;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.attribution.Saliency;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;
import org.xai4j.sanity.MapExplainer;
import org.xai4j.sanity.ModelRandomization;
import org.xai4j.sanity.PerturbationCurves;
import org.xai4j.testing.TestNetworks;

/**
 * Every long explainer stops within one internal batch when its progress listener cancels or its thread is
 * interrupted, throws {@link ExplanationCancelledException} instead of returning a partial result, and leaves the model
 * ready: the same request run again equals an uncancelled run exactly.
 *
 * <p>The model is wrapped in a counter of model calls (forward or gradient passes, one per internal batch), so "within
 * one internal batch" is measured in passes made after the cancellation request.
 */
class CancellationTest {

    private static Nd4jImageModel network;
    private static INDArray images;

    /** One long explainer run: the listener goes to the explainer, the model is the one to call. */
    record Explainer(String name, String task, Run run) {
        @Override public String toString() {
            return name;
        }
    }

    /** Builds the explainer with {@code listener} on {@code model} and runs it on {@code images}. */
    interface Run {
        INDArray explain(ImageModel model, ProgressListener listener);
    }

    @BeforeAll
    static void model() {
        network = Nd4jImageModel.of(TestNetworks.vggStyle(31));
        images = TestNetworks.randomImages(5, DataType.FLOAT, 2, 3, 16, 16);
    }

    @AfterAll
    static void close() {
        network.close();
    }

    /** Each explainer's result when it runs to the end, computed once. */
    private static final Map<String, INDArray> UNCANCELLED = new ConcurrentHashMap<>();

    private static INDArray uncancelled(Explainer explainer) {
        return UNCANCELLED.computeIfAbsent(explainer.name(), name -> explainer.run().explain(network,
                ProgressListener.NONE));
    }

    /** Model passes of a run to the end: a cancelled run must have made fewer. */
    private static long passesOfAnUncancelledRun(Explainer explainer) {
        CountingModel counting = new CountingModel(network);
        explainer.run().explain(counting, ProgressListener.NONE);
        return counting.calls.get();
    }

    static Stream<Explainer> explainers() {
        int[] targets = {1, 3};
        return Stream.of(
                new Explainer("integrated gradients", "IntegratedGradients", (model, listener) ->
                        IntegratedGradients.builder().setModel(model).optSteps(24).optInternalBatchSize(8)
                                .optProgressListener(listener).build().attribute(images, targets).values()),
                new Explainer("adaptive integrated gradients (subdivide)", "IntegratedGradients", (model, listener) ->
                        IntegratedGradients.builder().setModel(model).optSteps(8).optInternalBatchSize(8)
                                .optAdaptive(1e-9, 32, AdaptiveStrategy.SUBDIVIDE)
                                .optProgressListener(listener).build().attribute(images, targets).values()),
                new Explainer("adaptive integrated gradients (refine path)", "IntegratedGradients",
                        (model, listener) -> IntegratedGradients.builder().setModel(model).optSteps(4)
                                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).optInternalBatchSize(8)
                                .optAdaptive(1e-9, 32, AdaptiveStrategy.REFINE_PATH)
                                .optProgressListener(listener).build().attribute(images, targets).values()),
                new Explainer("SmoothGrad", "NoiseTunnel", (model, listener) ->
                        NoiseTunnel.builder().setMethod(Saliency.builder().setModel(model).build()).optSamples(12).optSamplesPerBatch(2)
                                .optProgressListener(listener).build().attribute(images, targets).values()),
                new Explainer("Score-CAM", "ScoreCam", (model, listener) ->
                        ScoreCam.builder().setModel(model).optLayer("block2_conv1").optBatchSize(2)
                                .optProgressListener(listener).build().map(images, targets).maps()),
                new Explainer("deletion curve", "deletion curve", (model, listener) -> {
                    INDArray maps = TestNetworks.randomImages(6, DataType.DOUBLE, 2, 16, 16);
                    double[][] scores = PerturbationCurves.builder().setModel(model).optSteps(16).optBatchSize(3)
                            .optProgressListener(listener).build().deletion(images, maps, targets).scores();
                    return org.nd4j.linalg.factory.Nd4j.create(scores);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("explainers")
    void listenerCancelsAtTheNextBatchAndTheModelStaysReady(Explainer explainer) {
        INDArray expected = uncancelled(explainer);
        CountingModel counting = new CountingModel(network);
        AtomicInteger reports = new AtomicInteger();
        AtomicLong callsWhenCancelled = new AtomicLong(-1);
        ProgressListener cancelAfterTwo = new ProgressListener() {
            @Override public void onProgress(String task, long done, long total) {
                if (reports.incrementAndGet() == 2) {
                    callsWhenCancelled.set(counting.calls.get());
                }
            }

            @Override public boolean isCancelled() {
                return reports.get() >= 2;
            }
        };
        assertThatThrownBy(() -> explainer.run().explain(counting, cancelAfterTwo))
                .isInstanceOf(ExplanationCancelledException.class)
                .hasMessageContaining("cancelled by the progress listener")
                .satisfies(e -> {
                    ExplanationCancelledException c = (ExplanationCancelledException) e;
                    assertThat(c.task()).isEqualTo(explainer.task());
                    // An adaptive run learns its total as it goes: cancelled after an example that needed no
                    // subdivision, it has done all the work it had planned so far, and no more.
                    assertThat(c.done()).isPositive().isLessThanOrEqualTo(c.total());
                });
        assertThat(reports.get()).as("progress reports after the cancel").isEqualTo(2);
        assertThat(counting.calls.get()).as("model passes before the cancel, against an uncancelled run")
                .isLessThan(passesOfAnUncancelledRun(explainer));
        assertThat(counting.calls.get()).as("model passes after the cancel").isEqualTo(callsWhenCancelled.get());
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        // the model is ready: the same request gives exactly the uncancelled result
        assertAllClose(explainer.run().explain(network, ProgressListener.NONE), expected, 0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("explainers")
    void interruptFromAnotherThreadStopsAfterThePassInFlight(Explainer explainer) throws Exception {
        INDArray expected = uncancelled(explainer);
        CountDownLatch inThirdPass = new CountDownLatch(1);
        CountingModel counting = new CountingModel(network, 3, inThirdPass);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                explainer.run().explain(counting, ProgressListener.NONE);
            } catch (Throwable e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        }, "explainer");
        worker.start();
        assertThat(inThirdPass.await(1, TimeUnit.MINUTES)).isTrue();
        worker.interrupt(); // arrives while the worker is inside its third model pass
        worker.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(ExplanationCancelledException.class)
                .hasMessageContaining(explainer.task() + " interrupted");
        assertThat(flagKept.get()).as("interrupt flag set again").isTrue();
        assertThat(counting.calls.get()).as("model passes: none started after the interrupted one").isEqualTo(3);
        assertAllClose(explainer.run().explain(network, ProgressListener.NONE), expected, 0, 0);
    }

    @Test
    void interruptFlagIsKeptAndAnInterruptedThreadDoesNotStart() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Future<String> result = worker.submit(() -> {
                Thread.currentThread().interrupt();
                try {
                    IntegratedGradients.builder().setModel(network).build().attribute(images, 1, 3);
                    return "completed";
                } catch (ExplanationCancelledException e) {
                    return e.done() + " done, interrupted=" + Thread.currentThread().isInterrupted();
                }
            });
            assertThat(result.get(1, TimeUnit.MINUTES)).isEqualTo("0 done, interrupted=true");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void randomizationCascadeStopsAfterTheStepThatWasCancelled() {
        AtomicInteger explained = new AtomicInteger();
        MapExplainer saliency = (model, inputs, targets) -> {
            explained.incrementAndGet();
            return Saliency.builder().setModel(model).build().attribute(inputs, targets).values();
        };
        Function<ProgressListener, ModelRandomization> cascade = listener -> ModelRandomization.builder()
                .setModel(network).setExplainer(saliency).optSeed(3).optProgressListener(listener).build();
        double[][] expected = cascade.apply(ProgressListener.NONE).run(images, 1, 3).spearman();
        int steps = expected.length;
        assertThat(steps).isGreaterThan(2);
        explained.set(0);
        AtomicBoolean cancel = new AtomicBoolean();
        ProgressListener afterFirstStep = new ProgressListener() {
            @Override public void onProgress(String task, long done, long total) {
                cancel.set(done >= 1);
            }

            @Override public boolean isCancelled() {
                return cancel.get();
            }
        };
        assertThatThrownBy(() -> cascade.apply(afterFirstStep).run(images, 1, 3))
                .isInstanceOf(ExplanationCancelledException.class)
                .hasMessageContaining("ModelRandomization cancelled by the progress listener after 1 of " + steps);
        assertThat(explained.get()).as("the original and one randomized model").isEqualTo(2);
        assertThat(cascade.apply(ProgressListener.NONE).run(images, 1, 3).spearman()).isDeepEqualTo(expected);
    }

    /**
     * Counts the forward and gradient passes made through a model; optionally, pass number {@code pauseAt} signals
     * {@code paused} and waits until its thread is interrupted (keeping the flag), as a pass that is running when an
     * interrupt arrives.
     */
    static final class CountingModel implements ImageModel {
        final ImageModel model;
        final AtomicLong calls = new AtomicLong();
        private final long pauseAt;
        private final CountDownLatch paused;

        CountingModel(ImageModel model) {
            this(model, -1, null);
        }

        CountingModel(ImageModel model, long pauseAt, CountDownLatch paused) {
            this.model = model;
            this.pauseAt = pauseAt;
            this.paused = paused;
        }

        private <T> T count(Supplier<T> pass) {
            if (calls.incrementAndGet() == pauseAt) {
                paused.countDown();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            return pass.get();
        }

        @Override public long[] inputShape() { return model.inputShape(); }
        @Override public List<String> layerNames() { return model.layerNames(); }
        @Override public LayerInfo layerInfo(String layer) { return model.layerInfo(layer); }
        @Override public long[] layerShape(String layer) { return model.layerShape(layer); }
        @Override public int numClasses() { return model.numClasses(); }
        @Override public DataType dataType() { return model.dataType(); }
        @Override public INDArray logits(INDArray input) { return count(() -> model.logits(input)); }
        @Override public INDArray probabilities(INDArray input) { return count(() -> model.probabilities(input)); }
        @Override public INDArray activations(INDArray input, String layer) {
            return count(() -> model.activations(input, layer));
        }
        @Override public Map<String, INDArray> activations(INDArray input, List<String> layers) {
            return count(() -> model.activations(input, layers));
        }
        @Override public ObjectiveGradient gradient(INDArray input, Objective objective) {
            return count(() -> model.gradient(input, objective));
        }
        @Override public LayerGradient layerGradient(INDArray input, Objective objective, String layer) {
            return count(() -> model.layerGradient(input, objective, layer));
        }
        @Override public void close() { }
    }
}
