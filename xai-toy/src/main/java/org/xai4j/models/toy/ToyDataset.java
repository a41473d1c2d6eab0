package org.xai4j.models.toy;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of toy samples converted to ND4J: NCHW float features {@code [n, 3, H, W]} in {@code [0, 1]}
 * and one-hot float labels {@code [n, k]}.
 *
 * <p>The samples are kept, so ground-truth masks can be fetched as arrays aligned with the features
 * ({@link #masks(String)}) for scoring explanations. The INDArrays are created once; callers that
 * mutate them in place change this dataset.
 *
 * @param samples    the samples, in row order
 * @param features   {@code [n, 3, H, W]} float pixels
 * @param labels     {@code [n, k]} float one-hot labels
 * @param labelNames the {@code k} class names, in label order
 */
public record ToyDataset(List<ToySample> samples, INDArray features, INDArray labels, List<String> labelNames) {

    /**
     * Validates shapes and takes an immutable copy of the lists.
     *
     * @param samples the samples, in row order
     * @param features {@code [n, 3, H, W]} float pixels
     * @param labels {@code [n, k]} float one-hot labels
     * @param labelNames the {@code k} class names, in label order
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the array shapes do not match the samples and label names
     */
    public ToyDataset {
        Objects.requireNonNull(samples, "samples must not be null");
        Objects.requireNonNull(features, "features must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        Objects.requireNonNull(labelNames, "labelNames must not be null");
        samples = List.copyOf(samples);
        labelNames = List.copyOf(labelNames);
        long n = samples.size();
        if (features.rank() != 4 || features.size(0) != n || features.size(1) != ToySample.CHANNELS) {
            throw new IllegalArgumentException("features must have shape [" + n + ", 3, H, W] but was "
                    + Arrays.toString(features.shape()));
        }
        if (labels.rank() != 2 || labels.size(0) != n || labels.size(1) != labelNames.size()) {
            throw new IllegalArgumentException("labels must have shape [" + n + ", " + labelNames.size() + "] but was "
                    + Arrays.toString(labels.shape()));
        }
    }

    /**
     * Converts samples to ND4J arrays.
     *
     * @param samples    at least one sample, all of the same size, each with {@code label < labelNames.size()}
     * @param labelNames the class names, defining the number of one-hot columns
     * @return the dataset
     * @throws NullPointerException     if an argument or a sample is null
     * @throws IllegalArgumentException if {@code samples} or {@code labelNames} is empty, sizes differ, or a
     *                                  label is out of range
     */
    public static ToyDataset fromSamples(List<ToySample> samples, List<String> labelNames) {
        Objects.requireNonNull(samples, "samples must not be null");
        Objects.requireNonNull(labelNames, "labelNames must not be null");
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples must contain at least one sample but was empty");
        }
        if (labelNames.isEmpty()) {
            throw new IllegalArgumentException("labelNames must contain at least one class but was empty");
        }
        ToySample first = Objects.requireNonNull(samples.get(0), "samples[0] must not be null");
        int h = first.height();
        int w = first.width();
        int n = samples.size();
        int k = labelNames.size();
        int per = ToySample.CHANNELS * h * w;
        float[] x = new float[Math.multiplyExact(n, per)];
        float[] y = new float[n * k];
        for (int i = 0; i < n; i++) {
            ToySample s = Objects.requireNonNull(samples.get(i), "samples[" + i + "] must not be null");
            if (s.height() != h || s.width() != w) {
                throw new IllegalArgumentException("all samples must be " + h + "x" + w + " but samples[" + i + "] was "
                        + s.height() + "x" + s.width());
            }
            if (s.label() >= k) {
                throw new IllegalArgumentException("samples[" + i + "].label must be < " + k + " (number of label names)"
                        + " but was " + s.label());
            }
            s.copyPixelsTo(x, i * per);
            y[i * k + s.label()] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[] {n, ToySample.CHANNELS, h, w});
        INDArray labels = Nd4j.create(y, new long[] {n, k});
        return new ToyDataset(samples, features, labels, labelNames);
    }

    /**
     * Renders {@code count} consecutive samples of a world and converts them.
     *
     * @param world     the world
     * @param fromIndex the first index, {@code >= 0}
     * @param count     the number of samples, {@code >= 1}
     * @return the dataset with {@code world.numClasses()} label columns
     * @throws NullPointerException     if {@code world} is null
     * @throws IllegalArgumentException if {@code fromIndex < 0} or {@code count < 1}
     */
    public static ToyDataset from(ToyWorld world, long fromIndex, int count) {
        Objects.requireNonNull(world, "world must not be null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1 but was " + count);
        }
        return fromSamples(world.batch(fromIndex, count), world.labelNames());
    }

    /**
     * Returns the number of samples.
     *
     * @return {@code n}
     */
    public int size() {
        return samples.size();
    }

    /**
     * Returns the number of classes.
     *
     * @return {@code k}, the number of label columns
     */
    public int numClasses() {
        return labelNames.size();
    }

    /**
     * Returns the integer labels in row order.
     *
     * @return a fresh array of {@code n} labels
     */
    public int[] labelIndices() {
        return samples.stream().mapToInt(ToySample::label).toArray();
    }

    /**
     * Returns one mask region of every sample as a float array {@code [n, 1, H, W]} (1 inside, 0 outside),
     * aligned with {@link #features()}.
     *
     * @param region the region name, e.g. {@link FaceWorld#MASK_MOUTH}
     * @return a new array
     * @throws IllegalArgumentException if a sample has no such region
     */
    public INDArray masks(String region) {
        Objects.requireNonNull(region, "region must not be null");
        int h = (int) features.size(2);
        int w = (int) features.size(3);
        int n = samples.size();
        float[] out = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            float[] m = samples.get(i).mask(region).toFloatArray();
            System.arraycopy(m, 0, out, i * h * w, m.length);
        }
        return Nd4j.create(out, new long[] {n, 1, h, w});
    }

    /**
     * Wraps features and labels in a DL4J/ND4J {@link DataSet} for training.
     *
     * @return a data set sharing this dataset's arrays
     */
    public DataSet toDataSet() {
        return new DataSet(features, labels);
    }
}
