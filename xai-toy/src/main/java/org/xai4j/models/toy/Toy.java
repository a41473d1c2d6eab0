package org.xai4j.models.toy;

import java.util.SplittableRandom;

/** Package-private helpers shared by the worlds: argument checks and per-sample random streams. */
final class Toy {

    /** The smallest supported image side. */
    static final int MIN_SIZE = 16;
    /** The largest supported image side (keeps {@code 3*h*w} far below {@code Integer.MAX_VALUE}). */
    static final int MAX_SIZE = 4096;

    private Toy() {
    }

    static void checkSize(int height, int width) {
        if (height < MIN_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "height must be between " + MIN_SIZE + " and " + MAX_SIZE + " pixels but was " + height);
        }
        if (width < MIN_SIZE || width > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "width must be between " + MIN_SIZE + " and " + MAX_SIZE + " pixels but was " + width);
        }
    }

    static void checkIndex(long index, String name) {
        if (index < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + index);
        }
    }

    static void checkCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0 but was " + count);
        }
    }

    /**
     * Derives the random stream of one sample from (seed, salt, index) only, so that sample {@code i}
     * never depends on how many samples were drawn before.
     */
    static SplittableRandom rng(long seed, long salt, long index) {
        long h = mix64(seed ^ 0x9E3779B97F4A7C15L);
        h = mix64(h ^ salt);
        h = mix64(h + index * 0xD1B54A32D192ED03L);
        return new SplittableRandom(h);
    }

    /** Stafford variant 13 of the SplitMix64 finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** A normal deviate clipped to {@code [-limit, limit]} standard deviations. */
    static double gauss(SplittableRandom r, double sigma, double limit) {
        double g = r.nextGaussian();
        return sigma * Math.max(-limit, Math.min(limit, g));
    }
}
