package org.xai4j.perturbation;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.AttributionMethod;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.internal.Checks;
import org.xai4j.internal.PerturbedInputs;

/**
 * What the perturbation methods share ({@link Occlusion}, {@link FeatureAblation}, and through
 * {@link FeaturePerturbationMethod} Shapley value sampling, KernelSHAP and LIME): the model, the baseline that
 * perturbed pixels take, the copies per model pass, the progress listener, the checks of a call's arguments and the
 * loop over the examples of a batch, each evaluated on its own perturbed copies ({@link PerturbedInputs}).
 *
 * <p>Public because methods in other packages ({@code org.xai4j.shapley}, {@code org.xai4j.surrogate}) extend it and
 * expose its builder's methods (a public method inherited from a package-private class of another package would not
 * be accessible to callers); applications use the concrete methods. Its hooks take
 * {@link PerturbedInputs}, which is internal to xai-core, so subclasses belong in xai-core.
 */
public abstract class PerturbationMethod implements AttributionMethod {

    private final String name;
    private final ImageModel model;
    private final Baseline baseline;
    private final int perturbationsPerEval;
    private final ProgressListener progress;

    /**
     * Takes the shared settings of a validated builder.
     *
     * @param name the method's name, for results, progress and cancellation
     * @param b    the builder, validated by its {@code build()}
     */
    protected PerturbationMethod(String name, Builder<?> b) {
        this.name = name;
        this.model = b.model;
        this.baseline = b.baseline;
        this.perturbationsPerEval = b.perturbationsPerEval;
        this.progress = b.progress;
    }

    @Override public final ImageModel model() {
        return model;
    }

    /** The method's name, as results and progress reports give it. */
    protected final String name() {
        return name;
    }

    /** What perturbed pixels take. */
    protected final Baseline baseline() {
        return baseline;
    }

    /** Perturbed copies per model pass. */
    protected final int perturbationsPerEval() {
        return perturbationsPerEval;
    }

    /**
     * Checks a call's arguments (objective not null, an image batch the model takes, an objective that fits it).
     *
     * @param inputs    the call's batch
     * @param objective the call's objective
     * @return the batch in the model's data type
     */
    protected final INDArray checkedInputs(INDArray inputs, Objective objective) {
        Checks.attributionCall(model, inputs, objective);
        return inputs.castTo(model.dataType());
    }

    /** The model passes {@code copies} perturbed copies of one example take. */
    protected final long passes(long copies) {
        return PerturbedInputs.passes(copies, perturbationsPerEval);
    }

    /** One example's attribution, from its perturbed copies. */
    @FunctionalInterface
    protected interface ExampleAttribution {
        /**
         * Evaluates the copies of one example that the method needs and combines them.
         *
         * @param perturbed the example's copies, sharing the call's progress count
         * @param example   the example's index in the batch
         * @return the example's values (per feature or per pixel, as the method defines them)
         */
        double[] attribute(PerturbedInputs perturbed, int example);
    }

    /**
     * The values of every example and the copies evaluated for them.
     *
     * @param values      {@code values[i]}: what {@link ExampleAttribution} returned for example i
     * @param evaluations perturbed copies evaluated over the batch
     */
    protected record Values(double[][] values, long evaluations) { }

    /**
     * Runs {@code attribution} on every example of a batch: reports the planned work, gives each example its own
     * perturbed copies (with the baseline made for it) and keeps one progress count over the call.
     *
     * @param x           the batch, checked and in the model's data type ({@link #checkedInputs})
     * @param objective   what to explain, validated for the batch
     * @param totalPasses the model passes the whole call will make
     * @param attribution one example's attribution
     * @return per example, its values
     */
    protected final Values perExample(INDArray x, Objective objective, long totalPasses,
                                      ExampleAttribution attribution) {
        int n = (int) x.size(0);
        ProgressListener.checkpoint(progress, name, 0, totalPasses);
        double[][] values = new double[n][];
        long done = 0;
        long evaluations = 0;
        for (int i = 0; i < n; i++) {
            PerturbedInputs perturbed = PerturbedInputs.forExample(model, objective, x, i, baseline,
                    perturbationsPerEval, progress, name);
            perturbed.plan(done, totalPasses);
            values[i] = attribution.attribute(perturbed, i);
            done = perturbed.done();
            evaluations += perturbed.evaluations();
        }
        return new Values(values, evaluations);
    }

    /**
     * The builder's settings that every perturbation method has: required {@link #setModel}; optional
     * {@link #optBaseline}, {@link #optPerturbationsPerEval} and {@link #optProgressListener}. The defaults are the
     * method's {@code DEFAULT_BASELINE} and {@code DEFAULT_PERTURBATIONS_PER_EVAL}.
     *
     * @param <B> the concrete builder, returned by every setter so that calls chain
     */
    public abstract static class Builder<B extends Builder<B>> {
        ImageModel model;
        Baseline baseline;
        int perturbationsPerEval;
        ProgressListener progress = ProgressListener.NONE;

        /**
         * A builder with the method's defaults.
         *
         * @param defaultBaseline             the method's {@code DEFAULT_BASELINE}
         * @param defaultPerturbationsPerEval the method's {@code DEFAULT_PERTURBATIONS_PER_EVAL}
         */
        protected Builder(Baseline defaultBaseline, int defaultPerturbationsPerEval) {
            this.baseline = defaultBaseline;
            this.perturbationsPerEval = defaultPerturbationsPerEval;
        }

        /** This builder, as its concrete type (the type parameter says what that is). */
        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /**
         * The model to explain (required).
         *
         * @param model the model
         * @return this builder
         */
        public B setModel(ImageModel model) {
            this.model = model;
            return self();
        }

        /**
         * What perturbed (occluded, ablated, absent) pixels become (default the method's {@code DEFAULT_BASELINE}:
         * 0, Captum's default).
         *
         * @param baseline the baseline, per example
         * @return this builder
         */
        public B optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return self();
        }

        /**
         * Perturbed copies of an example per model pass (default the method's
         * {@code DEFAULT_PERTURBATIONS_PER_EVAL}); it changes speed and memory, not results.
         *
         * @param perturbations at least 1
         * @return this builder
         */
        public B optPerturbationsPerEval(int perturbations) {
            this.perturbationsPerEval = perturbations;
            return self();
        }

        /**
         * Receives model passes done / planned after each pass, and can cancel the call.
         *
         * @param listener the listener
         * @return this builder
         */
        public B optProgressListener(ProgressListener listener) {
            this.progress = listener;
            return self();
        }

        /** The model being explained, or null before {@link #setModel}; for checks that depend on its shape. */
        protected final ImageModel model() {
            return model;
        }

        /**
         * The first check of {@code build()}.
         *
         * @throws NullPointerException if no model was set
         */
        protected final void requireModel() {
            if (model == null) {
                throw new NullPointerException("model is required: call setModel");
            }
        }

        /**
         * Checks the shared options; {@code build()} calls it after the method's own checks.
         *
         * @throws NullPointerException     if the baseline or the listener is null
         * @throws IllegalArgumentException if the copies per pass are not positive
         */
        protected void checkSharedOptions() {
            if (baseline == null) {
                throw new NullPointerException("baseline must not be null (the default is Baseline.zero())");
            }
            Checks.positive(perturbationsPerEval, "perturbations per eval");
            if (progress == null) {
                throw new NullPointerException("progress listener must not be null (use ProgressListener.NONE)");
            }
        }
    }
}
