package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.testing.NdAssertions.assertAllClose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.attribution.Saliency;
import org.xai4j.engine.ImageModel;
import org.xai4j.testing.MemoryProbe;

/**
 * One shared model under a service's load: 8 threads send 400 mixed requests (integrated gradients, saliency,
 * Grad-CAM, neuron activation maps, SmoothGrad) at the embedded toy ObjectVGG. Every result is bit-identical to the
 * same request run alone (each request is its own call with its own batch, and the engine's ops are deterministic, so
 * no tolerance is needed), no request fails, and the resident memory the model keeps does not grow with the number of
 * threads that have called it:
 * <ul>
 *   <li>phase 1, a fixed pool of 8 threads (kept alive while measured): resident memory is at most {@link #BOUND}
 *       above the single-thread run (the same requests served by one thread);</li>
 *   <li>phase 2, the same load with a new thread per request (8 at a time, 400 threads in all): memory stays flat,
 *       growing by at most {@link #FLAT} from the first 100 requests to the last.</li>
 * </ul>
 * Resident memory is measured outside the Java heap ({@link MemoryProbe#settledOffHeapBytes()}: resident minus the
 * committed heap, after garbage collection), where ND4J's buffers and workspaces live and where the JVM's own heap
 * sizing cannot hide or fake growth. It runs with glibc's default malloc arenas, as most services do: the model's
 * passes run on the model's own thread, so its native memory does not spread over the arenas of the calling threads.
 */
class ServiceLoadTest {

    private static final int THREADS = 8;
    private static final int REQUESTS = 400;
    private static final int IMAGES = 8;
    /**
     * The most resident memory 8 pooled threads may keep above a single-thread run. Eight threads running the
     * explainers' own native code cost some memory whatever the model does (their malloc arenas, stacks and the native
     * libraries' per-thread buffers: about 130 MiB measured here); a working memory per thread costs about 50 MiB more
     * per thread at this load (integrated gradients' batch of 32), 400 MiB for 8.
     */
    static final long BOUND = 256L << 20;
    /** The most resident memory may grow from the first 100 short-lived threads to the last. */
    static final long FLAT = 48L << 20;

    /** One request kind: builds the explainer on the model and explains image {@code i}. */
    record Kind(String name, BiFunction<ImageModel, INDArray, INDArray> explain) { }

    /** A request: a kind and an image index. */
    record Request(int kind, int image) { }

    private static List<Kind> kinds() {
        return List.of(
                new Kind("integrated gradients", (model, x) -> IntegratedGradients.builder().setModel(model)
                        .optSteps(32).optInternalBatchSize(32).build().attribute(x, 1).values()),
                new Kind("saliency", (model, x) -> Saliency.builder().setModel(model).build().attribute(x, 2).values()),
                new Kind("Grad-CAM", (model, x) -> GradCam.builder().setModel(model).optLayer("block5_conv3").build()
                        .map(x, 3).maps()),
                new Kind("activation map", (model, x) -> NeuronActivations.builder().setModel(model).setLayer("block3_conv3").build().map(x, 5)
                        .maps()),
                new Kind("SmoothGrad", (model, x) -> NoiseTunnel.builder().setMethod(Saliency.builder().setModel(model).build())
                        .optSamples(8).optSamplesPerBatch(4).optSeed(11).build().attribute(x, 0).values()));
    }

    @Test
    void sharedModelUnderMixedLoadFromPooledAndShortLivedThreads() throws Exception {
        ImageModel model = ToyModels.objectVgg().model();
        INDArray batch = ToyModels.objectWorld().dataset(ToyModels.TEST_START, IMAGES).features();
        List<INDArray> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(batch.get(NDArrayIndex.interval(i, i + 1)).dup());
        }
        List<Kind> kinds = kinds();
        List<Request> requests = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            requests.add(new Request(r % kinds.size(), (r / kinds.size()) % IMAGES));
        }

        // Single-thread run, on a thread of its own like any server thread: every distinct request alone, twice (the
        // second pass reuses what the first allocated). Its results are the references.
        Map<Request, INDArray> alone = new LinkedHashMap<>();
        ExecutorService singleThread = Executors.newSingleThreadExecutor();
        long single;
        try {
            singleThread.submit(() -> {
                for (int pass = 0; pass < 2; pass++) {
                    for (int k = 0; k < kinds.size(); k++) {
                        for (int i = 0; i < IMAGES; i++) {
                            alone.put(new Request(k, i), kinds.get(k).explain().apply(model, images.get(i)));
                        }
                    }
                }
            }).get(5, TimeUnit.MINUTES);
            single = MemoryProbe.settledOffHeapBytes();
        } finally {
            singleThread.shutdown();
        }

        // Phase 1: a pool of 8 threads.
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long pooled;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Request request : requests) {
                done.add(pool.submit(() -> check(model, kinds, images, alone, request, failures)));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            pooled = MemoryProbe.settledOffHeapBytes(); // the pool's threads are still alive
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }

        // Phase 2: a thread per request, 8 at a time.
        long[] shortLived = new long[REQUESTS / 100];
        Semaphore slots = new Semaphore(THREADS);
        List<Thread> started = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            Request request = requests.get(r);
            slots.acquire();
            Thread thread = new Thread(() -> {
                try {
                    check(model, kinds, images, alone, request, failures);
                } finally {
                    slots.release();
                }
            }, "request-" + r);
            started.add(thread);
            thread.start();
            if ((r + 1) % 100 == 0) {
                for (Thread t : started) {
                    t.join();
                }
                started.clear();
                shortLived[r / 100] = MemoryProbe.settledOffHeapBytes();
            }
        }

        System.out.printf("[service load] off-heap resident: single thread %s; 8 pooled threads %s (%+.1f MiB); "
                + "short-lived threads after 100/200/300/400 requests %s%n", MemoryProbe.mib(single),
                MemoryProbe.mib(pooled), (pooled - single) / 1048576.0, growth(shortLived, single));
        assertThat(failures).as("requests that failed or differ from the same request run alone").isEmpty();
        assertThat(pooled - single).as("memory kept for 8 pooled threads above a single-thread run (bound %s)",
                MemoryProbe.mib(BOUND)).isLessThanOrEqualTo(BOUND);
        for (int k = 1; k < shortLived.length; k++) {
            assertThat(shortLived[k] - shortLived[0]).as("growth from 100 to %d short-lived threads (bound %s)",
                    (k + 1) * 100, MemoryProbe.mib(FLAT)).isLessThanOrEqualTo(FLAT);
        }
    }

    private static void check(ImageModel model, List<Kind> kinds, List<INDArray> images, Map<Request, INDArray> alone,
                              Request request, ConcurrentLinkedQueue<String> failures) {
        Kind kind = kinds.get(request.kind());
        try {
            INDArray result = kind.explain().apply(model, images.get(request.image()));
            assertAllClose(result, alone.get(request), 0, 0);
        } catch (Throwable e) {
            failures.add(kind.name() + " on image " + request.image() + " in " + Thread.currentThread().getName()
                    + ": " + e);
        }
    }

    private static String growth(long[] values, long base) {
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            s.append(s.length() == 0 ? "" : ", ").append(String.format("%+.1f MiB", (v - base) / 1048576.0));
        }
        return s.toString();
    }
}
