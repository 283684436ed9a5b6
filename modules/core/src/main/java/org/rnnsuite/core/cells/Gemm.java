package org.rnnsuite.core.cells;

import java.lang.reflect.Method;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products straight to the backend's BLAS {@code gemm}, with the operands' memory layout passed as transpose
 * flags. Used for the per-step recurrent product, which runs once per time step and layer in both directions: ND4J
 * routes every product through its matmul op (an op object, a context, argument buffers), which costs 15-30 us a
 * call on top of the arithmetic. Measured on one core with Debian's OpenBLAS, {@code [32, 128] x [128, 512]} as the
 * layers pass it (F-order views): 84 us through ND4J against 58 us direct; {@code [32, 256] x [256, 1024]}: 280 vs
 * 260 us. (For the whole-sequence products the difference is within noise, and those stay with ND4J.) A row-major
 * matrix is the column-major matrix of its transpose, so every operand maps onto a column-major BLAS call without
 * moving data. The softmax output layer uses it too: there ND4J's copies of its row-major operands showed, as 26
 * against 62 GFLOP/s for {@code [2048, 128] x [128, 80]}. Where the backend's BLAS cannot be reached (another backend) or an operand has no unit stride along
 * either dimension, the product falls back to ND4J.
 */
public final class Gemm {
    private Gemm() {
    }

    private static final Object LEVEL3;
    private static final Method SGEMM;
    private static final Method DGEMM;

    static {
        Object wrapper = null;
        Method[] m = null;
        try {
            wrapper = Nd4j.getBlasWrapper().level3();
            m = BlasEntry.find(wrapper, "sgemm", "dgemm", 14);
        } catch (RuntimeException e) {
            m = null;
        }
        LEVEL3 = wrapper;
        SGEMM = m == null ? null : m[0];
        DGEMM = m == null ? null : m[1];
    }

    /** Whether products go to BLAS directly (CPU backend). */
    public static boolean direct() {
        return SGEMM != null && NativeMem.enabled();
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c}, {@code op} transposing where asked; like ND4J's
     * {@code Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta)}.
     */
    public static void times(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                      double beta) {
        if (!direct(a, b, c, transposeA, transposeB, alpha, beta)) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
        }
    }

    /** A column-major view of a stored matrix: flag 'N' or 'T' relative to what the product needs, and its ld. */
    private record Operand(char flag, long ld) {
    }

    /**
     * How BLAS sees {@code x} when the product needs {@code op(x)} (with {@code columnMajorOf}) or its transpose:
     * a row-major {@code [r, c]} matrix is stored as the column-major {@code [c, r]} matrix x^T.
     *
     * @param wantTransposeOfOp whether the factor BLAS multiplies is {@code op(x)^T} rather than {@code op(x)}
     */
    private static Operand operand(INDArray x, boolean transposed, boolean wantTransposeOfOp) {
        long r = x.size(0);
        long c = x.size(1);
        boolean rowMajor;
        long ld;
        if (x.stride(1) == 1 && x.stride(0) >= Math.max(1, c)) {
            rowMajor = true;
            ld = x.stride(0);
        } else if (x.stride(0) == 1 && x.stride(1) >= Math.max(1, r)) {
            rowMajor = false;
            ld = x.stride(1);
        } else if (r == 1 || c == 1) {
            // a vector: any stride works as long as its elements are contiguous
            if (x.elementWiseStride() != 1) {
                return null;
            }
            rowMajor = true;
            ld = c;
        } else {
            return null;
        }
        // the stored column-major matrix S is x^T (row-major x) or x (column-major x); the factor BLAS needs is
        // F = op(x) or op(x)^T, which is S or S^T
        boolean factorIsX = transposed == wantTransposeOfOp;
        boolean factorIsS = rowMajor != factorIsX;
        return new Operand(factorIsS ? 'N' : 'T', ld);
    }

    private static boolean direct(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha,
                                  double beta) {
        if (!direct()) {
            return false;
        }
        DataType t = c.dataType();
        if ((t != DataType.FLOAT && t != DataType.DOUBLE) || a.dataType() != t || b.dataType() != t
                || a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            return false;
        }
        long m = ta ? a.size(1) : a.size(0);
        long k = ta ? a.size(0) : a.size(1);
        long kb = tb ? b.size(1) : b.size(0);
        long n = tb ? b.size(0) : b.size(1);
        if (k != kb || c.size(0) != m || c.size(1) != n || m > Integer.MAX_VALUE || n > Integer.MAX_VALUE
                || k > Integer.MAX_VALUE || m == 0 || n == 0 || k == 0) {
            return false;
        }
        boolean rowMajor = c.stride(1) == 1 && c.stride(0) >= Math.max(1, n);
        boolean colMajor = c.stride(0) == 1 && c.stride(1) >= Math.max(1, m);
        if (!(rowMajor || colMajor) || m <= 1 || n <= 1) {
            return false;
        }
        // column-major BLAS: C = op(a) op(b) directly, or a row-major C [m, n] as its column-major transpose
        // C^T [n, m] = op(b)^T op(a)^T
        INDArray x = rowMajor ? b : a;
        INDArray y = rowMajor ? a : b;
        Operand first = operand(x, rowMajor ? tb : ta, rowMajor);
        Operand second = operand(y, rowMajor ? ta : tb, rowMajor);
        long rows = rowMajor ? n : m;
        long cols = rowMajor ? m : n;
        long ldc = rowMajor ? c.stride(0) : c.stride(1);
        if (first == null || second == null || !leadingDimensionFits(first, rows, k)
                || !leadingDimensionFits(second, k, cols)) {
            return false;
        }
        try {
            if (t == DataType.FLOAT) {
                SGEMM.invoke(LEVEL3, 'f', first.flag(), second.flag(), (int) rows, (int) cols, (int) k, (float) alpha,
                        x, (int) first.ld(), y, (int) second.ld(), (float) beta, c, (int) ldc);
            } else {
                DGEMM.invoke(LEVEL3, 'f', first.flag(), second.flag(), (int) rows, (int) cols, (int) k, alpha,
                        x, (int) first.ld(), y, (int) second.ld(), beta, c, (int) ldc);
            }
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("BLAS gemm failed", e);
        }
    }

    /** BLAS needs the leading dimension of a stored {@code [r, c]} ('N') or {@code [c, r]} ('T') matrix >= its rows. */
    private static boolean leadingDimensionFits(Operand o, long r, long c) {
        long storedRows = o.flag() == 'N' ? r : c;
        return o.ld() >= Math.max(1, storedRows) && o.ld() <= Integer.MAX_VALUE;
    }
}
