package org.xai4j.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.ProgressListener;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;

/**
 * Evaluates an objective on perturbed copies of one example, in batches: each copy takes, pixel by pixel (all
 * channels together), either the example's value or the baseline's. Shared by the perturbation methods (occlusion,
 * feature ablation, Shapley value sampling, KernelSHAP, LIME). Not part of the public API.
 *
 * <p>After every batch it reports progress and stops with an {@link org.xai4j.ExplanationCancelledException} if the
 * thread was interrupted or the listener cancels.
 */
public final class PerturbedInputs {

    /** Says which pixels of perturbed copy {@code index} keep the example's values. */
    @FunctionalInterface
    public interface Pattern {
        /**
         * Fills {@code present}: true where copy {@code index} keeps the example's pixel, false where it takes the
         * baseline's. The array holds the previous copy's pattern on entry.
         *
         * @param index   the copy
         * @param present per pixel, row-major
         */
        void fill(int index, boolean[] present);
    }

    private final ImageModel model;
    private final Objective objective;
    private final double[] x;
    private final double[] baseline;
    private final long[] exampleShape;
    private final int pixels;
    private final int channels;
    private final int batchSize;
    private final ProgressListener progress;
    private final String task;
    private long done;
    private long total;
    private long evaluations;

    /**
     * @param model     the model
     * @param objective the objective of this example alone ({@link Objective#forExample(int)})
     * @param example   the example {@code [1, c, h, w]}
     * @param baseline  its baseline, same shape
     * @param batchSize copies per model pass
     * @param progress  the call's listener
     * @param task      the method's name, for progress and cancellation
     */
    public PerturbedInputs(ImageModel model, Objective objective, INDArray example, INDArray baseline, int batchSize,
                           ProgressListener progress, String task) {
        this.model = model;
        this.objective = objective;
        this.exampleShape = example.shape().clone();
        this.channels = (int) exampleShape[1];
        this.pixels = (int) (exampleShape[2] * exampleShape[3]);
        this.x = example.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        this.baseline = baseline.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        this.batchSize = batchSize;
        this.progress = progress;
        this.task = task;
    }

    /**
     * The evaluator of example {@code index} of a batch, with its baseline.
     *
     * @param model     the model
     * @param objective the objective of the whole batch (validated)
     * @param inputs    the batch {@code [n, c, h, w]}, in the model's data type
     * @param index     the example
     * @param baseline  the baseline
     * @param batchSize copies per model pass
     * @param progress  the call's listener
     * @param task      the method's name
     * @return the evaluator
     * @throws IllegalArgumentException if the baseline's shape differs from the example's
     */
    public static PerturbedInputs forExample(ImageModel model, Objective objective, INDArray inputs, int index,
                                             org.xai4j.attribution.Baseline baseline, int batchSize,
                                             ProgressListener progress, String task) {
        INDArray example = inputs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(index, index + 1)).dup('c');
        INDArray base = Checks.baselineFor(baseline, example, index);
        PerturbedInputs result = new PerturbedInputs(model, objective.forExample(index), example, base, batchSize,
                progress, task);
        Release.arrays(example);
        return result;
    }

    /** Sets the work planned for progress reports (model passes of the whole call) and what is done so far. */
    public void plan(long doneSoFar, long totalPasses) {
        this.done = doneSoFar;
        this.total = totalPasses;
    }

    /** The model passes made so far by this evaluator (and others sharing the count through {@link #plan}). */
    public long done() {
        return done;
    }

    /** Perturbed copies evaluated. */
    public long evaluations() {
        return evaluations;
    }

    /** The number of pixels per channel ({@code h * w}). */
    public int pixels() {
        return pixels;
    }

    /** The example's values, {@code [c * h * w]} in CHW order (a shared array: do not modify). */
    public double[] exampleValues() {
        return x;
    }

    /** The baseline's values, {@code [c * h * w]} in CHW order (a shared array: do not modify). */
    public double[] baselineValues() {
        return baseline;
    }

    /**
     * The objective on {@code count} perturbed copies.
     *
     * @param count   the number of copies
     * @param pattern which pixels each copy keeps
     * @return the objective value of each copy
     */
    public double[] evaluate(int count, Pattern pattern) {
        double[] values = new double[count];
        boolean[] present = new boolean[pixels];
        int perExample = channels * pixels;
        for (int start = 0; start < count; start += batchSize) {
            int rows = Math.min(batchSize, count - start);
            double[] data = new double[rows * perExample];
            for (int r = 0; r < rows; r++) {
                pattern.fill(start + r, present);
                int offset = r * perExample;
                for (int c = 0; c < channels; c++) {
                    int base = c * pixels;
                    for (int p = 0; p < pixels; p++) {
                        data[offset + base + p] = present[p] ? x[base + p] : baseline[base + p];
                    }
                }
            }
            long[] shape = exampleShape.clone();
            shape[0] = rows;
            INDArray doubles = Nd4j.create(data, shape, DataType.DOUBLE);
            INDArray batch = model.dataType() == DataType.DOUBLE ? doubles : doubles.castTo(model.dataType());
            INDArray result = objective.forRows(new int[rows]).evaluate(model, batch);
            double[] batchValues = result.castTo(DataType.DOUBLE).toDoubleVector();
            System.arraycopy(batchValues, 0, values, start, rows);
            Release.arrays(result, batch, doubles);
            evaluations += rows;
            done++;
            progress.onProgress(task, done, Math.max(total, done));
            ProgressListener.checkpoint(progress, task, done, Math.max(total, done));
        }
        return values;
    }

    /** The objective on the unperturbed example. */
    public double evaluateExample() {
        return evaluate(1, (i, present) -> java.util.Arrays.fill(present, true))[0];
    }

    /** The objective on the baseline. */
    public double evaluateBaseline() {
        return evaluate(1, (i, present) -> java.util.Arrays.fill(present, false))[0];
    }

    /** The number of model passes {@code count} copies take. */
    public static long passes(long count, int batchSize) {
        return (count + batchSize - 1) / batchSize;
    }
}
