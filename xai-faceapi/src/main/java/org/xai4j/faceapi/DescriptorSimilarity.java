package org.xai4j.faceapi;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity objective for embedding networks: the cosine similarity of each example's descriptor (the model's
 * output, e.g. {@code faceapi:recognition}'s 128-d descriptor) to a reference descriptor. Its input gradient answers
 * "what makes this face look like the reference person": integrated gradients, saliency and the CAMs take it like
 * any class objective.
 *
 * <p>Value {@code s = <d, r> / (|d| |r|)}; seed gradient {@code ds/dd = r / (|d| |r|) - s d / |d|^2}. Face-api itself
 * matches by Euclidean distance (threshold 0.6); for descriptors of similar norm both rank pairs the same way, and
 * cosine similarity is bounded and scale-free, which suits attributions. The descriptor network is dlib's face
 * recognition ResNet (D. E. King, "Dlib-ml: A Machine Learning Toolkit", JMLR 10, 2009; trained with a metric loss
 * in the manner of Schroff et al., "FaceNet: A Unified Embedding for Face Recognition and Clustering", CVPR 2015).
 *
 * @param references one reference descriptor {@code [1, d]} for the whole batch, or one per example {@code [n, d]}
 */
public record DescriptorSimilarity(double[][] references) implements Objective {

    /**
     * Checks and copies the references.
     *
     * @throws IllegalArgumentException if there are none, their lengths differ, or one has zero norm or a
     *                                  non-finite value
     */
    public DescriptorSimilarity {
        Objects.requireNonNull(references, "references must not be null");
        if (references.length == 0) {
            throw new IllegalArgumentException("references must not be empty: give one per example, or one for all");
        }
        double[][] copy = new double[references.length][];
        for (int i = 0; i < references.length; i++) {
            double[] r = Objects.requireNonNull(references[i], "reference " + i + " must not be null");
            if (r.length == 0 || r.length != references[0].length) {
                throw new IllegalArgumentException("reference " + i + " has " + r.length + " values, expected "
                        + references[0].length + " (all the same, at least 1)");
            }
            double norm = 0;
            for (double v : r) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("reference " + i + " has a non-finite value " + v);
                }
                norm += v * v;
            }
            if (norm == 0) {
                throw new IllegalArgumentException("reference " + i + " is the zero vector; cosine similarity is undefined");
            }
            copy[i] = r.clone();
        }
        references = copy;
    }

    /**
     * One reference for every example.
     *
     * @param reference the reference descriptor
     * @return the objective
     */
    public static DescriptorSimilarity to(float[] reference) {
        Objects.requireNonNull(reference, "reference must not be null");
        double[] r = new double[reference.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = reference[i];
        }
        return new DescriptorSimilarity(new double[][] {r});
    }

    @Override public Optional<String> layer() {
        return Optional.empty();
    }

    @Override public INDArray values(INDArray descriptors) {
        check(descriptors);
        long n = descriptors.size(0);
        INDArray values = Nd4j.create(descriptors.dataType(), n);
        for (int i = 0; i < n; i++) {
            double[] d = row(descriptors, i);
            double[] r = reference(i);
            values.putScalar(i, dot(d, r) / (Math.sqrt(dot(d, d)) * Math.sqrt(dot(r, r))));
        }
        return values;
    }

    @Override public INDArray seedGradient(INDArray descriptors) {
        check(descriptors);
        long n = descriptors.size(0);
        int dim = (int) descriptors.size(1);
        INDArray seed = Nd4j.create(descriptors.dataType(), descriptors.shape());
        for (int i = 0; i < n; i++) {
            double[] d = row(descriptors, i);
            double[] r = reference(i);
            double dd = dot(d, d);
            double nd = Math.sqrt(dd);
            double nr = Math.sqrt(dot(r, r));
            if (nd == 0) {
                continue; // the similarity of a zero descriptor is undefined; no direction is preferred
            }
            double s = dot(d, r) / (nd * nr);
            for (int j = 0; j < dim; j++) {
                seed.putScalar(new long[] {i, j}, r[j] / (nd * nr) - s * d[j] / dd);
            }
        }
        return seed;
    }

    @Override public void validate(ImageModel model, long batchSize) {
        if (references.length != 1 && references.length != batchSize) {
            throw new IllegalArgumentException("got " + references.length + " references for a batch of " + batchSize
                    + " examples (expected 1 or " + batchSize + ")");
        }
        if (model.numClasses() != references[0].length) {
            throw new IllegalArgumentException("references have " + references[0].length + " values but the model "
                    + "outputs " + model.numClasses() + "-d descriptors");
        }
    }

    @Override public Objective forRows(int[] exampleOfRow) {
        if (references.length == 1) {
            return this;
        }
        double[][] selected = new double[exampleOfRow.length][];
        for (int r = 0; r < exampleOfRow.length; r++) {
            selected[r] = references[exampleOfRow[r]];
        }
        return new DescriptorSimilarity(selected);
    }

    /** The references (deep copy). */
    @Override public double[][] references() {
        return Arrays.stream(references).map(double[]::clone).toArray(double[][]::new);
    }

    private double[] reference(int example) {
        return references.length == 1 ? references[0] : references[example];
    }

    private void check(INDArray descriptors) {
        if (descriptors.rank() != 2 || descriptors.size(1) != references[0].length) {
            throw new IllegalArgumentException("descriptors must be [n, " + references[0].length + "], got "
                    + Arrays.toString(descriptors.shape()));
        }
        if (references.length != 1 && descriptors.size(0) != references.length) {
            throw new IllegalArgumentException("got " + descriptors.size(0) + " descriptors for " + references.length
                    + " references");
        }
    }

    private static double[] row(INDArray a, int i) {
        return a.getRow(i).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Override public boolean equals(Object o) {
        return o instanceof DescriptorSimilarity other && Arrays.deepEquals(references, other.references);
    }

    @Override public int hashCode() {
        return Arrays.deepHashCode(references);
    }

    @Override public String toString() {
        return "DescriptorSimilarity[" + references.length + " reference(s) of " + references[0].length + " values]";
    }
}
