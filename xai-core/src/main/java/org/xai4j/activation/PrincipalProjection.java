package org.xai4j.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The projection of a layer's positions onto the first principal component of its channels, as pytorch-grad-cam's
 * {@code get_2d_projection_with_sign_correction} computes it (utils/svd_on_activations.py, commit 084273b): per
 * example, the matrix {@code X [h*w, c]} of the channels at every position is centered (each channel's mean over the
 * positions subtracted), and the map is {@code X v} with {@code v} the first right singular vector of {@code X},
 * flipped when {@code |min| > |max|} so that its largest magnitude is positive.
 *
 * <p><b>Sign.</b> A singular vector's sign is arbitrary ({@code U S V^T = (-U) S (-V)^T}). pytorch-grad-cam's
 * {@code EigenCAM} and {@code EigenGradCAM} use {@code get_2d_projection}, which keeps whatever sign LAPACK returns (on
 * the reference fixtures, the opposite of the corrected one in about half of the cases), and then clip negative
 * values: the map shows either the component or its complement. xai4j always applies the library's own sign
 * correction (Eq. 13 of Chung and Ying, "Seg-Eigen-CAM", Applied Sciences 15(13), 2025), so its maps are
 * deterministic and equal to pytorch-grad-cam's whenever LAPACK's sign happens to agree.
 *
 * <p>The singular vector comes from the symmetric eigenproblem of the smaller Gram matrix ({@code X^T X} or
 * {@code X X^T}), solved by cyclic Jacobi rotations in double precision: {@code X v = s u} for the first left
 * singular vector {@code u} and singular value {@code s}.
 */
final class PrincipalProjection {

    private PrincipalProjection() { }

    /**
     * The sign-corrected first-component projection of each example.
     *
     * @param batch {@code [n, c, h, w]}; NaN values count as 0 (as in pytorch-grad-cam)
     * @return {@code [n, h, w]} in DOUBLE
     */
    static INDArray firstComponent(INDArray batch) {
        long n = batch.size(0);
        int c = (int) batch.size(1);
        int h = (int) batch.size(2);
        int w = (int) batch.size(3);
        int positions = h * w;
        INDArray all = batch.castTo(DataType.DOUBLE).dup('c');
        INDArray out = Nd4j.zeros(DataType.DOUBLE, n, h, w);
        for (int i = 0; i < n; i++) {
            double[] values = all.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c').data().asDouble();
            double[][] x = new double[positions][c];   // X[p][k]
            for (int k = 0; k < c; k++) {
                double mean = 0;
                for (int p = 0; p < positions; p++) {
                    double v = values[k * positions + p];
                    x[p][k] = Double.isNaN(v) ? 0 : v;
                    mean += x[p][k];
                }
                mean /= positions;
                for (int p = 0; p < positions; p++) {
                    x[p][k] -= mean;
                }
            }
            double[] projection = project(x, positions, c);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : projection) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double sign = Math.abs(min) > Math.abs(max) ? -1 : 1;
            for (int p = 0; p < positions; p++) {
                out.putScalar(new long[] {i, p / w, p % w}, sign * projection[p]);
            }
        }
        return out;
    }

    /** {@code X v} for the first right singular vector {@code v} of {@code x [rows, cols]}, up to sign. */
    private static double[] project(double[][] x, int rows, int cols) {
        double[] result = new double[rows];
        if (cols <= rows) {
            double[][] gram = new double[cols][cols];
            for (int a = 0; a < cols; a++) {
                for (int b = a; b < cols; b++) {
                    double s = 0;
                    for (int p = 0; p < rows; p++) {
                        s += x[p][a] * x[p][b];
                    }
                    gram[a][b] = s;
                    gram[b][a] = s;
                }
            }
            double[] v = topEigenvector(gram);
            for (int p = 0; p < rows; p++) {
                double s = 0;
                for (int k = 0; k < cols; k++) {
                    s += x[p][k] * v[k];
                }
                result[p] = s;
            }
        } else {
            double[][] gram = new double[rows][rows];
            for (int a = 0; a < rows; a++) {
                for (int b = a; b < rows; b++) {
                    double s = 0;
                    for (int k = 0; k < cols; k++) {
                        s += x[a][k] * x[b][k];
                    }
                    gram[a][b] = s;
                    gram[b][a] = s;
                }
            }
            double[] u = topEigenvector(gram);
            // X v = s u with s^2 the largest eigenvalue of X X^T, i.e. u^T (X X^T) u.
            double lambda = 0;
            for (int a = 0; a < rows; a++) {
                double s = 0;
                for (int b = 0; b < rows; b++) {
                    s += gram[a][b] * u[b];
                }
                lambda += u[a] * s;
            }
            double singular = Math.sqrt(Math.max(lambda, 0));
            for (int p = 0; p < rows; p++) {
                result[p] = singular * u[p];
            }
        }
        return result;
    }

    /**
     * The unit eigenvector of the largest eigenvalue of a symmetric matrix (cyclic Jacobi; the matrix is not
     * modified). A zero matrix gives the first unit vector (the projection is then zero anyway).
     */
    static double[] topEigenvector(double[][] symmetric) {
        int m = symmetric.length;
        double[][] a = new double[m][];
        for (int i = 0; i < m; i++) {
            a[i] = symmetric[i].clone();
        }
        double[][] v = new double[m][m];
        for (int i = 0; i < m; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diagonal = 0;
            for (int p = 0; p < m; p++) {
                diagonal += a[p][p] * a[p][p];
                for (int q = p + 1; q < m; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * diagonal || off == 0) {
                break;
            }
            for (int p = 0; p < m - 1; p++) {
                for (int q = p + 1; q < m; q++) {
                    double apq = a[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cos = 1 / Math.sqrt(t * t + 1);
                    double sin = t * cos;
                    for (int k = 0; k < m; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = cos * akp - sin * akq;
                        a[k][q] = sin * akp + cos * akq;
                    }
                    for (int k = 0; k < m; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = cos * apk - sin * aqk;
                        a[q][k] = sin * apk + cos * aqk;
                    }
                    for (int k = 0; k < m; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = cos * vkp - sin * vkq;
                        v[k][q] = sin * vkp + cos * vkq;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i < m; i++) {
            if (a[i][i] > a[best][best]) {
                best = i;
            }
        }
        double[] top = new double[m];
        for (int k = 0; k < m; k++) {
            top[k] = v[k][best];
        }
        return top;
    }
}
