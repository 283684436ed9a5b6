package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The direct BLAS product must equal ND4J's for every memory layout the layers pass, views included. */
class GemmTest {
    /** A [r, c] matrix in the given layout: plain C or F order, or a strided, offset view into a larger array. */
    private static INDArray matrix(DataType t, long r, long c, String layout, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray base = Nd4j.rand(t, r + 3, c + 5);
        return switch (layout) {
            case "c" -> base.get(NDArrayIndex.interval(0, r), NDArrayIndex.interval(0, c)).dup('c');
            case "f" -> base.get(NDArrayIndex.interval(0, r), NDArrayIndex.interval(0, c)).dup('f');
            case "view" -> base.get(NDArrayIndex.interval(2, 2 + r), NDArrayIndex.interval(3, 3 + c));
            case "transposedView" -> Nd4j.rand(t, c + 4, r + 2).dup('c')
                    .get(NDArrayIndex.interval(1, 1 + c), NDArrayIndex.interval(2, 2 + r)).transpose();
            default -> throw new IllegalArgumentException(layout);
        };
    }

    @Test
    void equalsNd4jGemmForEveryLayoutAndTranspose() {
        String[] layouts = {"c", "f", "view", "transposedView"};
        long m = 7;
        long k = 5;
        long n = 6;
        int checked = 0;
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    for (String la : layouts) {
                        for (String lb : layouts) {
                            for (String lc : new String[]{"c", "f", "view"}) {
                                INDArray a = ta ? matrix(t, k, m, la, 1) : matrix(t, m, k, la, 1);
                                INDArray b = tb ? matrix(t, n, k, lb, 2) : matrix(t, k, n, lb, 2);
                                INDArray c = matrix(t, m, n, lc, 3);
                                INDArray want = c.dup();
                                Nd4j.gemm(a.dup(), b.dup(), want, ta, tb, 0.5, 0.25);
                                Gemm.times(a, b, c, ta, tb, 0.5, 0.25);
                                String what = t + " ta=" + ta + " tb=" + tb + " a=" + la + " b=" + lb + " c=" + lc;
                                assertTrue(want.equalsWithEps(c, t == DataType.FLOAT ? 1e-5 : 1e-12),
                                        what + "\nwant " + want + "\ngot " + c);
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked == 384);
        assertTrue(Gemm.direct(), "the CPU backend takes the direct path");
    }

    @Test
    void matrixTimesVectorShapesAndTheNd4jFallbackAgree() {
        INDArray w = matrix(DataType.FLOAT, 8, 12, "c", 4);
        INDArray row = matrix(DataType.FLOAT, 1, 8, "c", 5);
        INDArray out = Nd4j.zeros(DataType.FLOAT, 1, 12);
        Gemm.times(row, w, out, false, false, 1.0, 0.0);
        assertTrue(row.mmul(w).equalsWithEps(out, 1e-5));
        boolean was = NativeMem.setEnabled(false);
        try {
            INDArray viaNd4j = Nd4j.zeros(DataType.FLOAT, 1, 12);
            Gemm.times(row, w, viaNd4j, false, false, 1.0, 0.0);
            assertTrue(out.equalsWithEps(viaNd4j, 1e-5));
        } finally {
            NativeMem.setEnabled(was);
        }
    }
}
