package org.xai4j.features;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.FeatureVisualizer;
import org.xai4j.ProgressListener;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;
import org.xai4j.internal.Checks;
import org.xai4j.internal.GaussianBlur;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Activation maximization: gradient ascent on an image to maximize an objective, from a gray image with small seeded
 * noise (as in the seed study), with the regularizers and robustness transforms that make features recognizable.
 *
 * <p>References: Erhan et al., "Visualizing Higher-Layer Features of a Deep Network" (2009); Yosinski et al.,
 * "Understanding Neural Networks Through Deep Visualization" (ICML DL workshop 2015: decay, blur every few steps);
 * Olah, Mordvintsev and Schubert, "Feature Visualization", Distill 2017 (Fourier parameterization with 1/f scaling,
 * color decorrelation, Adam at 0.05 for 512 steps, and the "standard transforms": pad, jitter, random scale, random
 * rotation).
 *
 * <h2>Defaults</h2>
 * <ul>
 *   <li>{@link Parameterization#FOURIER} (Lucid): {@link Optimizer#ADAM}, learning rate 0.05, 512 steps, jitter 4
 *       pixels, Lucid's standard transforms (a pad of 12 pixels at 224x224, in proportion for other sizes, random
 *       scale in [0.9, 1.1], random rotation within +-10 degrees), no decay, no blur, no total variation; pixels stay
 *       in range through the sigmoid.</li>
 *   <li>{@link Parameterization#PIXELS} (tf-keras-vis / Yosinski style): {@link Optimizer#NORMALIZED_GRADIENT},
 *       learning rate 0.01 (root-mean-square pixel change per step), 256 steps, jitter 4 pixels, no pad, scale or
 *       rotation, decay toward gray 1e-3 per step, Gaussian blur (sigma 0.5) every 4 steps, no total variation;
 *       pixels are clipped to the range after every step. The start is gray (mid-range) plus uniform noise of total
 *       width 0.2 of the range.</li>
 *   <li>Pixel range [0, 1] (set it to the model's input space), seed 0, 16 images per batch.</li>
 * </ul>
 *
 * <h2>One step</h2>
 * The model sees each image circularly shifted by a random jitter, then (when pad, scale or rotation are on) placed on
 * a canvas padded with mid-range gray, scaled and rotated about its center by random amounts and resampled bilinearly
 * onto the model's input grid (Lucent's behavior for fixed-size models). The gradient flows back through the
 * resampling (its exact adjoint) and the shift to the image and, for FOURIER, through the color decorrelation and the
 * inverse Fourier transform to the spectrum. Every transform runs on the whole batch with ND4J ops in the model's
 * floating-point type, in arrays allocated once per batch; the resampling's sampling plan is computed in Java. Only
 * the layers up to the objective's layer are evaluated.
 *
 * <p>The random stream of each image is derived from the seed and the image's key (its channel or class for the
 * convenience methods, its index otherwise), and every random draw of a step (shift, scale, angle) is made per image
 * from its own stream, so results are deterministic and independent of batching. The global ND4J random generator is
 * never used. Between steps the progress listener's {@link ProgressListener#checkpoint checkpoint} can stop the run
 * with an {@link org.xai4j.ExplanationCancelledException}.
 */
public final class ActivationMaximization implements FeatureVisualizer {

    private static final String TASK = "ActivationMaximization";

    private final ImageModel model;
    private final Parameterization parameterization;
    private final Optimizer optimizer;
    /** Optimization steps with {@link Parameterization#FOURIER} unless {@link Builder#optSteps} says otherwise. */
    public static final int DEFAULT_FOURIER_STEPS = 512;
    /** Optimization steps with {@link Parameterization#PIXELS} unless {@link Builder#optSteps} says otherwise. */
    public static final int DEFAULT_PIXEL_STEPS = 256;

    private final int steps;
    private final double learningRate;
    private final int jitter;
    private final int pad;
    private final double minScale;
    private final double maxScale;
    private final double maxRotation;
    private final double decay;
    private final double totalVariation;
    private final int blurEvery;
    private final double blurSigma;
    private final long seed;
    private final int batchSize;
    private final double low;
    private final double high;
    private final ProgressListener listener;

    private ActivationMaximization(Builder b) {
        if (b.model == null) {
            throw new NullPointerException("model is required: call setModel");
        }
        if (b.parameterization == null) {
            throw new NullPointerException("parameterization must not be null; expected one of "
                    + Arrays.toString(Parameterization.values()));
        }
        boolean fourier = b.parameterization == Parameterization.FOURIER;
        this.model = b.model;
        this.parameterization = b.parameterization;
        this.optimizer = b.optimizer != null ? b.optimizer : fourier ? Optimizer.ADAM : Optimizer.NORMALIZED_GRADIENT;
        this.steps = b.steps != null ? Checks.positive(b.steps, "steps")
                : fourier ? DEFAULT_FOURIER_STEPS : DEFAULT_PIXEL_STEPS;
        this.learningRate = b.learningRate != null ? b.learningRate : optimizer == Optimizer.ADAM ? 0.05 : 0.01;
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.jitter = b.jitter;
        if (jitter < 0) {
            throw new IllegalArgumentException("jitter must be >= 0 pixels, got " + jitter);
        }
        long[] input = model.inputShape();
        this.pad = b.pad != null ? b.pad : fourier ? (int) Math.max(1, Math.round(12.0 * Math.min(input[1], input[2]) / 224)) : 0;
        if (pad < 0) {
            throw new IllegalArgumentException("pad must be >= 0 pixels, got " + pad);
        }
        this.minScale = b.minScale != null ? b.minScale : fourier ? 0.9 : 1;
        this.maxScale = b.maxScale != null ? b.maxScale : fourier ? 1.1 : 1;
        if (!(minScale > 0 && minScale <= maxScale) || !Double.isFinite(maxScale)) {
            throw new IllegalArgumentException("random scale range must satisfy 0 < min <= max < infinity, got ["
                    + minScale + ", " + maxScale + "]");
        }
        this.maxRotation = b.maxRotation != null ? b.maxRotation : fourier ? 10 : 0;
        if (!(maxRotation >= 0 && maxRotation <= 180)) {
            throw new IllegalArgumentException("random rotation must be within [0, 180] degrees, got " + maxRotation);
        }
        this.decay = b.decay != null ? b.decay : fourier ? 0 : 1e-3;
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
        }
        this.totalVariation = b.totalVariation;
        if (!(totalVariation >= 0) || !Double.isFinite(totalVariation)) {
            throw new IllegalArgumentException("total variation weight must be >= 0, got " + totalVariation);
        }
        this.blurEvery = b.blurEvery != null ? b.blurEvery : fourier ? 0 : 4;
        this.blurSigma = b.blurSigma;
        if (blurEvery < 0 || (blurEvery > 0 && !(blurSigma > 0))) {
            throw new IllegalArgumentException("blur every " + blurEvery + " steps with sigma " + blurSigma
                    + ": expected a period >= 0 (0 = off) and a positive sigma");
        }
        if (fourier && blurEvery > 0) {
            throw new IllegalArgumentException("blur applies to the PIXELS parameterization only (the FOURIER one is "
                    + "smooth by its 1/f scaling); use optBlur(0, sigma) with FOURIER");
        }
        this.seed = b.seed;
        this.batchSize = Checks.positive(b.batchSize, "batch size");
        if (!(b.low < b.high) || !Double.isFinite(b.low) || !Double.isFinite(b.high)) {
            throw new IllegalArgumentException("pixel range must be finite with low < high, got [" + b.low + ", " + b.high + "]");
        }
        this.low = b.low;
        this.high = b.high;
        this.listener = b.listener == null ? ProgressListener.NONE : b.listener;
        if (model.inputShape()[1] <= 2L * jitter || model.inputShape()[2] <= 2L * jitter) {
            throw new IllegalArgumentException("jitter " + jitter + " is too large for input " + Arrays.toString(model.inputShape()));
        }
    }

    /**
     * Starts configuring an activation maximization.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    @Override public ImageModel model() { return model; }

    @Override public FeatureVisualization visualize(Objective objective, int images) {
        if (objective == null) {
            throw new NullPointerException("objective must not be null");
        }
        Checks.positive(images, "number of images");
        objective.validate(model, images);
        long[] keys = new long[images];
        String[] labels = new String[images];
        for (int i = 0; i < images; i++) {
            keys[i] = i;
            labels[i] = objective.forExample(i).toString();
        }
        Result r = optimize(objective, keys, 0, (long) images * steps);
        return new FeatureVisualization(r.images, objective, labels, r.initial, r.last, steps, parameterization);
    }

    @Override public FeatureVisualization visualizeChannels(String layer, int... channels) {
        if (channels == null || channels.length == 0) {
            throw new IllegalArgumentException("give at least one channel of layer '" + layer + "'");
        }
        Objective all = Objective.channelMean(layer, channels);
        all.validate(model, channels.length);
        return batched(all, channels, c -> Objective.channelMean(layer, c), c -> layer + "[" + c + "]");
    }

    @Override public FeatureVisualization visualizeLayer(String layer) {
        long[] shape = model.layerShape(layer);
        int[] channels = new int[(int) shape[0]];
        Arrays.setAll(channels, i -> i);
        return visualizeChannels(layer, channels);
    }

    @Override public FeatureVisualization visualizeClasses(int... classes) {
        if (classes == null || classes.length == 0) {
            throw new IllegalArgumentException("give at least one class");
        }
        Objective all = Objective.classLogit(classes);
        all.validate(model, classes.length);
        return batched(all, classes, Objective::classLogit, c -> "class " + c);
    }

    private FeatureVisualization batched(Objective all, int[] targets, java.util.function.Function<int[], Objective> make,
                                         java.util.function.IntFunction<String> label) {
        List<INDArray> images = new ArrayList<>();
        double[] initial = new double[targets.length];
        double[] last = new double[targets.length];
        String[] labels = new String[targets.length];
        for (int start = 0; start < targets.length; start += batchSize) {
            int end = Math.min(targets.length, start + batchSize);
            int[] chunk = Arrays.copyOfRange(targets, start, end);
            long[] keys = Arrays.stream(chunk).asLongStream().toArray();
            Result r = optimize(make.apply(chunk), keys, (long) start * steps, (long) targets.length * steps);
            images.add(r.images);
            System.arraycopy(r.initial, 0, initial, start, chunk.length);
            System.arraycopy(r.last, 0, last, start, chunk.length);
        }
        for (int i = 0; i < targets.length; i++) {
            labels[i] = label.apply(targets[i]);
        }
        INDArray stacked = images.size() == 1 ? images.get(0) : Nd4j.concat(0, images.toArray(new INDArray[0]));
        return new FeatureVisualization(stacked, all, labels, initial, last, steps, parameterization);
    }

    private record Result(INDArray images, double[] initial, double[] last) { }

    /** Whether the pad, scale and rotation resampling runs at all. */
    private boolean resamples() {
        return pad > 0 || minScale != 1 || maxScale != 1 || maxRotation > 0;
    }

    private Result optimize(Objective objective, long[] keys, long doneBefore, long total) {
        int n = keys.length;
        long[] shape = model.inputShape();
        long[] batchShape = {n, shape[0], shape[1], shape[2]};
        DataType type = model.dataType();
        SplittableRandom[] random = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            random[i] = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + keys[i] * 0xBF58476D1CE4E5B9L + 1);
        }
        // Every array the loop needs is made here once and written in place at each step; only the engine's own
        // result (the input gradient) is new per step, and it is released as soon as it is read.
        List<INDArray> working = new ArrayList<>();
        FourierImage fourier = parameterization == Parameterization.FOURIER ? new FourierImage(shape, low, high, type) : null;
        FourierImage.Buffers spectral = fourier == null ? null : fourier.buffers(n);
        INDArray params = fourier != null ? fourier.init(random) : grayWithNoise(random, batchShape, type);
        INDArray image = fourier != null ? Nd4j.create(type, batchShape) : params;
        INDArray jittered = keep(working, Nd4j.create(type, batchShape));
        INDArray gradient = keep(working, Nd4j.create(type, batchShape));
        INDArray scratch = keep(working, Nd4j.create(type, batchShape));
        INDArray paramGradient = fourier != null ? keep(working, Nd4j.create(type, params.shape())) : gradient;
        Ascent ascent = new Ascent(params, fourier != null ? 2 : 0, working);
        AffineResampling resampling = resamples() ? new AffineResampling(batchShape, pad, (low + high) / 2) : null;
        INDArray resampled = resampling == null ? null : keep(working, Nd4j.create(type, batchShape));
        GaussianBlur blur = fourier == null && blurEvery > 0 ? new GaussianBlur(blurSigma, batchShape, type) : null;
        boolean finished = false;
        int[][] shifts = new int[n][2];
        double[] scales = new double[n];
        double[] angles = new double[n];
        double mid = (low + high) / 2;
        try {
            if (fourier != null) {
                fourier.toImage(params, spectral, image);
            }
            double[] initial = values(objective, image);
            for (int step = 1; step <= steps; step++) {
                ProgressListener.checkpoint(listener, TASK, doneBefore + (long) (step - 1) * n, total);
                for (int i = 0; i < n; i++) {
                    shifts[i][0] = jitter == 0 ? 0 : random[i].nextInt(-jitter, jitter + 1);
                    shifts[i][1] = jitter == 0 ? 0 : random[i].nextInt(-jitter, jitter + 1);
                    if (resampling != null) {
                        scales[i] = minScale + (maxScale - minScale) * random[i].nextDouble();
                        angles[i] = maxRotation * (2 * random[i].nextDouble() - 1);
                    }
                }
                ImageOps.roll(image, shifts, 1, jittered);
                if (resampling != null) {
                    resampling.forward(jittered, scales, angles, resampled);
                }
                ObjectiveGradient g = model.gradient(resampling == null ? jittered : resampled, objective);
                INDArray inputGradient = g.inputGradient();
                if (resampling != null) {
                    resampling.adjoint(inputGradient, jittered);
                    ImageOps.roll(jittered, shifts, -1, gradient);
                } else {
                    ImageOps.roll(inputGradient, shifts, -1, gradient);
                }
                inputGradient.close();
                g.values().close();
                if (totalVariation > 0) {
                    ImageOps.subtractTotalVariationGradient(image, totalVariation, scratch, gradient);
                }
                if (fourier != null) {
                    fourier.backward(image, gradient, spectral, paramGradient);
                }
                ascent.step(params, paramGradient, step);
                if (fourier == null) {
                    if (decay > 0) {
                        params.muli(1 - decay).addi(mid * decay);
                    }
                    if (blur != null && step % blurEvery == 0) {
                        blur.apply(params, scratch);
                        params.assign(scratch);
                    }
                    Transforms.max(Transforms.min(params, high, false), low, false);
                } else {
                    if (decay > 0) {
                        params.muli(1 - decay);
                    }
                    fourier.toImage(params, spectral, image);
                }
                listener.onProgress(TASK, doneBefore + (long) step * n, total);
            }
            Result result = new Result(image, initial, values(objective, image));
            finished = true;
            return result;
        } finally {
            for (INDArray array : working) {
                array.close();
            }
            if (fourier != null) {
                params.close();
                spectral.close();
            }
            if (resampling != null) {
                resampling.close();
            }
            if (blur != null) {
                blur.close();
            }
            if (!finished) {
                image.close();
            }
        }
    }

    private static INDArray keep(List<INDArray> working, INDArray array) {
        working.add(array);
        return array;
    }

    /** The ascent rule with its state (Adam's moments) and scratch, for parameters of one shape. */
    private final class Ascent {
        private final int batchAxis;
        private final int[] exampleAxes;
        private final INDArray m;
        private final INDArray v;
        private final INDArray scratch;

        Ascent(INDArray params, int batchAxis, List<INDArray> working) {
            this.batchAxis = batchAxis;
            this.exampleAxes = java.util.stream.IntStream.range(0, params.rank()).filter(a -> a != batchAxis).toArray();
            boolean adam = optimizer == Optimizer.ADAM;
            this.m = adam ? keep(working, Nd4j.zeros(params.dataType(), params.shape())) : null;
            this.v = adam ? keep(working, Nd4j.zeros(params.dataType(), params.shape())) : null;
            this.scratch = adam ? keep(working, Nd4j.create(params.dataType(), params.shape())) : null;
        }

        /** Ascends along {@code gradient}, which it overwrites. */
        void step(INDArray params, INDArray gradient, int step) {
            if (optimizer == Optimizer.ADAM) {
                double b1 = 0.9;
                double b2 = 0.999;
                scratch.assign(gradient).muli(gradient).muli(1 - b2);
                v.muli(b2).addi(scratch);
                m.muli(b1).addi(gradient.muli(1 - b1));
                double correction = Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
                Transforms.sqrt(scratch.assign(v), false).addi(1e-8).rdivi(m);
                params.addi(scratch.muli(learningRate * correction));
            } else if (batchAxis == 0) {
                // Each image's step has root-mean-square learningRate.
                long n = gradient.size(0);
                INDArray rows = gradient.reshape('c', n, gradient.length() / n);
                INDArray factor = rows.norm2(1).divi(Math.sqrt(rows.size(1))).addi(1e-12).rdivi(learningRate);
                rows.muliColumnVector(factor.reshape(n, 1));
                factor.close();
                params.addi(gradient);
            } else {
                long perExample = gradient.length() / gradient.size(batchAxis);
                INDArray rms = gradient.norm2(exampleAxes).divi(Math.sqrt(perExample)).addi(1e-12);
                Nd4j.exec(new BroadcastDivOp(gradient, rms, gradient, batchAxis));
                rms.close();
                params.addi(gradient.muli(learningRate));
            }
        }
    }

    private double[] values(Objective objective, INDArray image) {
        INDArray values = objective.evaluate(model, image);
        double[] result = values.toDoubleVector();
        values.close();
        return result;
    }

    private INDArray grayWithNoise(SplittableRandom[] random, long[] batchShape, DataType type) {
        int n = random.length;
        int per = (int) (batchShape[1] * batchShape[2] * batchShape[3]);
        double[] values = new double[n * per];
        double mid = (low + high) / 2;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < per; j++) {
                values[i * per + j] = mid + 0.2 * (high - low) * (random[i].nextDouble() - 0.5);
            }
        }
        return Nd4j.create(values, batchShape, type);
    }

    @Override public String toString() {
        return "ActivationMaximization[" + parameterization + ", " + optimizer + ", lr=" + learningRate + ", steps="
                + steps + ", jitter=" + jitter + ", pad=" + pad + ", scale=[" + minScale + ", " + maxScale
                + "], rotation=" + maxRotation + ", decay=" + decay + ", tv=" + totalVariation + ", blurEvery="
                + blurEvery + ", range=[" + low + ", " + high + "], seed=" + seed + "]";
    }

    /** Builder: required {@code setModel}; everything else optional with the defaults in the class documentation. */
    public static final class Builder {
        private ImageModel model;
        private Parameterization parameterization = Parameterization.FOURIER;
        private Optimizer optimizer;
        private Integer steps;
        private Double learningRate;
        private int jitter = 4;
        private Integer pad;
        private Double minScale;
        private Double maxScale;
        private Double maxRotation;
        private Double decay;
        private double totalVariation;
        private Integer blurEvery;
        private double blurSigma = 0.5;
        private long seed;
        private int batchSize = 16;
        private double low = 0;
        private double high = 1;
        private ProgressListener listener;

        private Builder() { }

        /** The model (required). */
        public Builder setModel(ImageModel model) { this.model = model; return this; }

        /** FOURIER (default) or PIXELS. */
        public Builder optParameterization(Parameterization p) { this.parameterization = p; return this; }

        /** ADAM (FOURIER default) or NORMALIZED_GRADIENT (PIXELS default). */
        public Builder optOptimizer(Optimizer optimizer) { this.optimizer = optimizer; return this; }

        /**
         * Optimization steps ({@value ActivationMaximization#DEFAULT_FOURIER_STEPS} FOURIER,
         * {@value ActivationMaximization#DEFAULT_PIXEL_STEPS} PIXELS).
         */
        public Builder optSteps(int steps) { this.steps = steps; return this; }

        /** Step size (0.05 for ADAM, 0.01 for NORMALIZED_GRADIENT). */
        public Builder optLearningRate(double lr) { this.learningRate = lr; return this; }

        /** Maximum random shift in pixels per step, 0 for none (default 4). */
        public Builder optJitter(int pixels) { this.jitter = pixels; return this; }

        /**
         * Width of the mid-gray border the image is placed in before scaling and rotation; the padded canvas is
         * resampled onto the model's input (default: FOURIER 12 pixels at 224x224, in proportion to other sizes and
         * at least 1; PIXELS 0).
         */
        public Builder optPad(int pixels) { this.pad = pixels; return this; }

        /**
         * Random scale factor drawn uniformly from {@code [min, max]} per image and step (default: FOURIER [0.9, 1.1];
         * PIXELS [1, 1], off).
         */
        public Builder optRandomScale(double min, double max) { this.minScale = min; this.maxScale = max; return this; }

        /**
         * Random rotation drawn uniformly from {@code [-maxDegrees, maxDegrees]} per image and step (default: FOURIER
         * 10; PIXELS 0, off).
         */
        public Builder optRandomRotation(double maxDegrees) { this.maxRotation = maxDegrees; return this; }

        /**
         * Turns the pad, random scale and random rotation off (the jitter stays): what the PIXELS parameterization does
         * by default.
         */
        public Builder optNoResampling() { return optPad(0).optRandomScale(1, 1).optRandomRotation(0); }

        /** Per-step decay toward gray (PIXELS, default 1e-3) or of the spectrum (FOURIER, default 0): an L2 prior. */
        public Builder optDecay(double decay) { this.decay = decay; return this; }

        /** Weight of a squared total-variation penalty, per pixel (default 0). */
        public Builder optTotalVariation(double weight) { this.totalVariation = weight; return this; }

        /** PIXELS only: Gaussian blur every {@code steps} steps (default 4; 0 = off) with the given sigma (0.5). */
        public Builder optBlur(int everySteps, double sigma) { this.blurEvery = everySteps; this.blurSigma = sigma; return this; }

        /** Seed of the initial noise and jitter (default 0). */
        public Builder optSeed(long seed) { this.seed = seed; return this; }

        /** Images optimized together in one batch by the convenience methods (default 16). */
        public Builder optBatchSize(int batchSize) { this.batchSize = batchSize; return this; }

        /** The valid pixel range of the model's input (default [0, 1]); images always stay inside it. */
        public Builder optPixelRange(double low, double high) { this.low = low; this.high = high; return this; }

        /** Receives (images x steps) progress. */
        public Builder optProgressListener(ProgressListener listener) { this.listener = listener; return this; }

        /**
         * Creates the visualizer, filling in the defaults of the chosen parameterization.
         *
         * @return the configured {@code ActivationMaximization}
         * @throws IllegalArgumentException if the model or parameterization is missing, an option is out of range
         *                                  (steps, learning rate, jitter, pad, scale, rotation, decay, total variation,
         *                                  blur, batch size, pixel range), blur is asked for with {@link Parameterization#FOURIER}, or
         *                                  the jitter is too large for the model's input
         */
        public ActivationMaximization build() { return new ActivationMaximization(this); }
    }
}
