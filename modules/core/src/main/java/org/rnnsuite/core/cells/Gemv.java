package org.rnnsuite.core.cells;

import java.lang.reflect.Method;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix-vector products straight to the backend's BLAS {@code gemv}, for one time step of batch 1. Why: ND4J
 * routes even a {@code [1, H] x [H, 3H]} product through {@code gemm}, and the bundled OpenBLAS (0.3.19) then
 * packs the whole weight matrix first; measured at H = 256 (a {@code 256 x 768} weight): 130-320 us per gemm vs
 * 20-40 us per gemv. ND4J's public {@code Level2.gemv} goes through its matmul op instead and rejects these shapes,
 * so the backend's own BLAS entry is called; where that is not available (another backend) {@link #times} answers
 * false and callers use gemm.
 */
final class Gemv {
    private Gemv() {
    }

    private static final Object LEVEL2;
    private static final Method SGEMV;
    private static final Method DGEMV;

    static {
        Object wrapper = null;
        Method[] m = null;
        try {
            wrapper = Nd4j.getBlasWrapper().level2();
            m = BlasEntry.find(wrapper, "sgemv", "dgemv", 12);
        } catch (RuntimeException e) {
            m = null;
        }
        LEVEL2 = wrapper;
        SGEMV = m == null ? null : m[0];
        DGEMV = m == null ? null : m[1];
    }

    /**
     * {@code y = x a}: {@code x} a vector of length {@code k} with element stride {@code incX}, {@code a} a
     * {@code [k, n]} matrix with unit stride along one dimension, {@code y} a contiguous vector of length {@code n}.
     *
     * @return false (nothing computed) where the call does not apply
     */
    static boolean times(INDArray x, long incX, INDArray a, INDArray y) {
        DataType t = a.dataType();
        Method m = t == DataType.FLOAT ? SGEMV : t == DataType.DOUBLE ? DGEMV : null;
        if (m == null || x.dataType() != t || y.dataType() != t || a.rank() != 2 || incX < 1) {
            return false;
        }
        long k = a.size(0);
        long n = a.size(1);
        if (x.length() != k || y.length() != n || y.elementWiseStride() != 1 || k > Integer.MAX_VALUE
                || n > Integer.MAX_VALUE) {
            return false;
        }
        char trans;
        long rows;
        long cols;
        long lda;
        if (a.stride(0) == 1 && a.stride(1) >= k) {
            // column-major [k, n]: y = A^T x
            trans = 'T';
            rows = k;
            cols = n;
            lda = a.stride(1);
        } else if (a.stride(1) == 1 && a.stride(0) >= n) {
            // row-major [k, n] is column-major [n, k]: y = B x
            trans = 'N';
            rows = n;
            cols = k;
            lda = a.stride(0);
        } else {
            return false;
        }
        try {
            if (t == DataType.FLOAT) {
                m.invoke(LEVEL2, 'f', trans, (int) rows, (int) cols, 1.0f, a, (int) lda, x, (int) incX, 0.0f, y, 1);
            } else {
                m.invoke(LEVEL2, 'f', trans, (int) rows, (int) cols, 1.0, a, (int) lda, x, (int) incX, 0.0, y, 1);
            }
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("BLAS gemv failed", e);
        }
    }
}
