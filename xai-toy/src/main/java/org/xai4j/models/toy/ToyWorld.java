package org.xai4j.models.toy;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic, seeded generator of labelled images with ground-truth masks.
 *
 * <p>Implementations are immutable and thread-safe. {@link #sample(long)} is a pure function of the
 * world's configuration and the index, so {@code sample(i)} equals {@code batch(j, n).get(i - j)} for
 * every {@code j <= i < j + n}, and disjoint index ranges give disjoint, reproducible splits.
 */
public interface ToyWorld {

    /**
     * Returns the seed all samples are derived from.
     *
     * @return the seed
     */
    long seed();

    /**
     * Returns the image height in pixels.
     *
     * @return the height, at least 16
     */
    int height();

    /**
     * Returns the image width in pixels.
     *
     * @return the width, at least 16
     */
    int width();

    /**
     * Returns the number of classes, i.e. the label range {@code [0, numClasses())}.
     *
     * @return the number of classes
     */
    int numClasses();

    /**
     * Returns the label display names in label order.
     *
     * @return an immutable list of {@link #numClasses()} names
     */
    List<String> labelNames();

    /**
     * Returns the names of the mask regions every sample carries, in order.
     *
     * @return an immutable list of region names
     */
    List<String> maskRegions();

    /**
     * Renders the sample with the given index.
     *
     * @param index the sample index, {@code >= 0}
     * @return the sample; equal to every other rendering of the same index by an equal world
     * @throws IllegalArgumentException if {@code index} is negative
     */
    ToySample sample(long index);

    /**
     * Renders {@code count} consecutive samples starting at {@code fromIndex}.
     *
     * @param fromIndex the first index, {@code >= 0}
     * @param count     the number of samples, {@code >= 0}
     * @return a mutable list of {@code count} samples, element {@code k} being {@code sample(fromIndex + k)}
     * @throws IllegalArgumentException if an argument is negative or the range overflows
     */
    default List<ToySample> batch(long fromIndex, int count) {
        Toy.checkIndex(fromIndex, "fromIndex");
        Toy.checkCount(count);
        if (fromIndex > Long.MAX_VALUE - count) {
            throw new IllegalArgumentException("index range overflows: fromIndex=" + fromIndex + ", count=" + count);
        }
        List<ToySample> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(sample(fromIndex + k));
        }
        return out;
    }

    /**
     * Renders {@code count} consecutive samples and converts them to ND4J arrays.
     *
     * @param fromIndex the first index, {@code >= 0}
     * @param count     the number of samples, {@code >= 1}
     * @return the dataset with {@link #numClasses()} one-hot label columns
     * @throws IllegalArgumentException if {@code fromIndex} is negative or {@code count < 1}
     */
    default ToyDataset dataset(long fromIndex, int count) {
        return ToyDataset.fromSamples(batch(fromIndex, count), labelNames());
    }
}
