package org.xai4j.surrogate;

import java.util.Arrays;

/**
 * Weighted linear regression with an intercept, as scikit-learn fits the surrogate models of Captum's LIME and
 * KernelSHAP: {@link #leastSquares} is {@code LinearRegression().fit(X, y, sample_weight=w)} (the minimum-norm
 * solution when the system is underdetermined, as its {@code lstsq}), {@link #lasso} is
 * {@code Lasso(alpha).fit(X, y, sample_weight=w)}.
 *
 * <p>Both center the columns and the target with their weighted means (so the intercept is
 * {@code mean_w(y) - mean_w(X) . beta}) and scale each row by {@code sqrt(w_i)}. Least squares then takes the
 * pseudo-inverse from a one-sided Jacobi SVD (Hestenes), dropping singular values below {@code 1e-10} of the largest;
 * the lasso runs cyclic coordinate descent on
 * {@code (1 / (2 sum w)) sum_i w_i (y_i - b - x_i . beta)^2 + alpha |beta|_1} until no coefficient moves by more than
 * {@code 1e-12} of the target's scale. scikit-learn stops its coordinate descent at a duality gap of {@code 1e-4}, so
 * its coefficients can differ from these (the exact optimum) by about that much. All arithmetic is in double.
 */
public final class WeightedLinearRegression {

    private static final double RELATIVE_CUTOFF = 1e-10;
    private static final int MAX_SWEEPS = 100;
    private static final int MAX_LASSO_ROUNDS = 100_000;

    private WeightedLinearRegression() { }

    /**
     * A fitted linear model {@code y = intercept + coefficients . x}.
     *
     * @param intercept    the intercept
     * @param coefficients one per column
     */
    public record Fit(double intercept, double[] coefficients) {
        /** Copies the coefficients. */
        public Fit {
            coefficients = coefficients.clone();
        }

        /**
         * The coefficients.
         *
         * @return a copy
         */
        @Override public double[] coefficients() {
            return coefficients.clone();
        }

        @Override public String toString() {
            return "Fit[intercept=" + intercept + ", coefficients=" + Arrays.toString(coefficients) + "]";
        }
    }

    /**
     * Weighted least squares with an intercept; the minimum-norm coefficients when they are not unique.
     *
     * @param x       rows of features, {@code [samples][features]}
     * @param y       targets, one per row
     * @param weights non-negative weights, one per row, not all zero
     * @return the fit
     */
    public static Fit leastSquares(double[][] x, double[] y, double[] weights) {
        Centered c = center(x, y, weights);
        double[] beta = minimumNormSolution(c.columns, c.target, c.features, c.samples);
        return new Fit(c.intercept(beta), beta);
    }

    /**
     * Weighted lasso with an intercept.
     *
     * @param x       rows of features, {@code [samples][features]}
     * @param y       targets, one per row
     * @param weights non-negative weights, one per row, not all zero
     * @param alpha   the L1 penalty, {@code >= 0} (0 gives least squares)
     * @return the fit
     */
    public static Fit lasso(double[][] x, double[] y, double[] weights, double alpha) {
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("lasso alpha must be a finite number >= 0, got " + alpha);
        }
        if (alpha == 0) {
            return leastSquares(x, y, weights);
        }
        Centered c = center(x, y, weights);
        int m = c.features;
        int n = c.samples;
        // scikit-learn rescales the weights to sum to n and minimizes (1/2n)|r|^2 + alpha|beta|_1 on the scaled rows.
        double[][] a = c.columns;
        double[] norms = new double[m];
        for (int j = 0; j < m; j++) {
            norms[j] = dot(a[j], a[j]);
        }
        double[] residual = c.target.clone();
        double[] beta = new double[m];
        double threshold = alpha * n;
        double scale = Math.max(Math.sqrt(dot(c.target, c.target)), Double.MIN_NORMAL);
        for (int round = 0; round < MAX_LASSO_ROUNDS; round++) {
            double largestMove = 0;
            for (int j = 0; j < m; j++) {
                if (norms[j] == 0) {
                    continue;
                }
                double old = beta[j];
                double rho = dot(a[j], residual) + norms[j] * old;
                double updated = Math.signum(rho) * Math.max(Math.abs(rho) - threshold, 0) / norms[j];
                if (updated != old) {
                    double delta = updated - old;
                    for (int i = 0; i < n; i++) {
                        residual[i] -= delta * a[j][i];
                    }
                    beta[j] = updated;
                    largestMove = Math.max(largestMove, Math.abs(delta) * Math.sqrt(norms[j]));
                }
            }
            if (largestMove <= 1e-12 * scale) {
                break;
            }
        }
        return new Fit(c.intercept(beta), beta);
    }

    /** Columns centered with the weighted means and scaled by sqrt(normalized weight). */
    private record Centered(double[][] columns, double[] target, double[] columnMeans, double targetMean, int samples,
                            int features) {
        double intercept(double[] beta) {
            double b = targetMean;
            for (int j = 0; j < features; j++) {
                b -= columnMeans[j] * beta[j];
            }
            return b;
        }
    }

    private static Centered center(double[][] x, double[] y, double[] weights) {
        int n = x.length;
        if (n == 0 || y.length != n || weights.length != n) {
            throw new IllegalArgumentException("regression needs the same positive number of rows, targets and weights,"
                    + " got " + n + ", " + y.length + " and " + weights.length);
        }
        int m = x[0].length;
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("regression weights must be finite and >= 0, got " + w);
            }
            total += w;
        }
        if (total == 0) {
            throw new IllegalArgumentException("regression weights are all zero");
        }
        double[] means = new double[m];
        double yMean = 0;
        for (int i = 0; i < n; i++) {
            if (x[i].length != m) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, expected " + m);
            }
            double w = weights[i] / total;
            for (int j = 0; j < m; j++) {
                means[j] += w * x[i][j];
            }
            yMean += w * y[i];
        }
        double[][] columns = new double[m][n];
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            double s = Math.sqrt(weights[i] * n / total);
            for (int j = 0; j < m; j++) {
                columns[j][i] = s * (x[i][j] - means[j]);
            }
            target[i] = s * (y[i] - yMean);
        }
        return new Centered(columns, target, means, yMean, n, m);
    }

    /** The minimum-norm least-squares solution of {@code A beta = b}, A given by columns, by one-sided Jacobi SVD. */
    static double[] minimumNormSolution(double[][] columns, double[] b, int m, int n) {
        double[][] a = new double[m][];
        for (int j = 0; j < m; j++) {
            a[j] = columns[j].clone();
        }
        double[][] v = new double[m][m];
        for (int j = 0; j < m; j++) {
            v[j][j] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < m - 1; p++) {
                for (int q = p + 1; q < m; q++) {
                    double alpha = dot(a[p], a[p]);
                    double beta = dot(a[q], a[q]);
                    double gamma = dot(a[p], a[q]);
                    if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double cos = 1 / Math.sqrt(1 + t * t);
                    double sin = cos * t;
                    rotate(a[p], a[q], cos, sin);
                    rotate(v[p], v[q], cos, sin);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] sigma = new double[m];
        double largest = 0;
        for (int j = 0; j < m; j++) {
            sigma[j] = Math.sqrt(dot(a[j], a[j]));
            largest = Math.max(largest, sigma[j]);
        }
        double[] solution = new double[m];
        for (int j = 0; j < m; j++) {
            if (sigma[j] <= RELATIVE_CUTOFF * largest || sigma[j] == 0) {
                continue;
            }
            // a[j] = sigma_j u_j, so u_j . b / sigma_j = a[j] . b / sigma_j^2
            double coefficient = dot(a[j], b) / (sigma[j] * sigma[j]);
            for (int k = 0; k < m; k++) {
                solution[k] += coefficient * v[j][k];
            }
        }
        return solution;
    }

    private static void rotate(double[] p, double[] q, double cos, double sin) {
        for (int i = 0; i < p.length; i++) {
            double ap = p[i];
            double aq = q[i];
            p[i] = cos * ap - sin * aq;
            q[i] = sin * ap + cos * aq;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
