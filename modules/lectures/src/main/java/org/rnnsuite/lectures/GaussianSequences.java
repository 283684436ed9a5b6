package org.rnnsuite.lectures;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Random Gaussian input sequences with one random class label scored at the last step only. */
final class GaussianSequences {
    private GaussianSequences() {
    }

    static MultiDataSet batch(int batch, int nIn, int length, int classes, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray f = Nd4j.zeros(DataType.FLOAT, batch, nIn, length);
        INDArray l = Nd4j.zeros(DataType.FLOAT, batch, classes, length);
        INDArray lm = Nd4j.zeros(DataType.FLOAT, batch, length);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < nIn; i++) {
                for (int t = 0; t < length; t++) {
                    double u1 = Math.max(r.nextDouble(), 1e-300);
                    double g = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble());
                    f.putScalar(b, i, t, (float) (g * scale));
                }
            }
            l.putScalar(b, r.nextInt(classes), length - 1, 1f);
            lm.putScalar(b, length - 1, 1f);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{f}, new INDArray[]{l}, null,
                new INDArray[]{lm});
    }
}
