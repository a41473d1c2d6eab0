package org.xai4j.attribution;

/**
 * How adaptive Integrated Gradients ({@link IntegratedGradients.Builder#optAdaptive(double, int, AdaptiveStrategy)})
 * adds points until the completeness tolerance is met.
 */
public enum AdaptiveStrategy {
    /**
     * Refines the rule over the whole path ({@link IntegrationRule#refine(int)}): points double (Gauss-Legendre
     * recomputes all of them; the Riemann rules reuse every earlier gradient). Best for smooth networks.
     */
    REFINE_PATH,
    /**
     * Adaptive quadrature: the path is split into intervals, each integrated with the rule at the configured step
     * count, and the interval whose own completeness error {@code |integral - (F(end) - F(start))|} is largest is
     * halved until the total error meets the tolerance. ReLU networks are piecewise linear along the path, and their
     * kinks make a whole-path rule converge slowly; subdivision puts the points where the kinks are. Each split costs
     * twice the step count in gradients plus one forward pass for the midpoint value.
     */
    SUBDIVIDE
}
