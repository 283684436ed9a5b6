package org.rnnsuite.lectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;

/** Each experiment, at reduced size, shows the effect it claims. */
class ExperimentsTest {
    private static double num(ResultTable t, int row, String col) {
        return Double.parseDouble(t.cell(row, col));
    }

    @Test
    void weightSharingParametersIndependentOfLengthAndTruncationErrorShrinks(@TempDir Path dir) throws Exception {
        ExperimentResult r = new WeightSharingExperiment(WeightSharingExperiment.Config.quick()).run(dir);
        ResultTable t = r.table();
        // rows: (params, step diff) per length, then (tail, error) per K
        assertEquals(t.cell(0, "value"), t.cell(2, "value"));
        assertTrue(num(t, 1, "value") < 1e-5 && num(t, 3, "value") < 1e-5);
        double errK2 = num(t, 5, "value");
        double errK10 = num(t, 9, "value");
        assertTrue(errK10 < errK2 / 4, "error must fall with K: " + errK2 + " -> " + errK10);
        for (Path p : r.plots()) {
            assertTrue(Files.size(p) > 1000, p + " must be a real PNG");
        }
    }

    @Test
    void vanillaGradientVanishesBelowOneAndExplodesAboveOne(@TempDir Path dir) throws Exception {
        ExperimentResult r = new GradientFlowExperiment(GradientFlowExperiment.Config.quick()).run(dir);
        ResultTable t = r.table();
        String ratio = t.columns().get(t.columns().size() - 1);
        double below = num(t, 0, ratio);
        double at = num(t, 1, ratio);
        double above = num(t, 2, ratio);
        assertTrue(below < 1e-3, "sigma 0.5 must vanish: " + below);
        assertTrue(above > 1, "sigma 1.5 must grow: " + above);
        assertTrue(below < at && at < above, below + " < " + at + " < " + above);
    }

    @Test
    void clippingKeepsTheRunThatDivergesWithoutIt(@TempDir Path dir) throws Exception {
        ClippingExperiment e = new ClippingExperiment(ClippingExperiment.Config.quick());
        ClippingExperiment.Run none = e.train("none", dir.resolve("a"));
        ClippingExperiment.Run clipped = e.train("l2", dir.resolve("b"));
        assertTrue(none.divergedAt() > 0, "without clipping the run must diverge");
        assertEquals(-1, clipped.divergedAt());
        assertTrue(clipped.finalLoss() < clipped.history().get(0).trainLoss(), "clipped run must learn");
    }

    @Test
    void gatedCellRemembersAcrossDistractors(@TempDir Path dir) {
        LongRangeExperiment e = new LongRangeExperiment(LongRangeExperiment.Config.quick());
        double acc = e.accuracy(org.rnnsuite.core.cells.CellType.LSTM, 8, dir);
        assertTrue(acc > 0.9, "lstm recall accuracy at distance 8: " + acc);
    }
}
