package org.rnnsuite.charlm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One-hot encoding of id sequences in DL4J's recurrent layout {@code [batch, vocabulary, time]}. */
final class OneHot {
    private OneHot() {
    }

    /**
     * {@code rows[b][t]} set to one at {@code [b, rows[b][t], t]}; a negative id leaves that step all zeros (padding,
     * whose output is ignored).
     */
    static INDArray of(int[][] rows, int vocabSize, int steps) {
        float[] data = new float[rows.length * vocabSize * steps];
        for (int b = 0; b < rows.length; b++) {
            int[] row = rows[b];
            for (int t = 0; t < steps && t < row.length; t++) {
                if (row[t] >= 0) {
                    data[(b * vocabSize + row[t]) * steps + t] = 1f;
                }
            }
        }
        return Nd4j.create(data, new long[]{rows.length, vocabSize, steps}, DataType.FLOAT);
    }

    /** A single id as a {@code [1, vocabulary, 1]} step. */
    static INDArray step(int id, int vocabSize) {
        return of(new int[][]{{id}}, vocabSize, 1);
    }
}
