package org.xai4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

/**
 * Random arrays drawn from a caller's {@link Random}, never from ND4J's global generator, so that a seeded result
 * repeats and the caller's ND4J random state is left alone. Public because the engine's layer re-initialization
 * ({@link ReinitializableModel#withReinitializedLayers}) and explainers in other modules (the noise of a noise tunnel)
 * draw their values the same way.
 */
public final class RandomArrays {

    private RandomArrays() { }

    /**
     * An array of independent {@code N(0, std^2)} values.
     *
     * @param random the generator to draw from
     * @param std    the standard deviation
     * @param type   the array's data type
     * @param shape  the array's shape
     * @return a new array, filled in row-major order
     */
    public static INDArray gaussian(Random random, double std, DataType type, long... shape) {
        long length = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a random array of shape " + Arrays.toString(shape) + " has " + length
                    + " elements; at most " + Integer.MAX_VALUE + " are supported");
        }
        double[] values = new double[(int) length];
        for (int k = 0; k < values.length; k++) {
            values[k] = random.nextGaussian() * std;
        }
        INDArray doubles = Nd4j.create(values, shape, DataType.DOUBLE);
        return type == DataType.DOUBLE ? doubles : doubles.castTo(type);
    }
}
