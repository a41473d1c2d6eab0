package org.xai4j.features;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.FeatureVisualizer;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.ObjectiveGradient;
import org.xai4j.ProgressListener;
import org.xai4j.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Activation maximization: gradient ascent on an image to maximize an objective, from a gray image with small seeded
 * noise (as in the seed study), with the regularizers that make features recognisable.
 *
 * <p>References: Erhan et al., "Visualizing Higher-Layer Features of a Deep Network" (2009); Yosinski et al.,
 * "Understanding Neural Networks Through Deep Visualization" (ICML DL workshop 2015: decay, blur every few steps);
 * Olah, Mordvintsev and Schubert, "Feature Visualization", Distill 2017 (Fourier parameterization with 1/f scaling,
 * colour decorrelation, jitter, Adam at 0.05 for 512 steps).
 *
 * <h2>Defaults</h2>
 * <ul>
 *   <li>{@link Parameterization#FOURIER} (Lucid): {@link Optimizer#ADAM}, learning rate 0.05, 512 steps, jitter 4
 *       pixels, no decay, no blur, no total variation; pixels stay in range through the sigmoid.</li>
 *   <li>{@link Parameterization#PIXELS} (tf-keras-vis / Yosinski style): {@link Optimizer#NORMALIZED_GRADIENT},
 *       learning rate 0.01 (root-mean-square pixel change per step), 256 steps, jitter 4 pixels, decay toward gray
 *       1e-3 per step, Gaussian blur (sigma 0.5) every 4 steps, no total variation; pixels are clipped to the range
 *       after every step. The start is gray (mid-range) plus uniform noise of total width 0.2 of the range.</li>
 *   <li>Pixel range [0, 1] (set it to the model's input space), seed 0, 16 images per batch.</li>
 * </ul>
 * Each step evaluates the objective on the image shifted by a random jitter (a circular roll, drawn per image) and
 * rolls the gradient back. The random stream of each image is derived from the seed and the image's key (its channel
 * or class for the convenience methods, its index otherwise), so results are deterministic and independent of
 * batching. Random scaling and rotation are not implemented.
 */
public final class ActivationMaximization implements FeatureVisualizer {

    private static final String TASK = "ActivationMaximization";

    private final ImageModel model;
    private final Parameterization parameterization;
    private final Optimizer optimizer;
    private final int steps;
    private final double learningRate;
    private final int jitter;
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
        this.steps = b.steps != null ? Checks.positive(b.steps, "steps") : fourier ? 512 : 256;
        this.learningRate = b.learningRate != null ? b.learningRate : optimizer == Optimizer.ADAM ? 0.05 : 0.01;
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.jitter = b.jitter;
        if (jitter < 0) {
            throw new IllegalArgumentException("jitter must be >= 0 pixels, got " + jitter);
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
                    + "smooth by its 1/f scaling); use optBlurEvery(0) with FOURIER");
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

    private Result optimize(Objective objective, long[] keys, long doneBefore, long total) {
        int n = keys.length;
        long[] shape = model.inputShape();
        SplittableRandom[] random = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            random[i] = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + keys[i] * 0xBF58476D1CE4E5B9L + 1);
        }
        FourierImage fourier = parameterization == Parameterization.FOURIER ? new FourierImage(shape, low, high) : null;
        INDArray params = fourier != null ? fourier.init(random) : grayWithNoise(random, shape);
        INDArray m = Nd4j.zeros(DataType.DOUBLE, params.shape());
        INDArray v = Nd4j.zeros(DataType.DOUBLE, params.shape());
        double[] initial = values(objective, image(fourier, params));
        double mid = (low + high) / 2;
        for (int step = 1; step <= steps; step++) {
            INDArray image = image(fourier, params);
            int[][] shifts = new int[n][2];
            for (int i = 0; i < n; i++) {
                shifts[i][0] = jitter == 0 ? 0 : random[i].nextInt(-jitter, jitter + 1);
                shifts[i][1] = jitter == 0 ? 0 : random[i].nextInt(-jitter, jitter + 1);
            }
            INDArray jittered = ImageOps.roll(image, shifts, 1);
            ObjectiveGradient g = model.gradient(jittered.castTo(model.dataType()), objective);
            INDArray gradient = ImageOps.roll(g.inputGradient().castTo(DataType.DOUBLE), shifts, -1);
            if (totalVariation > 0) {
                gradient.subi(ImageOps.totalVariationGradient(image).muli(totalVariation));
            }
            INDArray paramGradient = fourier != null ? fourier.backward(params, image, gradient) : gradient;
            ascend(params, paramGradient, m, v, step);
            if (fourier == null) {
                if (decay > 0) {
                    params.subi(mid).muli(1 - decay).addi(mid);
                }
                if (blurEvery > 0 && step % blurEvery == 0) {
                    params = org.xai4j.internal.GaussianBlur.blur(params, blurSigma);
                }
                params = Transforms.max(Transforms.min(params, high, false), low, false);
            } else if (decay > 0) {
                params.muli(1 - decay);
            }
            listener.onProgress(TASK, doneBefore + (long) step * n, total);
        }
        INDArray finalImage = image(fourier, params);
        return new Result(finalImage, initial, values(objective, finalImage));
    }

    private void ascend(INDArray params, INDArray gradient, INDArray m, INDArray v, int step) {
        if (optimizer == Optimizer.ADAM) {
            double b1 = 0.9;
            double b2 = 0.999;
            m.muli(b1).addi(gradient.mul(1 - b1));
            v.muli(b2).addi(gradient.mul(gradient).muli(1 - b2));
            double correction = Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
            params.addi(m.mul(learningRate * correction).divi(Transforms.sqrt(v, true).addi(1e-8)));
        } else {
            long n = gradient.size(0);
            INDArray rows = gradient.reshape('c', n, gradient.length() / n);
            INDArray rms = Transforms.sqrt(rows.mul(rows).mean(1), false).addi(1e-12).reshape(n, 1);
            params.addi(rows.divColumnVector(rms).muli(learningRate).reshape('c', gradient.shape()));
        }
    }

    private INDArray image(FourierImage fourier, INDArray params) {
        return fourier != null ? fourier.toImage(params) : params.dup();
    }

    private double[] values(Objective objective, INDArray image) {
        return objective.evaluate(model, image.castTo(model.dataType())).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private INDArray grayWithNoise(SplittableRandom[] random, long[] shape) {
        int n = random.length;
        int per = (int) (shape[0] * shape[1] * shape[2]);
        double[] values = new double[n * per];
        double mid = (low + high) / 2;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < per; j++) {
                values[i * per + j] = mid + 0.2 * (high - low) * (random[i].nextDouble() - 0.5);
            }
        }
        return Nd4j.create(values, new long[] {n, shape[0], shape[1], shape[2]}, DataType.DOUBLE);
    }

    @Override public String toString() {
        return "ActivationMaximization[" + parameterization + ", " + optimizer + ", lr=" + learningRate + ", steps="
                + steps + ", jitter=" + jitter + ", decay=" + decay + ", tv=" + totalVariation + ", blurEvery="
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

        /** Optimization steps (512 FOURIER, 256 PIXELS). */
        public Builder optSteps(int steps) { this.steps = steps; return this; }

        /** Step size (0.05 for ADAM, 0.01 for NORMALIZED_GRADIENT). */
        public Builder optLearningRate(double lr) { this.learningRate = lr; return this; }

        /** Maximum random shift in pixels per step, 0 for none (default 4). */
        public Builder optJitter(int pixels) { this.jitter = pixels; return this; }

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
         *                                  (steps, learning rate, jitter, decay, total variation, blur, batch size,
         *                                  pixel range), blur is asked for with {@link Parameterization#FOURIER}, or
         *                                  the jitter is too large for the model's input
         */
        public ActivationMaximization build() { return new ActivationMaximization(this); }
    }
}
