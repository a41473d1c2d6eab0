package org.xai4j.features;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.Objective;

import java.util.Arrays;
import java.util.Locale;

/**
 * The result of activation maximization: one image per target and the objective value it reaches.
 * Arrays are detached copies.
 *
 * @param images           {@code [n, channels, height, width]} in the model's input space, within the visualizer's
 *                         pixel range
 * @param objective        what was maximized (per image)
 * @param labels           what image i shows, e.g. {@code block1_conv1[3]} or {@code class 2}
 * @param initialValues    the objective of each starting image
 * @param finalValues      the objective of each final image (evaluated without jitter)
 * @param steps            optimization steps
 * @param parameterization how images were parameterized
 */
public record FeatureVisualization(INDArray images, Objective objective, String[] labels, double[] initialValues,
                                   double[] finalValues, int steps, Parameterization parameterization) {

    /** Stores detached copies of the images and copies of the arrays, so later changes to the arguments do not show. */
    public FeatureVisualization {
        images = images.detach().dup();
        labels = labels.clone();
        initialValues = initialValues.clone();
        finalValues = finalValues.clone();
    }

    /** The images {@code [n, channels, height, width]}, as a copy the caller may modify. */
    @Override public INDArray images() { return images.dup(); }

    /** What each image shows, as a copy. */
    @Override public String[] labels() { return labels.clone(); }

    /** The objective of each starting image, as a copy. */
    @Override public double[] initialValues() { return initialValues.clone(); }

    /** The objective of each final image, as a copy. */
    @Override public double[] finalValues() { return finalValues.clone(); }

    /** The number of images. */
    public int size() { return labels.length; }

    /** Image {@code i}, {@code [channels, height, width]}. */
    public INDArray image(int i) {
        if (i < 0 || i >= size()) {
            throw new IllegalArgumentException("image index " + i + " is out of range (expected 0.." + (size() - 1) + ")");
        }
        return images.get(NDArrayIndex.point(i)).dup();
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder("FeatureVisualization[images=").append(Arrays.toString(images.shape()))
                .append(", objective=").append(objective).append(", steps=").append(steps)
                .append(", parameterization=").append(parameterization).append(", values:");
        for (int i = 0; i < Math.min(size(), 6); i++) {
            s.append(String.format(Locale.ROOT, " %s %.3g->%.3g", labels[i], initialValues[i], finalValues[i]));
        }
        return s.append(size() > 6 ? " ...]" : "]").toString();
    }

    @Override public boolean equals(Object o) {
        return o instanceof FeatureVisualization f && images.equals(f.images) && Arrays.equals(labels, f.labels)
                && Arrays.equals(finalValues, f.finalValues);
    }

    @Override public int hashCode() { return Arrays.hashCode(labels) * 31 + Arrays.hashCode(finalValues); }
}
