package org.xai4j.models.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.models.ModelLoadException;

/**
 * Keras imports from four threads at once, valid and damaged files mixed, while a fifth thread keeps the garbage
 * collector (and so JavaCPP's deallocator thread) busy: no crash, the right result or exception for every import, and
 * no HDF5 object left open after any of them.
 *
 * <p>Without {@link Hdf5Access}'s scope, DL4J leaves an HDF5 group or file open after the failed imports below (the
 * raw DL4J cases, and the damaged files whose HDF5 errors surface in the loader's own checks); the deallocator thread
 * then closes them during another thread's HDF5 call, which crashed the JVM in {@code H5SL_remove}. The open-object
 * count, read under the HDF5 lock between imports, shows directly that nothing is left.
 */
class ConcurrentKerasImportTest {

    private static final int THREADS = 4;
    private static final int IMPORTS_PER_THREAD = 50;

    @TempDir
    static Path dir;

    private static Path functional;
    private static Path missingWeight;
    private static INDArray referenceParams;
    private static long openObjectsAtRest;

    /** One import and what it must give. */
    record Case(String name, Load importer, Class<? extends Throwable> expected, String... phrases) {
        @Override public String toString() {
            return name;
        }
    }

    /** An import that returns a network or throws. */
    interface Load {
        Model load() throws Exception;
    }

    @BeforeAll
    static void reference() throws Exception {
        functional = KerasFixtures.file("mini_vgg16_functional.h5").toPath();
        missingWeight = KerasFixtures.file("mini_vgg16_missing_weight.h5").toPath();
        referenceParams = KerasH5Source.builder().setFile(functional).build().load().params().dup();
        openObjectsAtRest = Hdf5Access.openObjectCount();
    }

    /** A copy of the functional fixture with 256 bytes overwritten from {@code offset}: damaged HDF5 metadata. */
    private static Path damagedAt(int offset) throws Exception {
        byte[] bytes = Files.readAllBytes(functional);
        for (int i = offset; i < offset + 256; i++) {
            bytes[i] = 0x5A;
        }
        return Files.write(dir.resolve("damaged-at-" + offset + ".h5"), bytes);
    }

    private static List<Case> cases() throws Exception {
        Path damagedGroup = damagedAt(512);
        Path damagedAttribute = damagedAt(16896);
        Path truncated = KerasFixtures.file("mini_vgg16_truncated.h5").toPath();
        Path weightsOnly = KerasFixtures.file("mini_vgg16_weights_only.h5").toPath();
        Path sequential = KerasFixtures.file("mini_vggface_sequential.h5").toPath();
        return List.of(
                new Case("valid functional file", () -> KerasH5Source.builder().setFile(functional).build().load(), null),
                new Case("kernel dataset missing", () -> KerasH5Source.builder().setFile(missingWeight).build().load(),
                        ModelLoadException.class, "layer 'block4_conv2' (Conv2D) is missing its kernel weights"),
                new Case("truncated file", () -> KerasH5Source.builder().setFile(truncated).build().load(), ModelLoadException.class,
                        "is truncated"),
                new Case("weights-only file as a full model", () -> KerasH5Source.builder().setFile(weightsOnly).build().load(),
                        ModelLoadException.class, "has no model_config attribute"),
                new Case("damaged group metadata", () -> KerasH5Source.builder().setFile(damagedGroup).build().load(),
                        ModelLoadException.class, "cannot read the weights of", "H5Gopen2 failed"),
                new Case("damaged attribute, seen by DL4J", () -> KerasH5Source.builder().setFile(damagedAttribute).build().load(),
                        ModelLoadException.class, "DL4J cannot import", "H5Aread failed"),
                new Case("DL4J: functional file as Sequential", () -> Hdf5Access.run(() ->
                        KerasModelImport.importKerasSequentialModelAndWeights(functional.toString(), false)),
                        InvalidKerasConfigurationException.class, "Model class name must be Sequential"),
                new Case("DL4J: kernel dataset missing", () -> Hdf5Access.run(() ->
                        KerasModelImport.importKerasModelAndWeights(missingWeight.toString(), false)),
                        InvalidKerasConfigurationException.class, "Parameter kernel does not exist in weights"),
                new Case("DL4J: Sequential with '/' in layer names", () -> Hdf5Access.run(() ->
                        KerasModelImport.importKerasSequentialModelAndWeights(sequential.toString(), false)),
                        RuntimeException.class, "H5Gopen2 failed"),
                new Case("DL4J: Functional file of a Sequential model", () -> Hdf5Access.run(() ->
                        KerasModelImport.importKerasModelAndWeights(sequential.toString(), false)),
                        InvalidKerasConfigurationException.class, "Expected model class name Model or Functional"));
    }

    @Test
    void importsFromFourThreadsWhileCollectingGarbage() throws Exception {
        List<Case> cases = cases();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread collector = new Thread(() -> {
            while (running.get()) {
                System.gc();
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-provoker");
        collector.setDaemon(true);
        collector.start();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i < IMPORTS_PER_THREAD; i++) {
                        // valid imports are ~20x slower than failing ones: one in every other pass over the cases
                        int index = (thread * 7 + i) % (2 * cases.size() - 1);
                        Case c = cases.get(index < cases.size() ? index : index - cases.size() + 1);
                        String failure = check(c);
                        if (failure != null) {
                            failures.add("thread " + thread + ", import " + i + " (" + c + "): " + failure);
                        }
                    }
                    return failures;
                }));
            }
            start.countDown();
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                failures.addAll(f.get(5, TimeUnit.MINUTES));
            }
            assertThat(failures).isEmpty();
        } finally {
            pool.shutdownNow();
            running.set(false);
            collector.join();
        }
        assertThat(Hdf5Access.openObjectCount()).as("HDF5 objects open after the run").isEqualTo(openObjectsAtRest);
    }

    /** Runs one import; null if it gave what it must, else what went wrong. */
    private static String check(Case c) {
        Model model = null;
        Throwable thrown = null;
        try {
            model = c.importer().load();
        } catch (Exception e) {
            thrown = e;
        }
        long open = Hdf5Access.openObjectCount();
        if (open != openObjectsAtRest) {
            return (open - openObjectsAtRest) + " HDF5 objects left open";
        }
        if (c.expected() == null) {
            if (thrown != null) {
                return "failed: " + thrown;
            }
            if (!(model instanceof ComputationGraph) || !model.params().equals(referenceParams)) {
                return "imported a network other than the single-threaded import's";
            }
            return null;
        }
        if (thrown == null) {
            return "imported, expected " + c.expected().getSimpleName();
        }
        if (thrown.getClass() != c.expected()) {
            return "threw " + thrown + ", expected " + c.expected().getSimpleName();
        }
        for (String phrase : c.phrases()) {
            if (thrown.getMessage() == null || !thrown.getMessage().contains(phrase)) {
                return "message '" + thrown.getMessage() + "' lacks '" + phrase + "'";
            }
        }
        return null;
    }
}
