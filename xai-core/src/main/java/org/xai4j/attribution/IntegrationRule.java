package org.xai4j.attribution;

/**
 * How integrated gradients approximates the path integral over {@code alpha} in [0, 1]: the points where the gradient
 * is evaluated and their weights. The Riemann rules match Captum's definitions. The trapezoid is the exact trapezoid
 * rule (weights {@code 1/(n-1)}, ends halved, summing to 1); Captum's {@code riemann_trapezoid} weighs the same points
 * {@code 1/n} with halved ends, which sum to {@code (n-1)/n}, so its attributions are {@code (n-1)/n} times these.
 */
public enum IntegrationRule {
    /** Points {@code k/n}, k = 0..n-1, weights 1/n. */
    RIEMANN_LEFT,
    /** Points {@code k/n}, k = 1..n, weights 1/n. */
    RIEMANN_RIGHT,
    /** Points {@code (k + 1/2)/n}, weights 1/n. */
    RIEMANN_MIDDLE,
    /** n equally spaced points including both ends (n >= 2), end weights halved. */
    RIEMANN_TRAPEZOID,
    /** Gauss-Legendre nodes and weights mapped to [0, 1]: exact for polynomials of degree up to 2n - 1. */
    GAUSS_LEGENDRE;

    /**
     * Points and weights of a rule.
     *
     * @param alphas  the points on the path, in [0, 1]
     * @param weights their quadrature weights (summing to 1 for a full rule)
     */
    public record Nodes(double[] alphas, double[] weights) { }

    /**
     * The new points added when refining a rule for adaptive integration; the estimate becomes
     * {@code previousEstimate * previousScale + sum(newWeights * g(newAlphas))}.
     *
     * @param steps         the point count after refinement
     * @param added         the points to evaluate now
     * @param previousScale factor applied to the previous weighted sum (0: nothing is reused)
     */
    public record Refinement(int steps, Nodes added, double previousScale) { }

    /** The smallest valid step count for this rule. */
    public int minimumSteps() {
        return this == RIEMANN_TRAPEZOID ? 2 : 1;
    }

    /** Points and weights for {@code steps} evaluations. */
    public Nodes nodes(int steps) {
        if (steps < minimumSteps()) {
            throw new IllegalArgumentException("steps must be at least " + minimumSteps() + " for " + this + ", got " + steps);
        }
        double[] alphas = new double[steps];
        double[] weights = new double[steps];
        switch (this) {
            case RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE -> {
                double offset = this == RIEMANN_LEFT ? 0 : this == RIEMANN_RIGHT ? 1 : 0.5;
                for (int k = 0; k < steps; k++) {
                    alphas[k] = (k + offset) / steps;
                    weights[k] = 1.0 / steps;
                }
            }
            case RIEMANN_TRAPEZOID -> {
                for (int k = 0; k < steps; k++) {
                    alphas[k] = (double) k / (steps - 1);
                    weights[k] = (k == 0 || k == steps - 1 ? 0.5 : 1.0) / (steps - 1);
                }
            }
            case GAUSS_LEGENDRE -> {
                double[][] nodes = gaussLegendre(steps);
                for (int k = 0; k < steps; k++) {
                    alphas[k] = (nodes[0][k] + 1) / 2;
                    weights[k] = nodes[1][k] / 2;
                }
            }
        }
        return new Nodes(alphas, weights);
    }

    /**
     * How to go from {@code steps} points to a finer rule. Nested rules reuse every earlier gradient: left, right and
     * trapezoid double their intervals, the midpoint rule triples them. Gauss-Legendre nodes do not nest, so its
     * refinement doubles the points and recomputes all of them.
     */
    public Refinement refine(int steps) {
        switch (this) {
            case RIEMANN_LEFT, RIEMANN_RIGHT -> {
                double[] alphas = new double[steps];
                double[] weights = new double[steps];
                for (int k = 0; k < steps; k++) {
                    alphas[k] = (2.0 * k + 1) / (2.0 * steps);
                    weights[k] = 1.0 / (2 * steps);
                }
                return new Refinement(2 * steps, new Nodes(alphas, weights), 0.5);
            }
            case RIEMANN_MIDDLE -> {
                double[] alphas = new double[2 * steps];
                double[] weights = new double[2 * steps];
                for (int k = 0; k < steps; k++) {
                    alphas[2 * k] = (k + 1.0 / 6) / steps;
                    alphas[2 * k + 1] = (k + 5.0 / 6) / steps;
                    weights[2 * k] = weights[2 * k + 1] = 1.0 / (3 * steps);
                }
                return new Refinement(3 * steps, new Nodes(alphas, weights), 1.0 / 3);
            }
            case RIEMANN_TRAPEZOID -> {
                int intervals = steps - 1;
                double[] alphas = new double[intervals];
                double[] weights = new double[intervals];
                for (int k = 0; k < intervals; k++) {
                    alphas[k] = (2.0 * k + 1) / (2.0 * intervals);
                    weights[k] = 1.0 / (2 * intervals);
                }
                return new Refinement(2 * intervals + 1, new Nodes(alphas, weights), 0.5);
            }
            default -> {
                return new Refinement(2 * steps, nodes(2 * steps), 0);
            }
        }
    }

    /** Gauss-Legendre nodes ({@code [0]}) and weights ({@code [1]}) on [-1, 1], by Newton's method on P_n. */
    static double[][] gaussLegendre(int n) {
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int iteration = 0; iteration < 100; iteration++) {
                double[] p = legendre(n, z);
                double previous = z;
                z = previous - p[0] / (n * (z * p[0] - p[1]) / (z * z - 1));
                if (Math.abs(z - previous) < 1e-15) {
                    break;
                }
            }
            double[] p = legendre(n, z);
            double derivative = n * (z * p[0] - p[1]) / (z * z - 1);
            x[i] = -z;
            x[n - 1 - i] = z;
            w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * derivative * derivative);
        }
        return new double[][] {x, w};
    }

    /** {P_n(z), P_(n-1)(z)} by the three-term recurrence. */
    private static double[] legendre(int n, double z) {
        double p0 = 1;
        double p1 = 0;
        for (int j = 1; j <= n; j++) {
            double p2 = p1;
            p1 = p0;
            p0 = ((2.0 * j - 1) * z * p1 - (j - 1.0) * p2) / j;
        }
        return new double[] {p0, p1};
    }
}
