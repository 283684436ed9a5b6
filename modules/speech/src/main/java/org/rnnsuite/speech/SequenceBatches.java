package org.rnnsuite.speech;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Packs variable-length feature sequences into padded minibatches with masks.
 *
 * <p>Features are {@code [batch, frameSize, maxFrames]} with a feature mask {@code [batch, maxFrames]} (1 on valid
 * frames). Labels depend on the readout: for {@code mean} a plain one-hot {@code [batch, classes]}; for {@code last}
 * a one-hot at the last valid frame of {@code [batch, classes, maxFrames]} with a label mask selecting only that
 * frame, which is DL4J's way to train a classifier on the last valid step of each sequence.
 */
public final class SequenceBatches {
    private SequenceBatches() {
    }

    /** Features and feature mask only (inference). */
    public static INDArray[] features(List<float[][]> seqs) {
        int b = seqs.size();
        int d = seqs.get(0)[0].length;
        int t = seqs.stream().mapToInt(s -> s.length).max().orElse(1);
        float[] x = new float[b * d * t];
        float[] m = new float[b * t];
        for (int i = 0; i < b; i++) {
            float[][] s = seqs.get(i);
            for (int step = 0; step < s.length; step++) {
                m[i * t + step] = 1f;
                for (int k = 0; k < d; k++) {
                    x[(i * d + k) * t + step] = s[step][k];
                }
            }
        }
        return new INDArray[]{Nd4j.create(x, new long[]{b, d, t}, 'c'), Nd4j.create(m, new long[]{b, t}, 'c')};
    }

    /** A training or evaluation minibatch. */
    public static MultiDataSet batch(List<float[][]> seqs, int[] labels, int classes, String readout) {
        INDArray[] fm = features(seqs);
        int b = seqs.size();
        int t = (int) fm[0].size(2);
        if ("last".equals(readout)) {
            float[] y = new float[b * classes * t];
            float[] lm = new float[b * t];
            for (int i = 0; i < b; i++) {
                int last = seqs.get(i).length - 1;
                y[(i * classes + labels[i]) * t + last] = 1f;
                lm[i * t + last] = 1f;
            }
            return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{fm[0]},
                    new INDArray[]{Nd4j.create(y, new long[]{b, classes, t}, 'c')},
                    new INDArray[]{fm[1]}, new INDArray[]{Nd4j.create(lm, new long[]{b, t}, 'c')});
        }
        INDArray y = Nd4j.zeros(DataType.FLOAT, b, classes);
        for (int i = 0; i < b; i++) {
            y.putScalar(i, labels[i], 1.0);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{fm[0]}, new INDArray[]{y},
                new INDArray[]{fm[1]}, null);
    }
}
