package org.xai4j.attribution;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.AttributionMethod;
import org.xai4j.ProgressListener;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;
import org.xai4j.internal.Checks;
import org.xai4j.internal.Release;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Integrated gradients: {@code IG_i(x) = (x_i - x'_i) * integral_0^1 dF(x' + a (x - x'))/dx_i da}.
 *
 * <p>Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks", ICML 2017.
 *
 * <p>Interpolation points of all examples are streamed through the model in batches of
 * {@link Builder#optInternalBatchSize(int) internalBatchSize}: memory grows with that batch, never with the step
 * count. Several baselines are averaged (their attributions, and {@code F(x')} in the convergence delta). The adaptive
 * mode adds points per example until {@code |delta| <= tolerance * |F(x) - F(x')|}: by default it halves the path
 * interval with the largest completeness error ({@link AdaptiveStrategy#SUBDIVIDE}, adaptive quadrature, which
 * suits ReLU networks' kinks), or it refines the rule over the whole path, reusing earlier gradients for the nested
 * rules ({@link AdaptiveStrategy#REFINE_PATH}, see {@link IntegrationRule#refine(int)}).
 *
 * <p>Defaults: 50 Gauss-Legendre steps (as Captum), zero baseline, internal batch 16, multiply by inputs.
 * Thread-safe if the model is.
 *
 * <p>Cancellation: after every model pass (each internal batch reports progress, then releases its arrays) the call
 * stops with an {@link org.xai4j.ExplanationCancelledException} if its thread was interrupted or the
 * {@link Builder#optProgressListener(ProgressListener) progress listener} cancels; no partial attribution is
 * returned.
 */
public final class IntegratedGradients implements AttributionMethod {

    private static final Logger LOG = LoggerFactory.getLogger(IntegratedGradients.class);
    private static final String NAME = "IntegratedGradients";

    /** Integration points per example and baseline by default. */
    public static final int DEFAULT_STEPS = 50;
    /** Interpolated inputs per model pass by default. */
    public static final int DEFAULT_INTERNAL_BATCH_SIZE = 16;
    /**
     * Points per path interval in adaptive mode when no step count is given: small, since adaptive quadrature adds
     * points only where the completeness error needs them.
     */
    public static final int DEFAULT_ADAPTIVE_STEPS = 8;
    /** The most points per example and baseline in adaptive mode when no cap is given. */
    public static final int DEFAULT_ADAPTIVE_MAX_STEPS = 1024;

    private final ImageModel model;
    private final int steps;
    private final IntegrationRule rule;
    private final int internalBatchSize;
    private final List<Baseline> baselines;
    private final boolean multiplyByInputs;
    private final double tolerance;
    private final int maxSteps;
    private final AdaptiveStrategy strategy;
    private final ProgressListener progress;

    private IntegratedGradients(Builder b) {
        this.model = b.model;
        this.steps = b.steps;
        this.rule = b.rule;
        this.internalBatchSize = b.internalBatchSize;
        this.baselines = List.copyOf(b.baselines);
        this.multiplyByInputs = b.multiplyByInputs;
        this.tolerance = b.tolerance;
        this.maxSteps = b.maxSteps;
        this.strategy = b.strategy;
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
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        objective.validate(model, n);
        DataType type = model.dataType();
        INDArray x = inputs.castTo(type).dup('c');
        Progress tracker = new Progress((long) n * baselines.size() * steps);
        tracker.checkpoint();
        INDArray fx = objective.evaluate(model, x);
        INDArray attribution = Nd4j.zeros(type, x.shape());
        // Per-call arrays, released on the way out whether the call completes or is cancelled.
        List<INDArray> temporaries = new ArrayList<>(List.of(fx));
        if (x != inputs) {
            temporaries.add(x);
        }
        try {
            return integrateAll(x, objective, fx, attribution, tracker, temporaries);
        } catch (RuntimeException | Error e) {
            Release.arrays(attribution);
            throw e;
        } finally {
            temporaries.forEach(Release::arrays);
        }
    }

    private Attribution integrateAll(INDArray x, Objective objective, INDArray fx, INDArray attribution,
                                     Progress tracker, List<INDArray> temporaries) {
        tracker.checkpoint();
        int n = (int) x.size(0);
        long perExample = x.length() / n;
        DataType type = x.dataType();
        double[] contributionSums = new double[n];
        double[] baselineValueSums = new double[n];
        long evaluations = 0;
        int[] finalSteps = new int[n];
        for (Baseline baseline : baselines) {
            INDArray base = baselineBatch(baseline, x);
            temporaries.add(base);
            INDArray difference = x.sub(base);
            temporaries.add(difference);
            INDArray fb = objective.evaluate(model, base);
            temporaries.add(fb);
            tracker.checkpoint();
            INDArray gradientSums = Nd4j.zeros(type, n, perExample);
            temporaries.add(gradientSums);
            INDArray baseFlat = base.reshape(n, perExample);
            INDArray differenceFlat = difference.reshape(n, perExample);
            if (tolerance > 0) {
                for (int i = 0; i < n; i++) {
                    AdaptiveResult r = strategy == AdaptiveStrategy.SUBDIVIDE
                            ? subdivide(i, baseFlat, differenceFlat, objective, gradientSums, fb.getDouble(i),
                                    fx.getDouble(i), tracker)
                            : adaptive(i, baseFlat, differenceFlat, objective, gradientSums,
                                    fx.getDouble(i) - fb.getDouble(i), tracker);
                    evaluations += r.evaluations;
                    finalSteps[i] = Math.max(finalSteps[i], r.steps);
                }
            } else {
                IntegrationRule.Nodes nodes = rule.nodes(steps);
                List<Segment> segments = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    segments.add(new Segment(i, nodes.alphas(), nodes.weights()));
                }
                evaluations += integrate(segments, baseFlat, differenceFlat, objective, gradientSums, tracker);
                Arrays.fill(finalSteps, steps);
            }
            INDArray contribution = differenceFlat.mul(gradientSums);
            INDArray perExampleSum = contribution.sum(1);
            for (int i = 0; i < n; i++) {
                contributionSums[i] += perExampleSum.getDouble(i);
                baselineValueSums[i] += fb.getDouble(i);
            }
            attribution.addi((multiplyByInputs ? contribution : gradientSums).reshape(x.shape()));
            // Per-call temporaries are freed now rather than by the garbage collector, which would let their
            // off-heap buffers pile up between collections (they hardly weigh on the Java heap).
            for (INDArray temporary : new INDArray[] {base, difference, fb, gradientSums, contribution, perExampleSum}) {
                temporaries.removeIf(t -> t == temporary);
                Release.arrays(temporary);
            }
        }
        int count = baselines.size();
        attribution.divi(count);
        double[] delta = new double[n];
        double[] outputDifference = new double[n];
        for (int i = 0; i < n; i++) {
            outputDifference[i] = fx.getDouble(i) - baselineValueSums[i] / count;
            delta[i] = contributionSums[i] / count - outputDifference[i];
        }
        int reportedSteps = Arrays.stream(finalSteps).max().orElse(steps);
        Attribution result = new Attribution(NAME, attribution, objective, delta, reportedSteps, rule, evaluations,
                outputDifference);
        LOG.debug("{}", result);
        return result;
    }

    private INDArray baselineBatch(Baseline baseline, INDArray x) {
        int n = (int) x.size(0);
        INDArray batch = Nd4j.create(x.dataType(), x.shape());
        for (int i = 0; i < n; i++) {
            INDArray example = x.get(NDArrayIndex.interval(i, i + 1));
            INDArray b = baseline.create(example, i);
            if (b == null || !Arrays.equals(b.shape(), example.shape())) {
                throw new IllegalArgumentException("baseline " + baseline + " produced shape "
                        + (b == null ? "null" : Arrays.toString(b.shape())) + " for example " + i + " of shape "
                        + Arrays.toString(example.shape()));
            }
            InputChecks.finite(b, "baseline " + baseline);
            batch.get(NDArrayIndex.interval(i, i + 1)).assign(b);
        }
        return batch;
    }

    private record AdaptiveResult(int steps, long evaluations) { }

    private AdaptiveResult adaptive(int example, INDArray baseFlat, INDArray differenceFlat, Objective objective,
                                    INDArray gradientSums, double outputDifference, Progress tracker) {
        IntegrationRule.Nodes nodes = rule.nodes(steps);
        long evaluations = integrate(List.of(new Segment(example, nodes.alphas(), nodes.weights())), baseFlat,
                differenceFlat, objective, gradientSums, tracker);
        int current = steps;
        INDArray sums = gradientSums.getRow(example, true);
        INDArray difference = differenceFlat.getRow(example, true);
        double delta = Math.abs(difference.mul(sums).sumNumber().doubleValue() - outputDifference);
        while (delta > tolerance * Math.abs(outputDifference)) {
            IntegrationRule.Refinement refinement = rule.refine(current);
            if (refinement.steps() > maxSteps) {
                LOG.debug("example {}: stopped at {} steps (cap {}), |delta| = {}", example, current, maxSteps, delta);
                break;
            }
            sums.muli(refinement.previousScale());
            tracker.grow(refinement.added().alphas().length);
            evaluations += integrate(List.of(new Segment(example, refinement.added().alphas(),
                    refinement.added().weights())), baseFlat, differenceFlat, objective, gradientSums, tracker);
            current = refinement.steps();
            delta = Math.abs(difference.mul(sums).sumNumber().doubleValue() - outputDifference);
            LOG.debug("example {}: {} steps, |delta| = {}", example, current, delta);
        }
        return new AdaptiveResult(current, evaluations);
    }

    /** One interval of the path with its weighted gradient sum and the objective at both ends. */
    private record Interval(double from, double to, double valueFrom, double valueTo, INDArray weightedSum,
                            double integral) {
        double error() {
            return integral - (valueTo - valueFrom);
        }
    }

    /**
     * {@link AdaptiveStrategy#SUBDIVIDE}: halves the interval with the largest completeness error until the total
     * error meets the tolerance or the next split would exceed {@code maxSteps} points.
     */
    private AdaptiveResult subdivide(int example, INDArray baseFlat, INDArray differenceFlat, Objective objective,
                                     INDArray gradientSums, double baselineValue, double inputValue,
                                     Progress tracker) {
        INDArray base = baseFlat.getRow(example, true);
        INDArray difference = differenceFlat.getRow(example, true);
        Objective single = objective.forExample(example);
        List<Interval> intervals = new ArrayList<>();
        try {
            return subdivide(example, base, difference, single, gradientSums, baselineValue, inputValue, tracker,
                    intervals);
        } catch (RuntimeException | Error e) {
            intervals.forEach(interval -> Release.arrays(interval.weightedSum));
            throw e;
        }
    }

    private AdaptiveResult subdivide(int example, INDArray base, INDArray difference, Objective single,
                                     INDArray gradientSums, double baselineValue, double inputValue, Progress tracker,
                                     List<Interval> intervals) {
        double outputDifference = Math.abs(inputValue - baselineValue);
        intervals.add(integrateInterval(0, 1, baselineValue, inputValue, base, difference, single, tracker));
        long evaluations = steps;
        int points = steps;
        double delta = intervals.get(0).error();
        while (Math.abs(delta) > tolerance * outputDifference && points + steps <= maxSteps) {
            Interval worst = intervals.get(0);
            for (Interval interval : intervals) {
                if (Math.abs(interval.error()) > Math.abs(worst.error())) {
                    worst = interval;
                }
            }
            double middle = (worst.from + worst.to) / 2;
            INDArray point = difference.mul(middle).addi(base).reshape(pointShape());
            double middleValue = single.evaluate(model, point).getDouble(0);
            Release.arrays(point);
            tracker.checkpoint();
            tracker.grow(2L * steps);
            Interval left = integrateInterval(worst.from, middle, worst.valueFrom, middleValue, base, difference,
                    single, tracker);
            Interval right;
            try {
                right = integrateInterval(middle, worst.to, middleValue, worst.valueTo, base, difference, single,
                        tracker);
            } catch (RuntimeException | Error e) {
                Release.arrays(left.weightedSum);
                throw e;
            }
            int at = intervals.indexOf(worst);
            intervals.set(at, left);
            intervals.add(at + 1, right);
            Release.arrays(worst.weightedSum);
            evaluations += 2L * steps;
            points += steps;
            delta += left.error() + right.error() - worst.error();
            LOG.debug("example {}: {} intervals, |delta| = {}", example, intervals.size(), Math.abs(delta));
        }
        INDArray sums = gradientSums.getRow(example, true);
        for (Interval interval : intervals) {
            sums.addi(interval.weightedSum);
            Release.arrays(interval.weightedSum);
        }
        return new AdaptiveResult(intervals.size() * steps, evaluations);
    }

    private long[] pointShape() {
        long[] shape = model.inputShape();
        return new long[] {1, shape[0], shape[1], shape[2]};
    }

    /** The rule's points mapped to {@code [from, to]}, integrated for one example. */
    private Interval integrateInterval(double from, double to, double valueFrom, double valueTo, INDArray base,
                                       INDArray difference, Objective single, Progress tracker) {
        IntegrationRule.Nodes unit = rule.nodes(steps);
        double[] alphas = new double[steps];
        double[] weights = new double[steps];
        for (int k = 0; k < steps; k++) {
            alphas[k] = from + (to - from) * unit.alphas()[k];
            weights[k] = (to - from) * unit.weights()[k];
        }
        INDArray weightedSum = Nd4j.zeros(base.dataType(), 1, base.length());
        try {
            integrate(List.of(new Segment(0, alphas, weights)), base, difference, single, weightedSum, tracker);
        } catch (RuntimeException | Error e) {
            Release.arrays(weightedSum);
            throw e;
        }
        double integral = difference.mul(weightedSum).sumNumber().doubleValue();
        return new Interval(from, to, valueFrom, valueTo, weightedSum, integral);
    }

    /** Points of one example on one path: alphas and weights. */
    private record Segment(int example, double[] alphas, double[] weights) { }

    /**
     * Streams the points of all segments through the model in batches of at most {@code internalBatchSize} and adds
     * each segment's weighted gradients to its example's row of {@code gradientSums}.
     *
     * @return the number of gradient evaluations (points)
     */
    private long integrate(List<Segment> segments, INDArray baseFlat, INDArray differenceFlat, Objective objective,
                           INDArray gradientSums, Progress tracker) {
        long total = segments.stream().mapToLong(s -> s.alphas.length).sum();
        INDArray buffer = Nd4j.create(baseFlat.dataType(), Math.min(internalBatchSize, total), baseFlat.size(1));
        try {
            return integrateInto(buffer, segments, baseFlat, differenceFlat, objective, gradientSums, tracker, total);
        } finally {
            Release.arrays(buffer);
        }
    }

    private long integrateInto(INDArray buffer, List<Segment> segments, INDArray baseFlat, INDArray differenceFlat,
                               Objective objective, INDArray gradientSums, Progress tracker, long total) {
        long[] exampleShape = model.inputShape();
        long perExample = baseFlat.size(1);
        DataType type = baseFlat.dataType();
        int segment = 0;
        int offset = 0;
        long done = 0;
        while (done < total) {
            int rows = (int) Math.min(internalBatchSize, total - done);
            INDArray points = buffer.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            int[] exampleOfRow = new int[rows];
            List<int[]> runs = new ArrayList<>(); // {segment, offset, firstRow, length}
            int row = 0;
            while (row < rows) {
                Segment s = segments.get(segment);
                int length = Math.min(rows - row, s.alphas.length - offset);
                INDArray alphas = Nd4j.create(Arrays.copyOfRange(s.alphas, offset, offset + length), length, 1)
                        .castTo(type);
                PathKernels.interpolate(baseFlat.getRow(s.example, true), differenceFlat.getRow(s.example, true),
                        alphas, points.get(NDArrayIndex.interval(row, row + length), NDArrayIndex.all()));
                Arrays.fill(exampleOfRow, row, row + length, s.example);
                runs.add(new int[] {segment, offset, row, length});
                row += length;
                offset += length;
                if (offset == s.alphas.length) {
                    segment++;
                    offset = 0;
                }
            }
            ObjectiveGradient batch = model.gradient(points.reshape(rows, exampleShape[0], exampleShape[1],
                    exampleShape[2]), objective.forRows(exampleOfRow));
            INDArray gradients = batch.inputGradient().reshape(rows, perExample);
            for (int[] run : runs) {
                Segment s = segments.get(run[0]);
                INDArray weights = Nd4j.create(Arrays.copyOfRange(s.weights, run[1], run[1] + run[3]), 1, run[3])
                        .castTo(type);
                PathKernels.accumulate(gradients.get(NDArrayIndex.interval(run[2], run[2] + run[3]), NDArrayIndex.all()),
                        weights, gradientSums.getRow(s.example, true));
            }
            // Free each batch's gradient now: left to the garbage collector, the off-heap buffers of every batch
            // would pile up (600 MiB for 1,000 steps at 224x224).
            Release.arrays(batch.inputGradient(), batch.values());
            done += rows;
            tracker.advance(rows);
        }
        return total;
    }

    /** Reports points done against points planned. */
    private final class Progress {
        private long total;
        private long done;

        Progress(long total) {
            this.total = total;
        }

        void grow(long more) {
            total = Math.max(total, done) + more;
        }

        void advance(long points) {
            done += points;
            total = Math.max(total, done);
            progress.onProgress(NAME, done, total);
            checkpoint();
        }

        void checkpoint() {
            ProgressListener.checkpoint(progress, NAME, done, total);
        }
    }

    @Override public String toString() {
        return "IntegratedGradients[steps=" + steps + ", rule=" + rule + ", internalBatchSize=" + internalBatchSize
                + ", baselines=" + baselines + ", multiplyByInputs=" + multiplyByInputs
                + (tolerance > 0 ? ", adaptive(tolerance=" + tolerance + ", maxSteps=" + maxSteps + ", " + strategy
                + ")" : "") + "]";
    }

    /** Builder for {@link IntegratedGradients}. */
    public static final class Builder {
        private ImageModel model;
        private int steps = DEFAULT_STEPS;
        private IntegrationRule rule = IntegrationRule.GAUSS_LEGENDRE;
        private int internalBatchSize = DEFAULT_INTERNAL_BATCH_SIZE;
        private List<Baseline> baselines = List.of(Baseline.zero());
        private boolean multiplyByInputs = true;
        private double tolerance;
        private int maxSteps;
        private AdaptiveStrategy strategy = AdaptiveStrategy.SUBDIVIDE;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

        /** The model to explain (required). */
        public Builder setModel(ImageModel model) {
            this.model = model;
            return this;
        }

        /** Points per path (default 50); in adaptive mode, the starting count. */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The integration rule (default {@link IntegrationRule#GAUSS_LEGENDRE}). */
        public Builder optRule(IntegrationRule rule) {
            this.rule = rule;
            return this;
        }

        /** Interpolation points per forward/backward pass (default 16); bounds memory. */
        public Builder optInternalBatchSize(int size) {
            this.internalBatchSize = size;
            return this;
        }

        /** Baselines to average over (default: one zero baseline). */
        public Builder optBaselines(Baseline... baselines) {
            this.baselines = baselines == null ? null : Arrays.asList(baselines);
            return this;
        }

        /** Multiply the integrated gradient by {@code x - x'} (default true, the method as published). */
        public Builder optMultiplyByInputs(boolean multiply) {
            this.multiplyByInputs = multiply;
            return this;
        }

        /**
         * Adaptive mode with {@link AdaptiveStrategy#SUBDIVIDE}: halve the path interval with the largest
         * completeness error until {@code |delta| <= tolerance * |F(x) - F(x')|} or the next split would exceed
         * {@code maxSteps} points; the configured steps are the points per interval.
         *
         * @param tolerance completeness tolerance relative to {@code |F(x) - F(x')|} (positive)
         * @param maxSteps  the most points per example and baseline
         * @return this builder
         */
        public Builder optAdaptive(double tolerance, int maxSteps) {
            return optAdaptive(tolerance, maxSteps, AdaptiveStrategy.SUBDIVIDE);
        }

        /**
         * Adaptive mode: add points per example, as {@code strategy} says, until
         * {@code |delta| <= tolerance * |F(x) - F(x')|} or more points would exceed {@code maxSteps}. The configured
         * steps are the starting point count ({@code REFINE_PATH}) or the points per interval ({@code SUBDIVIDE});
         * a small value such as 8 lets easy examples stop early.
         *
         * @param tolerance completeness tolerance relative to {@code |F(x) - F(x')|} (positive)
         * @param maxSteps  the most points per example and baseline
         * @param strategy  how points are added
         * @return this builder
         */
        public Builder optAdaptive(double tolerance, int maxSteps, AdaptiveStrategy strategy) {
            this.tolerance = tolerance;
            this.maxSteps = maxSteps;
            this.strategy = strategy;
            return this;
        }

        /**
         * Receives points done / planned after every internal batch (default: none), and can cancel the call
         * ({@link ProgressListener#isCancelled()}).
         */
        public Builder optProgressListener(ProgressListener listener) {
            this.progress = listener;
            return this;
        }

        /** Validates the settings and builds. */
        public IntegratedGradients build() {
            if (model == null) {
                throw new NullPointerException("model is required: call setModel");
            }
            if (rule == null) {
                throw new NullPointerException("rule must not be null");
            }
            if (steps < rule.minimumSteps()) {
                throw new IllegalArgumentException("steps must be at least " + rule.minimumSteps() + " for " + rule
                        + ", got " + steps);
            }
            Checks.positive(internalBatchSize, "internal batch size");
            if (baselines == null || baselines.isEmpty() || baselines.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("give at least one baseline and no null ones, got " + baselines);
            }
            if (tolerance < 0 || Double.isNaN(tolerance)) {
                throw new IllegalArgumentException("adaptive tolerance must be positive, got " + tolerance);
            }
            if (strategy == null) {
                throw new NullPointerException("adaptive strategy must not be null, expected one of "
                        + Arrays.toString(AdaptiveStrategy.values()));
            }
            if (tolerance > 0 && maxSteps < steps) {
                throw new IllegalArgumentException("adaptive maxSteps (" + maxSteps + ") must be at least steps (" + steps + ")");
            }
            if (progress == null) {
                throw new NullPointerException("progress listener must not be null (use ProgressListener.NONE)");
            }
            return new IntegratedGradients(this);
        }
    }
}
