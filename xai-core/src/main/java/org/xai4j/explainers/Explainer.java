package org.xai4j.explainers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.ActivationMapper;
import org.xai4j.AttributionMethod;
import org.xai4j.ImageModel;
import org.xai4j.LayerSelectors;
import org.xai4j.Objective;
import org.xai4j.Predictions;
import org.xai4j.ProgressListener;
import org.xai4j.activation.ActivationMap;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.GradCamPlusPlus;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.LayerCam;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.activation.Normalization;
import org.xai4j.activation.ScoreCam;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.InputXGradient;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.attribution.Saliency;
import org.xai4j.internal.Checks;
import org.xai4j.sanity.MapExplainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Any explanation method chosen by name and configured from plain options, producing one raw map per image: what a
 * command line calls. It is also a {@link MapExplainer}, so sanity checks can re-run it on modified models.
 *
 * <pre>{@code
 * Explainer explainer = Explainer.builder()
 *         .setMethod(ExplanationMethod.fromId("gradcam"))   // or ExplanationMethod.GRAD_CAM
 *         .build();                                          // layer: LayerSelectors.lastSpatialLayerBeforeGlobalPooling
 * Explanation e = explainer.run(model, images);              // targets: each image's predicted class
 * }</pre>
 *
 * <p>Options apply to some methods only; setting one that the method does not use is refused by {@link Builder#build()}
 * (naming the option and the methods it applies to), so a mistyped command line fails instead of being ignored.
 * Defaults are those of the underlying classes. The noise tunnels wrap signed {@link Saliency}. Maps are raw: class
 * activation maps and neuron maps are built with {@link Normalization#NONE}.
 */
public final class Explainer implements MapExplainer {

    private final ExplanationMethod method;
    private final Integer steps;
    private final IntegrationRule rule;
    private final Integer internalBatchSize;
    private final double adaptiveTolerance;
    private final int adaptiveMaxSteps;
    private final List<Baseline> baselines;
    private final String layer;
    private final Integer samples;
    private final Double noiseLevel;
    private final Long seed;
    private final ProgressListener progress;

    private Explainer(Builder b) {
        this.method = b.method;
        this.steps = b.steps;
        this.rule = b.rule;
        this.internalBatchSize = b.internalBatchSize;
        this.adaptiveTolerance = b.adaptiveTolerance;
        this.adaptiveMaxSteps = b.adaptiveMaxSteps;
        this.baselines = b.baselines;
        this.layer = b.layer;
        this.samples = b.samples;
        this.noiseLevel = b.noiseLevel;
        this.seed = b.seed;
        this.progress = b.progress;
    }

    /**
     * Starts configuring an explainer.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The method.
     *
     * @return the configured method
     */
    public ExplanationMethod method() {
        return method;
    }

    /**
     * The layer a layer method maps on a model: the configured one, else
     * {@link LayerSelectors#lastSpatialLayerBeforeGlobalPooling}.
     *
     * @param model the model
     * @return the layer, or null for input attributions
     */
    public String layerFor(ImageModel model) {
        Objects.requireNonNull(model, "model must not be null");
        if (!method.readsLayer()) {
            return null;
        }
        return layer != null ? layer : LayerSelectors.lastSpatialLayerBeforeGlobalPooling(model);
    }

    /**
     * Explains a batch.
     *
     * @param model   the model
     * @param inputs  a batch {@code [n, channels, height, width]}
     * @param targets per image (or one for all): a class; for {@link ExplanationMethod#ACTIVATIONS} a channel of the
     *                layer. None: each image's predicted class, or its neuron with the largest spike total.
     * @return the raw maps and what is needed to judge them
     * @throws NullPointerException     if the model or the inputs are null
     * @throws IllegalArgumentException if the inputs do not fit the model, a target is out of range, or the layer is
     *                                  unknown or not spatial (the message lists the valid names)
     */
    public Explanation run(ImageModel model, INDArray inputs, int... targets) {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(inputs, "inputs must not be null");
        Checks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        if (!method.readsLayer()) {
            int[] classes = perImage(targets == null || targets.length == 0
                    ? Predictions.predictedClasses(model, inputs) : targets, n);
            Attribution a = attributionMethod(model).attribute(inputs, Objective.classLogit(classes));
            return new Explanation(method, null, a.values(), classes, a.convergenceDelta(),
                    method.isNoiseTunnel() ? samplesOrDefault() : a.steps(), a.gradientEvaluations());
        }
        String mapped = layerFor(model);
        ActivationMapper mapper = activationMapper(model, mapped);
        int[] chosen;
        if (targets != null && targets.length > 0) {
            chosen = perImage(targets, n);
        } else if (method == ExplanationMethod.ACTIVATIONS) {
            LayerActivations all = ((NeuronActivations) mapper).activations(inputs);
            chosen = new int[n];
            for (int i = 0; i < n; i++) {
                chosen[i] = all.topK(i, 1)[0];
            }
        } else {
            chosen = Predictions.predictedClasses(model, inputs);
        }
        ActivationMap map = mapper.map(inputs, chosen);
        long evaluations = method == ExplanationMethod.ACTIVATIONS || method == ExplanationMethod.SCORE_CAM ? 0 : n;
        return new Explanation(method, mapped, map.maps(), chosen, new double[0], 0, evaluations);
    }

    /** The maps of {@link #run}, for sanity checks ({@link MapExplainer}). */
    @Override public INDArray explain(ImageModel model, INDArray inputs, int[] targets) {
        return run(model, inputs, targets).values();
    }

    /**
     * The configured attribution method on a model.
     *
     * @param model the model
     * @return the method
     * @throws IllegalStateException if this explainer maps a layer instead
     */
    public AttributionMethod attributionMethod(ImageModel model) {
        Saliency saliency = Saliency.builder().setModel(model).build();
        return switch (method) {
            case IG -> {
                IntegratedGradients.Builder ig = IntegratedGradients.builder().setModel(model);
                if (steps != null) {
                    ig.optSteps(steps);
                }
                if (rule != null) {
                    ig.optRule(rule);
                }
                if (internalBatchSize != null) {
                    ig.optInternalBatchSize(internalBatchSize);
                }
                if (baselines != null) {
                    ig.optBaselines(baselines.toArray(Baseline[]::new));
                }
                if (adaptiveTolerance > 0) {
                    ig.optAdaptive(adaptiveTolerance, adaptiveMaxSteps);
                }
                yield ig.optProgressListener(progress).build();
            }
            case SALIENCY -> saliency;
            case INPUT_X_GRADIENT -> InputXGradient.builder().setModel(model).build();
            case SMOOTHGRAD, SMOOTHGRAD_SQUARED, VARGRAD -> {
                NoiseTunnel.Builder tunnel = NoiseTunnel.builder().setMethod(saliency).optAggregation(
                        method == ExplanationMethod.SMOOTHGRAD ? NoiseTunnel.Aggregation.SMOOTHGRAD
                                : method == ExplanationMethod.VARGRAD ? NoiseTunnel.Aggregation.VARGRAD
                                : NoiseTunnel.Aggregation.SMOOTHGRAD_SQUARED);
                if (samples != null) {
                    tunnel.optSamples(samples);
                }
                if (noiseLevel != null) {
                    tunnel.optNoiseLevel(noiseLevel);
                }
                if (seed != null) {
                    tunnel.optSeed(seed);
                }
                if (internalBatchSize != null) {
                    tunnel.optSamplesPerBatch(internalBatchSize);
                }
                yield tunnel.optProgressListener(progress).build();
            }
            default -> throw new IllegalStateException(method.id() + " maps a layer; use activationMapper");
        };
    }

    /**
     * The configured layer method on a model, producing raw maps ({@link Normalization#NONE}).
     *
     * @param model the model
     * @param layer the spatial layer to map
     * @return the mapper
     * @throws IllegalStateException    if this explainer attributes to the input instead
     * @throws IllegalArgumentException if the layer is unknown or not spatial
     */
    public ActivationMapper activationMapper(ImageModel model, String layer) {
        return switch (method) {
            case GRAD_CAM -> GradCam.builder().setModel(model).optLayer(layer).optNormalization(Normalization.NONE)
                    .build();
            case GRAD_CAM_PLUS_PLUS -> GradCamPlusPlus.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build();
            case LAYER_CAM -> LayerCam.builder().setModel(model).optLayer(layer).optNormalization(Normalization.NONE)
                    .build();
            case SCORE_CAM -> {
                ScoreCam.Builder score = ScoreCam.builder().setModel(model).optLayer(layer)
                        .optNormalization(Normalization.NONE);
                if (internalBatchSize != null) {
                    score.optBatchSize(internalBatchSize);
                }
                yield score.build();
            }
            case ACTIVATIONS -> NeuronActivations.builder().setModel(model).setLayer(layer)
                    .optNormalization(Normalization.NONE).build();
            default -> throw new IllegalStateException(method.id() + " attributes to the input; use attributionMethod");
        };
    }

    private int samplesOrDefault() {
        return samples != null ? samples : NoiseTunnel.DEFAULT_SAMPLES;
    }

    private static int[] perImage(int[] targets, int n) {
        if (targets.length == 1 && n > 1) {
            int[] all = new int[n];
            Arrays.fill(all, targets[0]);
            return all;
        }
        if (targets.length != n) {
            throw new IllegalArgumentException("got " + targets.length + " targets for " + n + " images; give one per "
                    + "image or one for all");
        }
        return targets.clone();
    }

    @Override public String toString() {
        List<String> options = new ArrayList<>();
        add(options, "steps", steps);
        add(options, "rule", rule);
        add(options, "internalBatchSize", internalBatchSize);
        if (adaptiveTolerance > 0) {
            options.add("adaptive(tolerance=" + adaptiveTolerance + ", maxSteps=" + adaptiveMaxSteps + ")");
        }
        add(options, "baselines", baselines);
        add(options, "layer", layer);
        add(options, "samples", samples);
        add(options, "noiseLevel", noiseLevel);
        add(options, "seed", seed);
        return "Explainer[" + method.id() + (options.isEmpty() ? "" : ", " + String.join(", ", options)) + "]";
    }

    private static void add(List<String> options, String name, Object value) {
        if (value != null) {
            options.add(name + "=" + value);
        }
    }

    /**
     * Builder: required {@link #setMethod}; the options each apply to the methods their Javadoc names, and are
     * refused for others.
     */
    public static final class Builder {
        private ExplanationMethod method;
        private Integer steps;
        private IntegrationRule rule;
        private Integer internalBatchSize;
        private double adaptiveTolerance;
        private int adaptiveMaxSteps;
        private List<Baseline> baselines;
        private String layer;
        private Integer samples;
        private Double noiseLevel;
        private Long seed;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() { }

        /**
         * The method (required).
         *
         * @param method the method, e.g. {@code ExplanationMethod.fromId("ig")}
         * @return this builder
         */
        public Builder setMethod(ExplanationMethod method) {
            this.method = method;
            return this;
        }

        /**
         * Integration points (ig; default 50, in adaptive mode the points per interval).
         *
         * @param steps a positive count, at least the rule's minimum
         * @return this builder
         */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * The integration rule (ig; default {@link IntegrationRule#GAUSS_LEGENDRE}).
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder optRule(IntegrationRule rule) {
            this.rule = Objects.requireNonNull(rule, "rule must not be null");
            return this;
        }

        /**
         * How many inputs go through the model at once (ig: interpolation points, default 16; noise tunnels: noisy
         * copies per image, default 8; scorecam: masked images, default 32). Bounds memory.
         *
         * @param size a positive count
         * @return this builder
         */
        public Builder optInternalBatchSize(int size) {
            this.internalBatchSize = size;
            return this;
        }

        /**
         * Adaptive integrated gradients (ig): add points until {@code |delta| <= tolerance * |F(x) - F(x')|} or the
         * next split would pass {@code maxSteps}.
         *
         * @param tolerance the relative completeness tolerance, positive (e.g. 0.01)
         * @param maxSteps  the most points per image and baseline, at least the steps
         * @return this builder
         */
        public Builder optAdaptive(double tolerance, int maxSteps) {
            this.adaptiveTolerance = tolerance;
            this.adaptiveMaxSteps = maxSteps;
            if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
                throw new IllegalArgumentException("adaptive tolerance must be positive and finite, got " + tolerance);
            }
            return this;
        }

        /**
         * The baselines to average over (ig; default one black image).
         *
         * @param baselines one or more baselines
         * @return this builder
         */
        public Builder optBaselines(Baseline... baselines) {
            Objects.requireNonNull(baselines, "baselines must not be null");
            this.baselines = List.of(baselines);
            return this;
        }

        /**
         * The spatial layer to map (gradcam, gradcampp, scorecam, layercam, activations; default
         * {@link LayerSelectors#lastSpatialLayerBeforeGlobalPooling}).
         *
         * @param layer a layer name
         * @return this builder
         */
        public Builder optLayer(String layer) {
            this.layer = Objects.requireNonNull(layer, "layer must not be null");
            return this;
        }

        /**
         * Noisy copies per image (smoothgrad, smoothgrad_sq, vargrad; default 25).
         *
         * @param samples a positive count
         * @return this builder
         */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * Noise standard deviation as a fraction of each image's value range (noise tunnels; default 0.15).
         *
         * @param level a finite fraction {@code >= 0}
         * @return this builder
         */
        public Builder optNoiseLevel(double level) {
            this.noiseLevel = level;
            return this;
        }

        /**
         * Seed of the noise (noise tunnels; default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Receives progress (ig and the noise tunnels report it; default none).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optProgressListener(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "progress listener must not be null");
            return this;
        }

        /**
         * Checks the options against the method.
         *
         * @return the explainer
         * @throws NullPointerException     if no method was set
         * @throws IllegalArgumentException if an option is out of range or does not apply to the method (the message
         *                                  names the option and the methods it applies to)
         */
        public Explainer build() {
            Objects.requireNonNull(method, "method is required: call setMethod");
            boolean ig = method == ExplanationMethod.IG;
            applies("steps", steps, ig, "ig");
            applies("rule", rule, ig, "ig");
            applies("adaptive", adaptiveTolerance > 0 ? adaptiveTolerance : null, ig, "ig");
            applies("baselines", baselines, ig, "ig");
            applies("layer", layer, method.readsLayer(), "gradcam, gradcampp, scorecam, layercam, activations");
            String tunnels = "smoothgrad, smoothgrad_sq, vargrad";
            applies("samples", samples, method.isNoiseTunnel(), tunnels);
            applies("noise level", noiseLevel, method.isNoiseTunnel(), tunnels);
            applies("seed", seed, method.isNoiseTunnel(), tunnels);
            applies("internal batch size", internalBatchSize,
                    ig || method.isNoiseTunnel() || method == ExplanationMethod.SCORE_CAM, "ig, " + tunnels + ", scorecam");
            if (steps != null) {
                int minimum = (rule == null ? IntegrationRule.GAUSS_LEGENDRE : rule).minimumSteps();
                if (steps < minimum) {
                    throw new IllegalArgumentException("steps must be at least " + minimum + " for the "
                            + (rule == null ? IntegrationRule.GAUSS_LEGENDRE : rule) + " rule, got " + steps);
                }
            }
            if (adaptiveTolerance > 0 && adaptiveMaxSteps < (steps == null ? 50 : steps)) {
                throw new IllegalArgumentException("adaptive maxSteps (" + adaptiveMaxSteps + ") must be at least the "
                        + "steps (" + (steps == null ? 50 : steps) + ")");
            }
            if (internalBatchSize != null) {
                Checks.positive(internalBatchSize, "internal batch size");
            }
            if (samples != null) {
                Checks.positive(samples, "samples");
            }
            if (noiseLevel != null && !(noiseLevel >= 0 && Double.isFinite(noiseLevel))) {
                throw new IllegalArgumentException("noise level must be a finite fraction >= 0, got " + noiseLevel);
            }
            if (baselines != null && (baselines.isEmpty() || baselines.stream().anyMatch(Objects::isNull))) {
                throw new IllegalArgumentException("give at least one baseline and no null ones, got " + baselines);
            }
            return new Explainer(this);
        }

        private void applies(String option, Object value, boolean applies, String methods) {
            if (value != null && !applies) {
                throw new IllegalArgumentException(option + " does not apply to " + method.id() + "; it applies to "
                        + methods);
            }
        }
    }
}
