package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The sequence products cut into chunks of time steps and run on the second core ({@link RecurrentCellLayer}): with
 * one row per chunk minimum, a 7-step sequence becomes seven chunks, so every partial sum and hand-over is used.
 * Gradients must pass finite differences, and must be identical with the worker on and off.
 */
@ExtendWith(DoublePrecision.class)
class SequenceChunksTest {
    private long rows;
    private boolean overlap;

    @BeforeEach
    void manyChunks() {
        rows = RecurrentCellLayer.setMinChunkRows(1);
        overlap = RecurrentCellLayer.setOverlap(true);
    }

    @AfterEach
    void restore() {
        RecurrentCellLayer.setMinChunkRows(rows);
        RecurrentCellLayer.setOverlap(overlap);
    }

    @Test
    void chunkSizes() {
        assertEquals(1, RecurrentCellLayer.chunkSteps(7, 3));
        assertEquals(8, RecurrentCellLayer.chunkSteps(64, 32), "eight chunks of a 64-step sequence");
        RecurrentCellLayer.setMinChunkRows(256);
        assertEquals(8, RecurrentCellLayer.chunkSteps(64, 32), "256 rows at batch 32");
        assertEquals(64, RecurrentCellLayer.chunkSteps(64, 1), "batch 1: one chunk");
        assertEquals(5, RecurrentCellLayer.chunkSteps(5, 2), "never more steps than the sequence");
    }

    @ParameterizedTest(name = "{0} mask={1}")
    @CsvSource({"GRU,false", "GRU,true", "LSTM,false", "LSTM,true", "CIFG,true"})
    void gradientCheckAcrossChunks(CellType type, boolean masked) {
        MultiLayerNetwork net = CellNets.forGradientCheck(type, false);
        boolean ok = CellNets.gradientCheckOnRandomSequences(net, 7, masked, 17);
        assertTrue(ok, type + " gradient check failed with seven chunks");
    }

    @ParameterizedTest(name = "{0} tbptt={1}")
    @CsvSource({"GRU,0", "GRU,4", "LSTM,0", "LSTM,4", "CIFG,0"})
    void workerOnAndOffGiveIdenticalResults(CellType type, int tbptt) {
        double[][] result = new double[2][];
        for (int run = 0; run < 2; run++) {
            RecurrentCellLayer.setOverlap(run == 0);
            MultiLayerNetwork net = CellNets.stacked(type, 3, 5, 2, DataType.DOUBLE, new NoOp(), 0, false, tbptt, 7);
            INDArray in = CellNets.features(21, DataType.DOUBLE, 4, 3, 9);
            INDArray labels = CellNets.oneHot(22, DataType.DOUBLE, 4, 2, 9);
            INDArray mask = CellNets.lengthsMask(DataType.DOUBLE, 4, 9);
            net.setInput(in);
            net.setLabels(labels);
            net.setLayerMaskArrays(mask, mask);
            net.computeGradientAndScore();
            INDArray g = net.gradient().gradient().dup();
            INDArray out = net.output(in, false, mask, mask);
            result[run] = org.nd4j.linalg.factory.Nd4j.concat(0, g.reshape(g.length()), out.reshape(out.length()),
                    org.nd4j.linalg.factory.Nd4j.scalar(net.score()).reshape(1)).toDoubleVector();
        }
        assertEquals(result[0].length, result[1].length);
        for (int i = 0; i < result[0].length; i++) {
            assertEquals(result[0][i], result[1][i], 0.0, type + ": element " + i + " differs with the worker off");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"GRU", "LSTM", "CIFG"})
    void chunkedEqualsWholeSequenceProducts(CellType type) {
        double[][] result = new double[2][];
        for (int run = 0; run < 2; run++) {
            RecurrentCellLayer.setMinChunkRows(run == 0 ? 1 : 1 << 20);
            MultiLayerNetwork net = CellNets.stacked(type, 3, 5, 2, DataType.DOUBLE, new NoOp(), 0, false, 0, 9);
            net.setInput(CellNets.features(31, DataType.DOUBLE, 4, 3, 9));
            net.setLabels(CellNets.oneHot(32, DataType.DOUBLE, 4, 2, 9));
            net.computeGradientAndScore();
            result[run] = net.gradient().gradient().dup().toDoubleVector();
        }
        for (int i = 0; i < result[0].length; i++) {
            assertEquals(result[1][i], result[0][i], 1e-12, type + ": gradient element " + i);
        }
    }
}
