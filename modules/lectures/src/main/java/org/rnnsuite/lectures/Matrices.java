package org.rnnsuite.lectures;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small dense-matrix helpers for setting recurrent weights with a chosen spectrum. */
final class Matrices {
    private Matrices() {
    }

    /** A random orthogonal n x n matrix (Gram-Schmidt on a Gaussian matrix): every singular value is 1. */
    static double[][] randomOrthogonal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] v = new double[n];
            for (int k = 0; k < n; k++) {
                v[k] = gaussian(r);
            }
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += v[k] * q[j][k];
                }
                for (int k = 0; k < n; k++) {
                    v[k] -= dot * q[j][k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < n; k++) {
                q[i][k] = v[k] / norm;
            }
        }
        return q;
    }

    /** Largest singular value by power iteration on A^T A. */
    static double largestSingularValue(double[][] a) {
        int n = a[0].length;
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0 / Math.sqrt(n));
        double sigma = 0;
        for (int it = 0; it < 500; it++) {
            double[] av = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                for (int k = 0; k < n; k++) {
                    av[i] += a[i][k] * v[k];
                }
            }
            double[] atav = new double[n];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < a.length; i++) {
                    atav[k] += a[i][k] * av[i];
                }
            }
            double norm = 0;
            for (double x : atav) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < n; k++) {
                v[k] = atav[k] / norm;
            }
            sigma = Math.sqrt(norm);
        }
        return sigma;
    }

    static double[][] scaled(double[][] a, double s) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
            for (int k = 0; k < out[i].length; k++) {
                out[i][k] *= s;
            }
        }
        return out;
    }

    static INDArray toArray(double[][] a, INDArray like) {
        return Nd4j.createFromArray(a).castTo(like.dataType());
    }

    static double[][] toMatrix(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-300))) * Math.cos(2 * Math.PI * u2);
    }
}
