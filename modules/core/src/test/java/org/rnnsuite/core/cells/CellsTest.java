package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The factory builds every cell, with its sizes and dropout, and rejects bad dropout values. */
class CellsTest {
    @ParameterizedTest
    @EnumSource(CellType.class)
    void buildsEveryCell(CellType type) {
        Layer plain = Cells.layer(type, 7, 5, 0);
        BaseRecurrentLayer r = assertInstanceOf(BaseRecurrentLayer.class, plain);
        assertEquals(7, r.getNIn());
        assertEquals(5, r.getNOut());
        assertNull(plain.getIDropout());
        assertNotNull(Cells.layer(type, 7, 5, 0.25).getIDropout());
        assertEquals(type, CellType.parse(type.id()));
    }

    @Test
    void newCellsAreTheLayersDefinedHere() {
        assertInstanceOf(GRU.class, Cells.layer(CellType.GRU, 3, 4, 0));
        assertInstanceOf(CIFG.class, Cells.layer(CellType.CIFG, 3, 4, 0));
        assertInstanceOf(FusedLSTM.class, Cells.layer(CellType.LSTM, 3, 4, 0));
        // DL4J's own LSTM stays available under its own name, for comparisons
        assertInstanceOf(org.deeplearning4j.nn.conf.layers.LSTM.class, Cells.layer(CellType.DL4J_LSTM, 3, 4, 0));
        assertEquals(CellType.DL4J_LSTM, CellType.parse(" DL4J-LSTM "));
        assertEquals("rnn|lstm|dl4j-lstm|peephole|cifg|gru", CellType.names());
    }

    @Test
    void fusedLstmStartsWithItsForgetGateOpen() {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = CellNets.stacked(CellType.LSTM, 3, 4, 2,
                org.nd4j.linalg.api.buffer.DataType.FLOAT, new org.nd4j.linalg.learning.config.NoOp(), 0, false, 0,
                1);
        org.nd4j.linalg.api.ndarray.INDArray b = net.getLayer(0).getParam("b");
        assertEquals(16, b.length());
        for (int k = 0; k < 16; k++) {
            // blocks i, f, g, o: only f starts at 1
            assertEquals(k >= 4 && k < 8 ? 1.0 : 0.0, b.getDouble(k), 0.0, "bias " + k);
        }
        assertEquals(4 * 4 * (3 + 4 + 1), net.getLayer(0).numParams());
    }

    @Test
    void recurrentAndInputWeightConstraintsApply() {
        GRU gru = new GRU.Builder().nIn(3).nOut(4).constrainRecurrent(new MaxNormConstraint(1.0, 0))
                .constrainInputWeights(new NonNegativeConstraint()).build();
        assertEquals(2, gru.getConstraints().size());
        assertEquals(java.util.Set.of("RW"), gru.getConstraints().get(0).getParams());
        assertEquals(java.util.Set.of("W"), gru.getConstraints().get(1).getParams());
        CIFG cifg = new CIFG.Builder().nIn(3).nOut(4).constrainRecurrent(new MaxNormConstraint(1.0, 0)).build();
        assertEquals(1, cifg.getConstraints().size());
        FusedLSTM lstm = new FusedLSTM.Builder().nIn(3).nOut(4).constrainInputWeights(new NonNegativeConstraint())
                .build();
        assertEquals(java.util.Set.of("W"), lstm.getConstraints().get(0).getParams());
    }

    @Test
    void rejectsDropoutOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Cells.layer(CellType.GRU, 3, 4, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Cells.layer(CellType.CIFG, 3, 4, -0.1));
    }
}
