package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A tiny long-range task: at every step, output the symbol seen {@value #DELAY} steps earlier. A memoryless model
 * scores 1/{@value #VOCAB}; gated cells learn it in a few hundred small updates.
 */
class LongRangeMemoryTest {
    private static final int VOCAB = 4;
    private static final int DELAY = 3;
    private static final int STEPS = 10;

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU", "CIFG"})
    void remembersASymbolAFewStepsBack(CellType type) {
        MultiLayerNetwork net = single(type);
        Random rnd = new Random(17);
        double accuracy = 0;
        for (int it = 1; it <= 600; it++) {
            net.fit(batch(rnd, 32));
            if (it % 20 == 0) {
                accuracy = accuracy(net, batch(new Random(99), 64));
                if (accuracy > 0.95) {
                    break;
                }
            }
        }
        assertTrue(accuracy > 0.95, type + " accuracy " + accuracy);
    }

    private static MultiLayerNetwork single(CellType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(0.06)).weightInit(WeightInit.XAVIER).list()
                .layer(Cells.layer(type, VOCAB, 20, 0))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(20).nOut(VOCAB).build())
                .build());
        net.init();
        return net;
    }

    private static DataSet batch(Random rnd, int mb) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, mb, VOCAB, STEPS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, mb, VOCAB, STEPS);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, mb, STEPS);
        for (int i = 0; i < mb; i++) {
            int[] s = new int[STEPS];
            for (int t = 0; t < STEPS; t++) {
                s[t] = rnd.nextInt(VOCAB);
                x.putScalar(new long[] {i, s[t], t}, 1);
                if (t >= DELAY) {
                    y.putScalar(new long[] {i, s[t - DELAY], t}, 1);
                    mask.putScalar(i, t, 1);
                } else {
                    y.putScalar(new long[] {i, 0, t}, 1);
                }
            }
        }
        return new DataSet(x, y, null, mask);
    }

    private static double accuracy(MultiLayerNetwork net, DataSet d) {
        INDArray pred = net.output(d.getFeatures()).argMax(1);
        INDArray truth = d.getLabels().argMax(1);
        INDArray mask = d.getLabelsMaskArray();
        double hit = 0;
        double n = 0;
        for (int i = 0; i < pred.rows(); i++) {
            for (int t = DELAY; t < STEPS; t++) {
                if (mask.getDouble(i, t) > 0) {
                    n++;
                    hit += pred.getInt(i, t) == truth.getInt(i, t) ? 1 : 0;
                }
            }
        }
        return hit / n;
    }
}
