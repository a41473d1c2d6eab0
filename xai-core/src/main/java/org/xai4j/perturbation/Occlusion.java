package org.xai4j.perturbation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.AttributionMethod;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.internal.Checks;
import org.xai4j.internal.PerturbedInputs;

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
public final class Occlusion implements AttributionMethod {

    /** Window side in pixels unless {@link Builder#optWindow} says otherwise. */
    public static final int DEFAULT_WINDOW = 16;
    /** Stride in pixels unless {@link Builder#optStride} says otherwise. */
    public static final int DEFAULT_STRIDE = 8;
    /** What occluded pixels become unless {@link Builder#optBaseline} says otherwise: 0, as Captum. */
    public static final Baseline DEFAULT_BASELINE = Baseline.zero();
    /** Occluded copies per model pass unless {@link Builder#optPerturbationsPerEval} says otherwise. */
    public static final int DEFAULT_PERTURBATIONS_PER_EVAL = 16;
    private static final String NAME = "Occlusion";

    private final ImageModel model;
    private final int window;
    private final int stride;
    private final Baseline baseline;
    private final int perturbationsPerEval;
    private final ProgressListener progress;

    private Occlusion(Builder b) {
        this.model = b.model;
        this.window = b.window;
        this.stride = b.stride;
        this.baseline = b.baseline;
        this.perturbationsPerEval = b.perturbationsPerEval;
        this.progress = b.progress;
    }

    /** A builder; {@link Builder#setModel(ImageModel)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override public ImageModel model() {
        return model;
    }

    @Override public Attribution attribute(INDArray inputs, Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        Checks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        objective.validate(model, n);
        int channels = (int) inputs.size(1);
        int height = (int) inputs.size(2);
        int width = (int) inputs.size(3);
        int rows = positions(window, stride, height, "height");
        int columns = positions(window, stride, width, "width");
        int windows = rows * columns;
        INDArray x = inputs.castTo(model.dataType());
        long passesPerExample = 1 + PerturbedInputs.passes(windows, perturbationsPerEval);
        ProgressListener.checkpoint(progress, NAME, 0, n * passesPerExample);
        double[] result = new double[n * channels * height * width];
        long done = 0;
        for (int i = 0; i < n; i++) {
            PerturbedInputs perturbed = PerturbedInputs.forExample(model, objective, x, i, baseline,
                    perturbationsPerEval, progress, NAME);
            perturbed.plan(done, n * passesPerExample);
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
            done = perturbed.done();
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
            for (int c = 0; c < channels; c++) {
                int offset = (i * channels + c) * height * width;
                for (int p = 0; p < height * width; p++) {
                    result[offset + p] = sum[p] / count[p];
                }
            }
        }
        INDArray values = Nd4j.create(result, inputs.shape(), DataType.DOUBLE);
        return new Attribution(NAME, values.castTo(model.dataType()), objective, null, 0, null, 0);
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
        return "Occlusion[window=" + window + ", stride=" + stride + ", baseline=" + baseline
                + ", perturbationsPerEval=" + perturbationsPerEval + "]";
    }

    /** Builder: required {@link #setModel}; optional window, stride, baseline, batch and progress listener. */
    public static final class Builder {
        private ImageModel model;
        private int window = DEFAULT_WINDOW;
        private int stride = DEFAULT_STRIDE;
        private Baseline baseline = DEFAULT_BASELINE;
        private int perturbationsPerEval = DEFAULT_PERTURBATIONS_PER_EVAL;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

        /**
         * The model to explain (required).
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(ImageModel model) {
            this.model = model;
            return this;
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
         * What occluded pixels become (default 0, Captum's default).
         *
         * @param baseline the baseline, per example
         * @return this builder
         */
        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /**
         * Occluded copies of an example per model pass (default {@value Occlusion#DEFAULT_PERTURBATIONS_PER_EVAL});
         * it changes speed and memory, not results.
         *
         * @param perturbations at least 1
         * @return this builder
         */
        public Builder optPerturbationsPerEval(int perturbations) {
            this.perturbationsPerEval = perturbations;
            return this;
        }

        /**
         * Receives model passes done / planned after each pass, and can cancel the call.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) {
            this.progress = listener;
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
            if (model == null) {
                throw new NullPointerException("model is required: call setModel");
            }
            Checks.positive(window, "occlusion window");
            Checks.positive(stride, "occlusion stride");
            if (baseline == null) {
                throw new NullPointerException("baseline must not be null (the default is Baseline.zero())");
            }
            Checks.positive(perturbationsPerEval, "perturbations per eval");
            if (progress == null) {
                throw new NullPointerException("progress listener must not be null (use ProgressListener.NONE)");
            }
            long[] shape = model.inputShape();
            positions(window, stride, (int) shape[1], "height");
            positions(window, stride, (int) shape[2], "width");
            return new Occlusion(this);
        }
    }
}
