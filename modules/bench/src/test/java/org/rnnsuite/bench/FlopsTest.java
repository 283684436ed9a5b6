package org.rnnsuite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnnsuite.core.cells.CellType;

class FlopsTest {

    @Test
    void charLmWeightsCountEveryGateMatrixAndTheOutputLayer() {
        // layer 1: 4 gates x (50 inputs + 256 recurrent) x 256; layer 2: 4 x (256 + 256) x 256; output 256 x 50
        long lstm = 4L * (50 + 256) * 256 + 4L * (256 + 256) * 256 + 256L * 50;
        assertEquals(lstm, Flops.charLmWeightsPerChar(CellType.LSTM, 2, 256, 50));
        assertEquals(6.0 * lstm, Flops.charLmTrainFlopsPerChar(CellType.LSTM, 2, 256, 50), 0);
        long gru = 3L * (84 + 128) * 128 + 128L * 84;
        assertEquals(gru, Flops.charLmWeightsPerChar(CellType.GRU, 1, 128, 84));
    }

    @Test
    void gateCountsPerCell() {
        assertEquals(1, Flops.gates(CellType.RNN));
        assertEquals(4, Flops.gates(CellType.PEEPHOLE));
        assertEquals(3, Flops.gates(CellType.CIFG));
    }

    @Test
    void squareMatrixProductCostsTwoNCubed() {
        assertEquals(2.0 * 1024 * 1024 * 1024, Flops.sgemm(1024), 0);
    }
}
