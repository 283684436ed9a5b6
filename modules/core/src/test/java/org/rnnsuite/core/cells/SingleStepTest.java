package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The single-step inference path of {@code rnnTimeStep} (one time step at a time, as sampling runs) in float32, the
 * type it runs in practice, and in float64: same outputs as the whole-sequence pass, and a stored state that was saved and set back
 * by hand continues the sequence where it left off.
 */
class SingleStepTest {

    @ParameterizedTest
    @CsvSource({"GRU,1", "GRU,3", "LSTM,1", "LSTM,3"})
    void floatStepsEqualWholeSequence(CellType type, int mb) {
        stepsEqualWholeSequence(type, mb, DataType.FLOAT, 1e-5);
    }

    /** Batch 1 takes the matrix-vector path, batch 3 the matrix-matrix one; in double they agree to rounding. */
    @ParameterizedTest
    @CsvSource({"GRU,1", "GRU,3", "LSTM,1", "LSTM,3"})
    void doubleStepsEqualWholeSequence(CellType type, int mb) {
        DataType old = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            stepsEqualWholeSequence(type, mb, DataType.DOUBLE, 1e-12);
        } finally {
            Nd4j.setDefaultDataTypes(old, old);
        }
    }

    private static void stepsEqualWholeSequence(CellType type, int mb, DataType dt, double tolerance) {
        MultiLayerNetwork net = CellNets.stacked(type, 5, 6, 4, dt, new NoOp(), 0, false, 0, 7);
        INDArray x = CellNets.features(21, dt, mb, 5, 6);
        INDArray full = net.output(x);
        net.rnnClearPreviousState();
        Map<Integer, Map<String, INDArray>> saved = null;
        for (int t = 0; t < 6; t++) {
            if (t == 3) {
                saved = copyState(net);
                // a detour that must not leak into the restored state
                net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 1)));
                for (int i = 0; i < 2; i++) {
                    net.rnnSetPreviousState(i, saved.get(i));
                }
            }
            INDArray step = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(t, t + 1)));
            INDArray expected = full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1));
            assertEquals(0, expected.sub(step).amaxNumber().doubleValue(), tolerance, type + " " + dt + " step " + t);
        }
    }

    private static Map<Integer, Map<String, INDArray>> copyState(MultiLayerNetwork net) {
        Map<Integer, Map<String, INDArray>> m = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Map<String, INDArray> s = new HashMap<>();
            net.rnnGetPreviousState(i).forEach((k, v) -> s.put(k, v.dup()));
            m.put(i, s);
        }
        return m;
    }
}
