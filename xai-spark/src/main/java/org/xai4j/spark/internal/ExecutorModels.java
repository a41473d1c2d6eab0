package org.xai4j.spark.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of this JVM, loaded once per {@link ShippedModel#key() model identity} and shared by every task (and
 * every job) that names the same model; closed when the JVM shuts down. Tasks share one model safely: a model
 * serializes its calls, and concurrent calls give the results of sequential ones.
 */
public final class ExecutorModels {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<String, ImageClassifier> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static boolean hookInstalled;

    private ExecutorModels() { }

    /**
     * The model of this JVM for a shipped model, loading it on first use (other tasks asking meanwhile wait).
     *
     * @param model the shipped model
     * @return the loaded classifier; do not close it
     * @throws ModelLoadException naming the model if it cannot be loaded
     * @throws IOException        if its broadcast files cannot be written locally
     */
    public static ImageClassifier get(ShippedModel model) throws ModelLoadException, IOException {
        ImageClassifier loaded = MODELS.get(model.key());
        if (loaded != null) {
            return loaded;
        }
        synchronized (ExecutorModels.class) {
            loaded = MODELS.get(model.key());
            if (loaded == null) {
                installShutdownHook();
                long t0 = System.nanoTime();
                loaded = model.load();
                LOADS.incrementAndGet();
                MODELS.put(model.key(), loaded);
                LOG.info("loaded {} in {} ms: {}", model.source().source(), (System.nanoTime() - t0) / 1_000_000,
                        loaded);
            }
            return loaded;
        }
    }

    /**
     * How many models this JVM has loaded since it started.
     *
     * @return the count of loads
     */
    public static int loads() {
        return LOADS.get();
    }

    /** Closes every model of this JVM (at shutdown). */
    static synchronized void closeAll() {
        List<ImageClassifier> all = new ArrayList<>(MODELS.values());
        MODELS.clear();
        for (ImageClassifier c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("cannot close {}: {}", c.name(), e.toString());
            }
        }
    }

    private static void installShutdownHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "xai4j-close-models"));
            hookInstalled = true;
        }
    }
}
