package org.xai4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks that a call leaves ND4J's global generator (the calling thread's {@code Nd4j.getRandom()}) as it found it:
 * the generator is seeded, the call runs, and the values drawn afterwards must equal those of a fresh generator with
 * the same seed that was never used.
 */
public final class GlobalRandomProbe {

    /** The seed the global generator gets before each checked call. */
    public static final long SEED = 20_240_611L;

    private GlobalRandomProbe() { }

    /** A call to check. */
    @FunctionalInterface
    public interface Call {
        /**
         * Makes the call.
         *
         * @throws Exception whatever it throws
         */
        void run() throws Exception;
    }

    /**
     * Whether the call leaves the calling thread's ND4J generator as it was (same seed, same next values).
     *
     * @param call the call
     * @return true if untouched
     * @throws Exception what the call throws
     */
    public static boolean leavesGlobalGeneratorUntouched(Call call) throws Exception {
        Nd4j.getRandom().setSeed(SEED);
        call.run();
        Random global = Nd4j.getRandom();
        long seedAfter = global.getSeed();
        double[] after = draws(global);
        try (Random fresh = Nd4j.getRandomFactory().getNewRandomInstance(SEED)) {
            double[] expected = draws(fresh);
            return seedAfter == SEED && java.util.Arrays.equals(after, expected);
        }
    }

    /**
     * Asserts that the call leaves the calling thread's ND4J generator as it was.
     *
     * @param what what is called, for the message
     * @param call the call
     * @throws Exception what the call throws
     */
    public static void assertLeavesGlobalGeneratorUntouched(String what, Call call) throws Exception {
        assertThat(leavesGlobalGeneratorUntouched(call)).as("%s leaves ND4J's global generator untouched", what)
                .isTrue();
    }

    /** Scalar draws and an array drawn by a native random op, both from {@code random}. */
    private static double[] draws(Random random) {
        double[] values = new double[11];
        for (int i = 0; i < 3; i++) {
            values[i] = random.nextDouble();
        }
        double[] array = Nd4j.rand(random, 8).castTo(DataType.DOUBLE).toDoubleVector();
        System.arraycopy(array, 0, values, 3, 8);
        return values;
    }
}
