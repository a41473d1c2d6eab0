package org.xai4j.attribution;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.InputChecks;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference input x' that integrated gradients starts its path from, built per example.
 *
 * <p>Baselines live in the same space as the model's input. With the xai4j VGG adapters, whose models embed their
 * preprocessing, that is pixel space (RGB in [0, 1]): {@link #zero()} is a black image, not "zero after mean
 * subtraction".
 */
@FunctionalInterface
public interface Baseline {

    /**
     * The baseline for one example.
     *
     * @param example      the example, shape {@code [1, c, h, w]}
     * @param exampleIndex its index in the batch (seeds per-example noise)
     * @return an array of the same shape
     */
    INDArray create(INDArray example, int exampleIndex);

    /** All zeros: a black image in pixel space. */
    static Baseline zero() {
        return named("zero", (x, i) -> Nd4j.zeros(x.dataType(), x.shape()));
    }

    /** Every element equal to {@code value}, e.g. 0.5 for a mid-gray image in [0, 1]. */
    static Baseline constant(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("constant baseline must be finite, got " + value);
        }
        return named("constant(" + value + ")", (x, i) -> Nd4j.valueArrayOf(x.shape(), value, x.dataType()));
    }

    /**
     * A given image: {@code [c, h, w]} or {@code [1, c, h, w]} for every example, or {@code [n, c, h, w]} with one
     * baseline per example.
     */
    static Baseline image(INDArray image) {
        if (image == null) {
            throw new NullPointerException("baseline image must not be null");
        }
        InputChecks.finite(image, "baseline image");
        INDArray batch = (image.rank() == 3 ? image.reshape(1, image.size(0), image.size(1), image.size(2)) : image).dup();
        if (batch.rank() != 4) {
            throw new IllegalArgumentException("baseline image must be [c, h, w] or [n, c, h, w], got shape "
                    + Arrays.toString(image.shape()));
        }
        return named("image" + Arrays.toString(batch.shape()), (x, i) -> {
            long[] expected = x.shape();
            INDArray chosen = batch.size(0) == 1 ? batch : i < batch.size(0) ? batch.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)) : null;
            if (chosen == null || !Arrays.equals(Arrays.copyOfRange(chosen.shape(), 1, 4), Arrays.copyOfRange(expected, 1, 4))) {
                throw new IllegalArgumentException("baseline image of shape " + Arrays.toString(batch.shape())
                        + " does not match input example " + i + " of shape " + Arrays.toString(expected));
            }
            return chosen.castTo(x.dataType()).dup();
        });
    }

    /** Independent uniform noise in {@code [low, high)} per element, seeded per (seed, example). */
    static Baseline uniformNoise(double low, double high, long seed) {
        if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("uniform noise needs finite low < high, got [" + low + ", " + high + ")");
        }
        return named("uniformNoise[" + low + ", " + high + ", seed=" + seed + "]", (x, i) -> {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            double[] values = new double[(int) x.length()];
            for (int k = 0; k < values.length; k++) {
                values[k] = random.nextDouble(low, high);
            }
            return Nd4j.create(values, x.shape()).castTo(x.dataType());
        });
    }

    /**
     * The input blurred by a Gaussian of standard deviation {@code sigma} pixels (per channel, as
     * {@code scipy.ndimage.gaussian_filter} blurs: see {@link org.xai4j.internal.GaussianBlur}): a baseline that
     * removes detail but keeps color.
     */
    static Baseline gaussianBlur(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("blur sigma must be positive, got " + sigma);
        }
        return named("gaussianBlur(" + sigma + ")", (x, i) -> org.xai4j.internal.GaussianBlur.blur(x, sigma));
    }

    /** A baseline with a readable {@code toString}. */
    static Baseline named(String name, Baseline baseline) {
        return new Baseline() {
            @Override public INDArray create(INDArray example, int exampleIndex) {
                return baseline.create(example, exampleIndex);
            }

            @Override public String toString() {
                return name;
            }
        };
    }
}
