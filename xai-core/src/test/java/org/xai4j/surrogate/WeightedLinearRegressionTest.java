package org.xai4j.surrogate;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The surrogate regressions on closed forms: exact recovery of noiseless linear data, weights as row repetition, the
 * minimum-norm solution of an underdetermined system (against {@code A^T (A A^T)^-1 b} by Gaussian elimination), and
 * the lasso's optimality (KKT) conditions, which characterize its unique optimum independently of the solver.
 */
class WeightedLinearRegressionTest {

    private static double[][] randomBinary(Random random, int n, int m) {
        double[][] x = new double[n][m];
        for (double[] row : x) {
            for (int j = 0; j < m; j++) {
                row[j] = random.nextBoolean() ? 1 : 0;
            }
        }
        return x;
    }

    private static double[] positive(Random random, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.1 + random.nextDouble();
        }
        return w;
    }

    @Test
    void leastSquaresRecoversNoiselessLinearData() {
        Random random = new Random(1);
        double[][] x = randomBinary(random, 40, 6);
        double[] beta = {1.5, -2, 0.25, 0, 3, -0.5};
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            y[i] = 0.7;
            for (int j = 0; j < 6; j++) {
                y[i] += beta[j] * x[i][j];
            }
        }
        WeightedLinearRegression.Fit fit = WeightedLinearRegression.leastSquares(x, y, positive(random, 40));
        assertThat(fit.coefficients()).containsExactly(beta, within(1e-10));
        assertThat(fit.intercept()).isCloseTo(0.7, within(1e-10));
    }

    @Test
    void aWeightOfTwoIsARepeatedRow() {
        Random random = new Random(2);
        double[][] x = randomBinary(random, 12, 4);
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            y[i] = random.nextGaussian();
        }
        double[] w = new double[12];
        java.util.Arrays.fill(w, 1);
        w[3] = 2;
        double[][] repeated = new double[13][];
        double[] yRepeated = new double[13];
        for (int i = 0; i < 12; i++) {
            repeated[i] = x[i];
            yRepeated[i] = y[i];
        }
        repeated[12] = x[3];
        yRepeated[12] = y[3];
        double[] ones = new double[13];
        java.util.Arrays.fill(ones, 1);
        assertThat(WeightedLinearRegression.leastSquares(x, y, w).coefficients()).containsExactly(
                WeightedLinearRegression.leastSquares(repeated, yRepeated, ones).coefficients(), within(1e-10));
        assertThat(WeightedLinearRegression.lasso(x, y, w, 0.05).coefficients()).containsExactly(
                WeightedLinearRegression.lasso(repeated, yRepeated, ones, 0.05).coefficients(), within(1e-9));
    }

    @Test
    void underdeterminedLeastSquaresIsTheMinimumNormSolution() {
        Random random = new Random(3);
        int n = 5;
        int m = 9;
        double[][] x = randomBinary(random, n, m);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextGaussian();
        }
        double[] w = positive(random, n);
        double[] beta = WeightedLinearRegression.leastSquares(x, y, w).coefficients();
        // Independent reference: center with the weighted means, scale rows by sqrt(w), beta = A^T (A A^T)^+ b. The
        // centered rows span n - 1 dimensions, so solve in the basis of the first n - 1 rows after dropping the
        // (dependent) weighted sum: A A^T restricted to rows 0..n-2 of A - (their projection) is invertible.
        double total = java.util.Arrays.stream(w).sum();
        double[] mean = new double[m];
        double yMean = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                mean[j] += w[i] / total * x[i][j];
            }
            yMean += w[i] / total * y[i];
        }
        double[][] a = new double[n][m];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double s = Math.sqrt(w[i]);
            for (int j = 0; j < m; j++) {
                a[i][j] = s * (x[i][j] - mean[j]);
            }
            b[i] = s * (y[i] - yMean);
        }
        // The fit interpolates: A beta = b (the system is consistent, as b lies in A's column space: sqrt(w) . b = 0
        // and sqrt(w) . A = 0).
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < m; j++) {
                row += a[i][j] * beta[j];
            }
            assertThat(row).isCloseTo(b[i], within(1e-10));
        }
        // Minimum norm: beta lies in the row space of A. Project beta on it by least squares in the rows'
        // coefficients (Gram system of the first n - 1 rows, which span the row space) and compare.
        int r = n - 1;
        double[][] gram = new double[r][r + 1];
        for (int p = 0; p < r; p++) {
            for (int q = 0; q < r; q++) {
                gram[p][q] = dot(a[p], a[q]);
            }
            gram[p][r] = dot(a[p], beta);
        }
        double[] z = solve(gram);
        double[] projection = new double[m];
        for (int p = 0; p < r; p++) {
            for (int j = 0; j < m; j++) {
                projection[j] += z[p] * a[p][j];
            }
        }
        assertThat(beta).containsExactly(projection, within(1e-10));
    }

    @Test
    void lassoSatisfiesItsOptimalityConditions() {
        Random random = new Random(4);
        int n = 60;
        int m = 8;
        double[][] x = randomBinary(random, n, m);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = 0.3 * x[i][0] - 0.2 * x[i][1] + 0.01 * x[i][2] + 0.05 * random.nextGaussian();
        }
        double[] w = positive(random, n);
        double alpha = 0.01;
        WeightedLinearRegression.Fit fit = WeightedLinearRegression.lasso(x, y, w, alpha);
        double[] beta = fit.coefficients();
        double total = java.util.Arrays.stream(w).sum();
        double[] residual = new double[n];
        double intercept = fit.intercept();
        double residualMean = 0;
        for (int i = 0; i < n; i++) {
            residual[i] = y[i] - intercept - dot(x[i], beta);
            residualMean += w[i] / total * residual[i];
        }
        // The intercept is optimal: the weighted residuals sum to zero.
        assertThat(residualMean).isCloseTo(0, within(1e-12));
        int zeros = 0;
        for (int j = 0; j < m; j++) {
            double gradient = 0;
            for (int i = 0; i < n; i++) {
                gradient += w[i] / total * x[i][j] * residual[i];
            }
            if (beta[j] != 0) {
                assertThat(gradient).as("coefficient %d", j).isCloseTo(alpha * Math.signum(beta[j]), within(1e-9));
            } else {
                zeros++;
                assertThat(Math.abs(gradient)).as("coefficient %d", j).isLessThanOrEqualTo(alpha + 1e-9);
            }
        }
        assertThat(zeros).as("the penalty zeroes the irrelevant features").isPositive();
        assertThat(beta[0]).isGreaterThan(0.2);
    }

    @Test
    void largePenaltyLeavesOnlyTheIntercept() {
        Random random = new Random(5);
        double[][] x = randomBinary(random, 20, 3);
        double[] y = new double[20];
        double[] w = positive(random, 20);
        double mean = 0;
        for (int i = 0; i < 20; i++) {
            y[i] = random.nextGaussian();
            mean += w[i] * y[i];
        }
        mean /= java.util.Arrays.stream(w).sum();
        WeightedLinearRegression.Fit fit = WeightedLinearRegression.lasso(x, y, w, 100);
        assertThat(fit.coefficients()).containsOnly(0.0);
        assertThat(fit.intercept()).isCloseTo(mean, within(1e-12));
        assertThat(WeightedLinearRegression.lasso(x, y, w, 0).coefficients()).containsExactly(
                WeightedLinearRegression.leastSquares(x, y, w).coefficients(), within(0.0));
    }

    @Test
    void badInputIsRefused() {
        double[][] x = {{1}, {0}};
        assertThatThrownBy(() -> WeightedLinearRegression.leastSquares(x, new double[] {1, 2}, new double[] {1, -1}))
                .hasMessageContaining("weights must be finite and >= 0, got -1");
        assertThatThrownBy(() -> WeightedLinearRegression.leastSquares(x, new double[] {1}, new double[] {1, 1}))
                .hasMessageContaining("same positive number of rows");
        assertThatThrownBy(() -> WeightedLinearRegression.lasso(x, new double[] {1, 2}, new double[] {1, 1}, -0.1))
                .hasMessageContaining("alpha");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Gaussian elimination with partial pivoting of an augmented system [A | b]. */
    private static double[] solve(double[][] augmented) {
        int n = augmented.length;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(augmented[r][c]) > Math.abs(augmented[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = augmented[c];
            augmented[c] = augmented[pivot];
            augmented[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = augmented[r][c] / augmented[c][c];
                for (int k = c; k <= n; k++) {
                    augmented[r][k] -= f * augmented[c][k];
                }
            }
        }
        double[] z = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = augmented[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= augmented[r][k] * z[k];
            }
            z[r] = s / augmented[r][r];
        }
        return z;
    }
}
