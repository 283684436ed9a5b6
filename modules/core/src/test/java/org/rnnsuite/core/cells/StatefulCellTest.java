package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/** Stored state: step-by-step inference and truncated BPTT agree with whole-sequence computation. */
@ExtendWith(DoublePrecision.class)
class StatefulCellTest {

    @ParameterizedTest
    @EnumSource(CellType.class)
    void rnnTimeStepEqualsFullForward(CellType type) {
        MultiLayerNetwork net = CellNets.stacked(type, 3, 4, 2, DataType.DOUBLE, new NoOp(), 0, false, 0, 3);
        INDArray x = CellNets.features(11, DataType.DOUBLE, 2, 3, 7);
        INDArray full = net.output(x);
        net.rnnClearPreviousState();
        for (int t = 0; t < 7; t++) {
            INDArray step = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)));
            INDArray expected = full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
            assertEquals(0, expected.sub(step.reshape(expected.shape())).amaxNumber().doubleValue(), 1e-12,
                    type + " step " + t);
        }
        // in chunks, too
        net.rnnClearPreviousState();
        INDArray a = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)));
        INDArray b = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 7)));
        assertEquals(0, Nd4j.concat(2, a, b).sub(full).amaxNumber().doubleValue(), 1e-12, type + " chunks");
        // a stored state of another batch size is a clear error, not garbage
        if (type == CellType.GRU || type == CellType.CIFG || type == CellType.LSTM) {
            INDArray other = CellNets.features(12, DataType.DOUBLE, 3, 3, 1);
            Exception e = assertThrows(IllegalStateException.class, () -> net.rnnTimeStep(other));
            assertTrue(e.getMessage().contains("rnnClearPreviousState"), e.getMessage());
        }
    }

    /**
     * TBPTT: the second segment starts from the state the first left, and its gradient is that of the second
     * segment's loss with the carried state held fixed, checked against finite differences of a forward pass
     * from a state set by hand.
     */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "CIFG", "LSTM"})
    void tbpttSegmentsEqualCarryingStateByHand(CellType type) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .layer(Cells.layer(type, 2, 3, 0)).build();
        long n = conf.getLayer().initializer().numParams(conf);
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 1, n);
        Layer layer = conf.getLayer().instantiate(conf, List.of(), 0, params, true, DataType.DOUBLE);
        layer.setBackpropGradientsViewArray(Nd4j.zeros(DataType.DOUBLE, 1, n));
        RecurrentLayer rnn = (RecurrentLayer) layer;
        INDArray x = CellNets.features(5, DataType.DOUBLE, 2, 2, 6);
        INDArray seg1 = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup('f');
        INDArray seg2 = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 6)).dup('f');
        INDArray full = layer.activate(x, false, mgr).dup();

        // as MultiLayerNetwork drives TBPTT: forward from the TBPTT state, then copy it to the stored state
        rnn.rnnClearPreviousState();
        INDArray out1 = rnn.rnnActivateUsingStoredState(seg1, true, true, mgr).dup();
        rnn.rnnSetPreviousState(rnn.rnnGetTBPTTState());
        Map<String, INDArray> carried = rnn.rnnGetPreviousState();
        INDArray out2 = rnn.rnnActivateUsingStoredState(seg2, true, true, mgr).dup();
        assertEquals(0, Nd4j.concat(2, out1, out2).sub(full).amaxNumber().doubleValue(), 1e-12);
        INDArray eps = CellNets.features(6, DataType.DOUBLE, 2, 3, 3);
        Gradient g = rnn.tbpttBackpropGradient(eps.dup('f'), 3, mgr).getFirst();
        INDArray analytic = g.gradient().dup();

        // by hand: loss(params) = sum(out2 * eps), out2 computed from the carried state
        double h = 1e-6;
        for (int i = 0; i < n; i++) {
            double v = params.getDouble(i);
            params.putScalar(i, v + h);
            double plus = segmentLoss(rnn, carried, seg2, eps, mgr);
            params.putScalar(i, v - h);
            double minus = segmentLoss(rnn, carried, seg2, eps, mgr);
            params.putScalar(i, v);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic.getDouble(i), 1e-7, type + " parameter " + i);
        }
    }

    private static double segmentLoss(RecurrentLayer rnn, Map<String, INDArray> state, INDArray seg, INDArray eps,
            LayerWorkspaceMgr mgr) {
        rnn.rnnSetPreviousState(state);
        return rnn.rnnTimeStep(seg, mgr).mul(eps).sumNumber().doubleValue();
    }
}
