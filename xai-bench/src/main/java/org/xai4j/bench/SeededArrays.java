package org.xai4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** Float arrays of seeded random values for benchmark weights and inputs, drawn from {@link Random}, never from ND4J's global generator. */
final class SeededArrays {

    private SeededArrays() { }

    /** Values uniform in [0, 1) from a generator seeded with {@code seed}. */
    static INDArray uniform(long seed, long... shape) {
        Random random = new Random(seed);
        float[] values = new float[count(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Nd4j.create(values, shape, DataType.FLOAT);
    }

    /** Normal values with mean 0 and standard deviation {@code std}, drawn from {@code random}. */
    static INDArray gaussian(Random random, double std, long... shape) {
        float[] values = new float[count(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return Nd4j.create(values, shape, DataType.FLOAT);
    }

    private static int count(long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return Math.toIntExact(count);
    }
}
