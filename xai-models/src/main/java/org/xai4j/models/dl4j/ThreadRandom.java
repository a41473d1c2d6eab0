package org.xai4j.models.dl4j;

import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeps DL4J from changing the caller's random state. ND4J's "global" generator ({@code Nd4j.getRandom()}) is one
 * generator per thread; DL4J reseeds the calling thread's generator with the configuration's seed when it constructs a
 * network (also inside Keras import and {@code ModelSerializer} restores), draws initial weights from it in
 * {@code init()}, and draws dropout masks from it in {@code fit}. DL4J takes no generator argument, so xai4j runs such
 * calls through {@link #preserving} or {@link #seeded}, which restore the thread's generator to its exact state
 * (seed and position) afterwards, whether the work completes or throws. No other thread can see the interim state.
 * Library code itself never draws from ND4J's generator: it uses per-call {@link java.util.Random}s. Public so that
 * every module that runs DL4J code (the toy world's trainer, applications) keeps the caller's state the same way.
 */
public final class ThreadRandom {

    private ThreadRandom() { }

    /**
     * Work that may reseed or draw from the calling thread's ND4J generator.
     *
     * @param <T> what it returns
     * @param <E> the checked exception it throws
     */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        /**
         * Does the work.
         *
         * @return its result
         * @throws E when it fails
         */
        T run() throws E;
    }

    /**
     * Runs work, then restores the calling thread's ND4J generator to the state it had before.
     *
     * @param work the work
     * @param <T>  what it returns
     * @param <E>  the checked exception it throws
     * @return the work's result
     * @throws E what the work throws
     */
    public static <T, E extends Exception> T preserving(Work<T, E> work) throws E {
        Random generator = Nd4j.getRandom();
        long seed = generator.getSeed();
        long root = generator.rootState();
        long node = generator.nodeState();
        try {
            return work.run();
        } finally {
            generator.setSeed(seed);
            generator.setStates(root, node);
        }
    }

    /**
     * Runs work with the calling thread's ND4J generator seeded (so DL4J's dropout and initialization are
     * reproducible), then restores the generator to the state it had before.
     *
     * @param seed the seed for the work
     * @param work the work
     * @param <T>  what it returns
     * @param <E>  the checked exception it throws
     * @return the work's result
     * @throws E what the work throws
     */
    public static <T, E extends Exception> T seeded(long seed, Work<T, E> work) throws E {
        return preserving(() -> {
            Nd4j.getRandom().setSeed(seed);
            return work.run();
        });
    }
}
