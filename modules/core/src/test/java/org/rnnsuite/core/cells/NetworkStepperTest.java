package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A stack of cells and a softmax output stepped in plain Java gives the network's own outputs. */
class NetworkStepperTest {

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "LSTM", "CIFG"})
    void stepsEqualTheNetworksOutput(CellType type) {
        MultiLayerNetwork net = CellNets.stacked(type, 5, 6, 4, DataType.FLOAT, new NoOp(), 0, false, 0, 3);
        net.params().muli(3);
        int steps = 8;
        INDArray x = CellNets.features(5, DataType.FLOAT, 1, 5, steps);
        INDArray expected = net.output(x);
        NetworkStepper s = NetworkStepper.of(net).orElseThrow();
        assertEquals(5, s.inputSize());
        for (int t = 0; t < steps; t++) {
            float[] in = new float[5];
            for (int c = 0; c < 5; c++) {
                in[c] = x.getFloat(0, c, t);
            }
            float[] p = s.step(in);
            for (int k = 0; k < 4; k++) {
                assertEquals(expected.getDouble(0, k, t), p[k], 2e-5, type + " step " + t);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "LSTM", "CIFG"})
    void oneHotStepsEqualTheNetworksOutput(CellType type) {
        MultiLayerNetwork net = CellNets.stacked(type, 7, 6, 7, DataType.FLOAT, new NoOp(), 0, false, 0, 4);
        net.params().muli(2);
        int[] ids = {3, 0, 6, 6, 1};
        INDArray in = Nd4j.zeros(DataType.FLOAT, 1, 7, ids.length);
        for (int t = 0; t < ids.length; t++) {
            in.putScalar(new long[] {0, ids[t], t}, 1.0);
        }
        INDArray expected = net.output(in);
        NetworkStepper s = NetworkStepper.of(net).orElseThrow();
        for (int pass = 0; pass < 2; pass++) {
            for (int t = 0; t < ids.length; t++) {
                float[] p = s.stepOneHot(ids[t]);
                for (int k = 0; k < 7; k++) {
                    assertEquals(expected.getDouble(0, k, t), p[k], 2e-5, type + " step " + t);
                }
            }
            s.reset();
        }
        assertThrows(IllegalArgumentException.class, () -> s.stepOneHot(7));
    }

    /** Cells, a mean over time and a softmax (a sequence classifier): each step classifies the prefix so far. */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "LSTM", "CIFG"})
    void meanReadoutClassifiesEachPrefix(CellType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(9).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).list()
                .layer(Cells.layer(type, 5, 6, 0))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(6).nOut(3).build())
                .setInputType(InputType.recurrent(5))
                .build());
        net.init();
        net.params().muli(3);
        int steps = 7;
        INDArray x = CellNets.features(8, DataType.FLOAT, 1, 5, steps);
        NetworkStepper s = NetworkStepper.of(net).orElseThrow();
        for (int t = 0; t < steps; t++) {
            float[] in = new float[5];
            for (int c = 0; c < 5; c++) {
                in[c] = x.getFloat(0, c, t);
            }
            float[] p = s.step(in);
            INDArray prefix = net.output(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1)));
            for (int k = 0; k < 3; k++) {
                assertEquals(prefix.getDouble(0, k), p[k], 2e-5, type + " after " + (t + 1) + " steps");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "PEEPHOLE", "DL4J_LSTM"})
    void otherCellsAreLeftToTheNetwork(CellType type) {
        MultiLayerNetwork net = CellNets.stacked(type, 3, 4, 2, DataType.FLOAT, new NoOp(), 0, false, 0, 1);
        assertTrue(NetworkStepper.of(net).isEmpty());
        MultiLayerNetwork bi = CellNets.stacked(CellType.GRU, 3, 4, 2, DataType.FLOAT, new NoOp(), 0, true, 0, 1);
        assertTrue(NetworkStepper.of(bi).isEmpty());
    }
}
