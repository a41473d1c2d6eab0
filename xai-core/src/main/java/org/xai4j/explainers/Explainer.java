package org.xai4j.explainers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.ActivationMapper;
import org.xai4j.AttributionMethod;
import org.xai4j.LayerSelectors;
import org.xai4j.Predictions;
import org.xai4j.ProgressListener;
import org.xai4j.activation.ActivationMap;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.activation.Normalization;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.Saliency;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.engine.Objective;
import org.xai4j.sanity.MapExplainer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Which options a method takes, their defaults and checks are declared once, in the method table
 * ({@link ExplanationMethod}); setting an option that the method does not take is refused by {@link Builder#build()}
 * (naming the option and the methods it applies to), so a mistyped command line fails instead of being ignored. The
 * typed {@code optX} setters and the generic {@link Builder#opt(MethodOption, Object)} and
 * {@link Builder#opt(String, String, MethodOption.ParseContext)} all land in the same {@link MethodSettings}. The noise
 * tunnels wrap signed {@link Saliency}. Maps are raw: class activation maps and neuron maps are built with
 * {@link Normalization#NONE}.
 */
public final class Explainer implements MapExplainer {

    private final ExplanationMethod method;
    private final MethodSettings settings;
    private final ProgressListener progress;

    private Explainer(ExplanationMethod method, MethodSettings settings, ProgressListener progress) {
        this.method = method;
        this.settings = settings;
        this.progress = progress;
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
     * The checked options.
     *
     * @return the settings (defaults answered by {@link MethodSettings#get})
     */
    public MethodSettings settings() {
        return settings;
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
        String layer = settings.get(MethodOption.LAYER);
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
        InputChecks.imageBatch(inputs, model.inputShape(), "input");
        int n = (int) inputs.size(0);
        if (!method.producesMap()) {
            int[] classes = perImage(targets == null || targets.length == 0
                    ? Predictions.predictedClasses(model, inputs) : targets, n);
            Attribution a = attributionMethod(model).attribute(inputs, Objective.classLogit(classes));
            return new Explanation(method, null, a.values(), classes, a.convergenceDelta(), a.outputDifference(),
                    a.steps(), a.gradientEvaluations());
        }
        String mapped = layerFor(model);
        ActivationMapper mapper = activationMapper(model, mapped);
        int[] chosen;
        if (targets != null && targets.length > 0) {
            chosen = perImage(targets, n);
        } else if (method.output() == ExplanationMethod.Output.NEURON_MAP) {
            LayerActivations all = ((NeuronActivations) mapper).activations(inputs);
            chosen = new int[n];
            for (int i = 0; i < n; i++) {
                chosen[i] = all.topK(i, 1)[0];
            }
        } else {
            chosen = Predictions.predictedClasses(model, inputs);
        }
        ActivationMap map = mapper.map(inputs, chosen);
        return new Explanation(method, mapper.layer(), map.maps(), chosen, new double[0], new double[0], 0,
                (long) method.gradientEvaluationsPerImage() * n);
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
        return method.attributionMethod(model, settings, progress);
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
        return method.activationMapper(model, layer, settings, progress);
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
        return "Explainer[" + settings + "]";
    }

    /**
     * Builder: required {@link #setMethod}; options are those of the method's table entry, and are refused for
     * others. The typed setters are shorthands for {@link #opt(MethodOption, Object)}.
     */
    public static final class Builder {
        private ExplanationMethod method;
        private final Map<MethodOption<?>, Object> options = new LinkedHashMap<>();
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
         * Sets an option of the method table (a repeatable option replaces earlier values).
         *
         * @param option the option
         * @param value  its value
         * @param <T>    its type
         * @return this builder
         * @throws NullPointerException     if the option or value is null
         * @throws IllegalArgumentException if the value is out of range (the message names the option)
         */
        public <T> Builder opt(MethodOption<T> option, T value) {
            Objects.requireNonNull(option, "option must not be null");
            options.put(option, option.check(value));
            return this;
        }

        /**
         * Sets an option from text, as a command line or configuration file gives it; a repeatable option
         * ({@code baseline}) collects every value given.
         *
         * @param name    the option's name, e.g. {@code steps} or {@code --steps}
         * @param text    the value, e.g. {@code 32}
         * @param context what parsing needs of the model (image baselines)
         * @return this builder
         * @throws IllegalArgumentException for an unknown option or a bad value (the message names both)
         */
        public Builder opt(String name, String text, MethodOption.ParseContext context) {
            MethodOption<?> option = MethodOption.named(name);
            Object value = option.parse(text, context);
            options.merge(option, value, (a, b) -> option.repeatable() ? MethodOption.append(a, b) : b);
            return this;
        }

        /**
         * Integration points (ig; the table's default, in adaptive mode the points per interval).
         *
         * @param steps a positive count, at least the rule's minimum
         * @return this builder
         */
        public Builder optSteps(int steps) {
            return opt(MethodOption.STEPS, steps);
        }

        /**
         * The integration rule (ig; default {@link IntegrationRule#GAUSS_LEGENDRE}).
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder optRule(IntegrationRule rule) {
            return opt(MethodOption.RULE, Objects.requireNonNull(rule, "rule must not be null"));
        }

        /**
         * How many inputs go through the model at once (ig: interpolation points; noise tunnels: noisy copies per
         * image; scorecam: masked images; defaults in the table). Bounds memory.
         *
         * @param size a positive count
         * @return this builder
         */
        public Builder optInternalBatchSize(int size) {
            return opt(MethodOption.INTERNAL_BATCH, size);
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
            opt(MethodOption.TOLERANCE, tolerance);
            return opt(MethodOption.MAX_STEPS, maxSteps);
        }

        /**
         * The baselines to average over (ig; default one black image).
         *
         * @param baselines one or more baselines
         * @return this builder
         */
        public Builder optBaselines(Baseline... baselines) {
            Objects.requireNonNull(baselines, "baselines must not be null");
            return opt(MethodOption.BASELINE, Arrays.asList(baselines));
        }

        /**
         * The spatial layer to map (layer methods; default
         * {@link LayerSelectors#lastSpatialLayerBeforeGlobalPooling}).
         *
         * @param layer a layer name
         * @return this builder
         */
        public Builder optLayer(String layer) {
            return opt(MethodOption.LAYER, Objects.requireNonNull(layer, "layer must not be null"));
        }

        /**
         * Random samples per image (noise tunnels: noisy copies).
         *
         * @param samples a positive count
         * @return this builder
         */
        public Builder optSamples(int samples) {
            return opt(MethodOption.SAMPLES, samples);
        }

        /**
         * Noise standard deviation as a fraction of each image's value range (noise tunnels).
         *
         * @param level a finite fraction {@code >= 0}
         * @return this builder
         */
        public Builder optNoiseLevel(double level) {
            return opt(MethodOption.NOISE_LEVEL, level);
        }

        /**
         * Seed of the random draws (noise tunnels).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            return opt(MethodOption.SEED, seed);
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
         * Checks the options against the method's table entry.
         *
         * @return the explainer
         * @throws NullPointerException     if no method was set
         * @throws IllegalArgumentException if an option does not apply to the method (the message names the option
         *                                  and the methods it applies to) or a combination is refused
         */
        public Explainer build() {
            Objects.requireNonNull(method, "method is required: call setMethod");
            return new Explainer(method, MethodSettings.of(method, options), progress);
        }
    }
}
