package org.xai4j.perturbation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;

import java.util.Arrays;

/**
 * Occlusion: a square window, over all channels, slides across the image and is replaced by the baseline; each pixel's
 * attribution is the mean, over the windows that cover it, of {@code F(x) - F(x with the window occluded)}.
 *
 * <p>Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014.
 *
 * <p>Semantics are Captum 0.8.0's {@code Occlusion} with {@code sliding_window_shapes=(C, window, window)} and
 * {@code strides=(1, stride, stride)}: windows start at multiples of the stride from the top left, there are
 * {@code ceil((size - window) / stride) + 1} positions per axis, so the last window of a row or column may be cut off
 * by the image border; the stride may not exceed the window where the window is smaller than the image. Occluded
 * copies go through the model {@link Builder#optPerturbationsPerEval perturbationsPerEval} at a time (Captum's
 * {@code perturbations_per_eval}; here per example). Captum's default baseline is 0, as here.
 *
 * <p>Cancellation: after each model pass the call stops with an {@link org.xai4j.ExplanationCancelledException} if
 * its thread was interrupted or the progress listener cancels.
 */
public final class Occlusion extends PerturbationMethod {

    /** Window side in pixels unless {@link Builder#optWindow} says otherwise. */
    public static final int DEFAULT_WINDOW = 16;
    /** Stride in pixels unless {@link Builder#optStride} says otherwise. */
    public static final int DEFAULT_STRIDE = 8;
    /** What occluded pixels become unless {@link Builder#optBaseline} says otherwise: 0, as Captum. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** Occluded copies per model pass unless {@link Builder#optPerturbationsPerEval} says otherwise. */
    public static final int DEFAULT_PERTURBATIONS_PER_EVAL = 16;
    private static final String NAME = "Occlusion";

    private final int window;
    private final int stride;

    private Occlusion(Builder b) {
        super(NAME, b);
        this.window = b.window;
        this.stride = b.stride;
    }

    /** A builder; {@link Builder#setModel(ImageModel)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        INDArray x = checkedInputs(inputs, objective);
        int n = (int) inputs.size(0);
        int channels = (int) inputs.size(1);
        int height = (int) inputs.size(2);
        int width = (int) inputs.size(3);
        int rows = positions(window, stride, height, "height");
        int columns = positions(window, stride, width, "width");
        int windows = rows * columns;
        long passesPerExample = 1 + passes(windows);
        // Each example's values are per pixel (h * w), the same in every channel.
        double[][] perPixel = perExample(x, objective, n * passesPerExample, (perturbed, i) -> {
            double fx = perturbed.evaluateExample();
            // Captum orders features with the first axis fastest: window (r, c) is feature r + rows * c.
            double[] occluded = perturbed.evaluate(windows, (f, present) -> {
                Arrays.fill(present, true);
                int top = (f % rows) * stride;
                int left = (f / rows) * stride;
                for (int y = top; y < Math.min(top + window, height); y++) {
                    Arrays.fill(present, y * width + left, y * width + Math.min(left + window, width), false);
                }
            });
            double[] sum = new double[height * width];
            int[] count = new int[height * width];
            for (int f = 0; f < windows; f++) {
                double difference = fx - occluded[f];
                int top = (f % rows) * stride;
                int left = (f / rows) * stride;
                for (int y = top; y < Math.min(top + window, height); y++) {
                    for (int xx = left; xx < Math.min(left + window, width); xx++) {
                        sum[y * width + xx] += difference;
                        count[y * width + xx]++;
                    }
                }
            }
            for (int p = 0; p < height * width; p++) {
                sum[p] /= count[p];
            }
            return sum;
        }).values();
        double[] result = new double[n * channels * height * width];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(perPixel[i], 0, result, (i * channels + c) * height * width, height * width);
            }
        }
        INDArray values = Nd4j.create(result, inputs.shape(), DataType.DOUBLE);
        return new Attribution(NAME, values.castTo(model().dataType()), objective, null, 0, null, 0);
    }

    /** Captum's shift count along one axis, after its two checks. */
    private static int positions(int window, int stride, int size, String axis) {
        if (window > size) {
            throw new IllegalArgumentException("occlusion window " + window + " is larger than the input " + axis + " "
                    + size);
        }
        if (window < size && stride > window) {
            throw new IllegalArgumentException("occlusion stride " + stride + " is larger than the window " + window
                    + ": some pixels would never be occluded");
        }
        return (size - window + stride - 1) / stride + 1;
    }

    @Override public String toString() {
        return "Occlusion[window=" + window + ", stride=" + stride + ", baseline=" + baseline()
                + ", perturbationsPerEval=" + perturbationsPerEval() + "]";
    }

    /** Builder: required {@link #setModel}; optional window, stride, baseline, batch and progress listener. */
    public static final class Builder extends PerturbationMethod.Builder<Builder> {
        private int window = DEFAULT_WINDOW;
        private int stride = DEFAULT_STRIDE;

        private Builder() {
            super(DEFAULT_BASELINE, DEFAULT_PERTURBATIONS_PER_EVAL);
        }

        /**
         * The window side in pixels (default {@value Occlusion#DEFAULT_WINDOW}); it covers every channel.
         *
         * @param window at least 1, at most the image's height and width
         * @return this builder
         */
        public Builder optWindow(int window) {
            this.window = window;
            return this;
        }

        /**
         * The step between window positions in pixels (default {@value Occlusion#DEFAULT_STRIDE}).
         *
         * @param stride at least 1, at most the window (unless the window spans the whole axis, as Captum allows)
         * @return this builder
         */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the method
         * @throws NullPointerException     if no model was set, or an option was set to null
         * @throws IllegalArgumentException naming a bad value
         */
        public Occlusion build() {
            requireModel();
            Checks.positive(window, "occlusion window");
            Checks.positive(stride, "occlusion stride");
            checkSharedOptions();
            long[] shape = model().inputShape();
            positions(window, stride, (int) shape[1], "height");
            positions(window, stride, (int) shape[2], "width");
            return new Occlusion(this);
        }
    }
}
