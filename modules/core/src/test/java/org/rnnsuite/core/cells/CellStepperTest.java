package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/** The plain-Java step of batch-1 inference computes what the layers' own forward pass computes. */
class CellStepperTest {

    @ParameterizedTest
    @CsvSource({"GRU,FLOAT", "LSTM,FLOAT", "CIFG,FLOAT", "GRU,DOUBLE", "LSTM,DOUBLE", "CIFG,DOUBLE"})
    void stepsEqualTheLayersForwardPass(CellType type, DataType dt) {
        MultiLayerNetwork net = CellNets.stacked(type, 5, 6, 4, dt, new NoOp(), 0, false, 0, 7);
        // trained-looking parameters: larger than the initial ones, so every gate's nonlinearity matters
        net.params().muli(3);
        int steps = 9;
        INDArray x = CellNets.features(21, dt, 1, 5, steps);
        List<INDArray> acts = net.feedForward(x, false);
        CellStepper first = CellStepper.of(net.getLayer(0)).orElseThrow();
        CellStepper second = CellStepper.of(net.getLayer(1)).orElseThrow();
        assertEquals(5, first.inputSize());
        assertEquals(6, first.hiddenSize());
        for (int pass = 0; pass < 2; pass++) {
            for (int t = 0; t < steps; t++) {
                float[] in = new float[5];
                for (int c = 0; c < 5; c++) {
                    in[c] = x.getFloat(0, c, t);
                }
                float[] h1 = first.step(in).clone();
                float[] h2 = second.step(h1);
                for (int k = 0; k < 6; k++) {
                    assertEquals(acts.get(1).getDouble(0, k, t), h1[k], 2e-5, type + " layer 1 step " + t);
                    assertEquals(acts.get(2).getDouble(0, k, t), h2[k], 2e-5, type + " layer 2 step " + t);
                }
            }
            // a new sequence starts from the zero state
            first.reset();
            second.reset();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "PEEPHOLE", "DL4J_LSTM"})
    void otherCellsAreLeftToTheLayer(CellType type) {
        MultiLayerNetwork net = CellNets.stacked(type, 3, 4, 2, DataType.FLOAT, new NoOp(), 0, false, 0, 1);
        assertTrue(CellStepper.of(net.getLayer(0)).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "LSTM", "CIFG"})
    void wrongInputSizeThrows(CellType type) {
        MultiLayerNetwork net = CellNets.stacked(type, 3, 4, 2, DataType.FLOAT, new NoOp(), 0, false, 0, 1);
        CellStepper s = CellStepper.of(net.getLayer(0)).orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.step(new float[4]));
        assertTrue(e.getMessage().contains("3 values"), e.getMessage());
        // the refused step left the state alone: the next one is a first step
        float[] in = {0.5f, -1f, 2f};
        float[] fresh = CellStepper.of(net.getLayer(0)).orElseThrow().step(in);
        assertArrayEquals(fresh, s.step(in));
    }
}
