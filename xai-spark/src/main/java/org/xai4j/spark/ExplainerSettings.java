package org.xai4j.spark;

import org.xai4j.attribution.IntegrationRule;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of an {@link Explainer} as a serializable value, so that a Spark job can send them to its executors
 * and each builds the same explainer there. Every method of {@link ExplanationMethod} is available with the options of
 * {@link Explainer.Builder} of the same names; baselines other than integrated gradients' default black image are
 * not (a baseline may hold arrays and is not serializable).
 *
 * <pre>{@code
 * ExplainerSettings ig = ExplainerSettings.builder().setMethod(ExplanationMethod.IG).optSteps(32).build();
 * Explainer explainer = ig.toExplainer();
 * }</pre>
 */
public final class ExplainerSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ExplanationMethod method;
    private final Integer steps;
    private final IntegrationRule rule;
    private final Integer internalBatchSize;
    private final Double adaptiveTolerance;
    private final Integer adaptiveMaxSteps;
    private final String layer;
    private final Integer samples;
    private final Double noiseLevel;
    private final Long seed;

    private ExplainerSettings(Builder b) {
        this.method = b.method;
        this.steps = b.steps;
        this.rule = b.rule;
        this.internalBatchSize = b.internalBatchSize;
        this.adaptiveTolerance = b.adaptiveTolerance;
        this.adaptiveMaxSteps = b.adaptiveMaxSteps;
        this.layer = b.layer;
        this.samples = b.samples;
        this.noiseLevel = b.noiseLevel;
        this.seed = b.seed;
    }

    /**
     * Starts configuring explainer settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The method.
     *
     * @return the method
     */
    public ExplanationMethod method() {
        return method;
    }

    /**
     * Builds the explainer these settings describe.
     *
     * @return a new explainer
     */
    public Explainer toExplainer() {
        Explainer.Builder b = Explainer.builder().setMethod(method);
        if (steps != null) {
            b.optSteps(steps);
        }
        if (rule != null) {
            b.optRule(rule);
        }
        if (internalBatchSize != null) {
            b.optInternalBatchSize(internalBatchSize);
        }
        if (adaptiveTolerance != null) {
            b.optAdaptive(adaptiveTolerance, adaptiveMaxSteps);
        }
        if (layer != null) {
            b.optLayer(layer);
        }
        if (samples != null) {
            b.optSamples(samples);
        }
        if (noiseLevel != null) {
            b.optNoiseLevel(noiseLevel);
        }
        if (seed != null) {
            b.optSeed(seed);
        }
        return b.build();
    }

    @Override public boolean equals(Object o) {
        return o instanceof ExplainerSettings s && method == s.method && Objects.equals(steps, s.steps)
                && rule == s.rule && Objects.equals(internalBatchSize, s.internalBatchSize)
                && Objects.equals(adaptiveTolerance, s.adaptiveTolerance)
                && Objects.equals(adaptiveMaxSteps, s.adaptiveMaxSteps) && Objects.equals(layer, s.layer)
                && Objects.equals(samples, s.samples) && Objects.equals(noiseLevel, s.noiseLevel)
                && Objects.equals(seed, s.seed);
    }

    @Override public int hashCode() {
        return Objects.hash(method, steps, rule, internalBatchSize, adaptiveTolerance, adaptiveMaxSteps, layer, samples,
                noiseLevel, seed);
    }

    @Override public String toString() {
        List<String> options = new ArrayList<>();
        add(options, "steps", steps);
        add(options, "rule", rule);
        add(options, "internalBatchSize", internalBatchSize);
        if (adaptiveTolerance != null) {
            options.add("adaptive(tolerance=" + adaptiveTolerance + ", maxSteps=" + adaptiveMaxSteps + ")");
        }
        add(options, "layer", layer);
        add(options, "samples", samples);
        add(options, "noiseLevel", noiseLevel);
        add(options, "seed", seed);
        return "ExplainerSettings[" + method.id() + (options.isEmpty() ? "" : ", " + String.join(", ", options)) + "]";
    }

    private static void add(List<String> options, String name, Object value) {
        if (value != null) {
            options.add(name + "=" + value);
        }
    }

    /**
     * Builder: required {@link #setMethod}; the options are those of {@link Explainer.Builder} and are checked the
     * same way by {@link #build()}.
     */
    public static final class Builder {
        private ExplanationMethod method;
        private Integer steps;
        private IntegrationRule rule;
        private Integer internalBatchSize;
        private Double adaptiveTolerance;
        private Integer adaptiveMaxSteps;
        private String layer;
        private Integer samples;
        private Double noiseLevel;
        private Long seed;

        private Builder() { }

        /**
         * The method (required).
         *
         * @param method the method, e.g. {@code ExplanationMethod.fromId("gradcam")}
         * @return this builder
         */
        public Builder setMethod(ExplanationMethod method) {
            this.method = method;
            return this;
        }

        /**
         * See {@link Explainer.Builder#optSteps}.
         *
         * @param steps integration points
         * @return this builder
         */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * See {@link Explainer.Builder#optRule}.
         *
         * @param rule the integration rule
         * @return this builder
         */
        public Builder optRule(IntegrationRule rule) {
            this.rule = Objects.requireNonNull(rule, "rule must not be null");
            return this;
        }

        /**
         * See {@link Explainer.Builder#optInternalBatchSize}.
         *
         * @param size inputs per model pass inside one explanation
         * @return this builder
         */
        public Builder optInternalBatchSize(int size) {
            this.internalBatchSize = size;
            return this;
        }

        /**
         * See {@link Explainer.Builder#optAdaptive}.
         *
         * @param tolerance the relative completeness tolerance
         * @param maxSteps  the most points per image and baseline
         * @return this builder
         */
        public Builder optAdaptive(double tolerance, int maxSteps) {
            this.adaptiveTolerance = tolerance;
            this.adaptiveMaxSteps = maxSteps;
            return this;
        }

        /**
         * See {@link Explainer.Builder#optLayer}.
         *
         * @param layer a spatial layer name
         * @return this builder
         */
        public Builder optLayer(String layer) {
            this.layer = Objects.requireNonNull(layer, "layer must not be null");
            return this;
        }

        /**
         * See {@link Explainer.Builder#optSamples}.
         *
         * @param samples noisy copies per image
         * @return this builder
         */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * See {@link Explainer.Builder#optNoiseLevel}.
         *
         * @param level noise standard deviation as a fraction of the value range
         * @return this builder
         */
        public Builder optNoiseLevel(double level) {
            this.noiseLevel = level;
            return this;
        }

        /**
         * See {@link Explainer.Builder#optSeed}.
         *
         * @param seed the noise seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Checks the settings by building the explainer they describe.
         *
         * @return the settings
         * @throws NullPointerException     if no method was set
         * @throws IllegalArgumentException if {@link Explainer.Builder#build()} refuses an option (the message names it)
         */
        public ExplainerSettings build() {
            Objects.requireNonNull(method, "method is required: call setMethod");
            ExplainerSettings settings = new ExplainerSettings(this);
            settings.toExplainer();
            return settings;
        }
    }
}
