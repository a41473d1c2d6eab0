package org.xai4j.spark;

import org.xai4j.explainers.Explainer;

import java.io.Serializable;

/**
 * Makes the {@link Explainer} of a dataset job: Spark sends the factory to every executor, which builds its own
 * explainer (explainers hold baselines and listeners that do not travel), so any method with any of
 * {@link Explainer.Builder}'s options works. A lambda is a factory, since the interface is serializable; it should
 * capture only serializable values.
 *
 * <pre>{@code
 * ExplainerFactory ig = () -> Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(32)
 *         .optBaselines(Baseline.zero(), Baseline.gaussianBlur(4)).build();
 * }</pre>
 */
@FunctionalInterface
public interface ExplainerFactory extends Serializable {

    /**
     * Builds the explainer; called once on the driver, to check the settings, and once per partition.
     *
     * @return a new explainer
     */
    Explainer create();
}
