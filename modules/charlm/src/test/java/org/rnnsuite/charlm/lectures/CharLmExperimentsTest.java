package org.rnnsuite.charlm.lectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.charlm.CharLmConfig;
import org.rnnsuite.charlm.CharLmTask;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;
import org.rnnsuite.core.train.TrainerConfig;

/** The char-LM lecture experiments at reduced size: they run, and their measurements have the expected shape. */
class CharLmExperimentsTest {
    private static final Path MOBY = Path.of("../../data/text/moby-dick.txt");

    private static double num(ResultTable t, int row, String col) {
        return Double.parseDouble(t.cell(row, col));
    }

    @Test
    void truncationNeedsLessMemoryThanFullBptt(@TempDir Path dir) throws Exception {
        ExperimentResult r = new TbpttExperiment(TbpttExperiment.Config.quick(MOBY)).run(dir);
        ResultTable t = r.table();
        assertEquals("k=10", t.cell(0, "truncation"));
        assertEquals("full BPTT", t.cell(1, "truncation"));
        assertTrue(num(t, 0, "workspace MB") < num(t, 1, "workspace MB"), t.toString());
        for (int i = 0; i < 2; i++) {
            assertTrue(num(t, i, "val bits/char") < 7, t.toString());
        }
        assertTrue(Files.size(r.plots().get(0)) > 1000);
    }

    @Test
    void cellComparisonReportsBothCorpora(@TempDir Path dir) throws Exception {
        ExperimentResult r = new CellComparisonExperiment(CellComparisonExperiment.Config.quick(MOBY)).run(dir);
        assertEquals(4, r.table().rows().size());
        assertEquals(2, r.plots().size());
        // the LSTM has 4 gate blocks to the vanilla RNN's one: more parameters at the same size
        assertTrue(num(r.table(), 0, "parameters") > num(r.table(), 1, "parameters"));
    }

    @Test
    void higherTemperatureGivesHigherEntropy(@TempDir Path dir) throws Exception {
        TrainerConfig t = TrainerConfig.defaults();
        CharLmConfig cfg = new CharLmConfig(new CharLmConfig.ModelConfig("lstm", 1, 32, 0),
                new CharLmConfig.DataConfig(32, 16, 0.1), new TrainerConfig(t.updater(), 0.01, t.momentum(),
                t.lrSchedule(), t.lrDecay(), t.lrDecaySteps(), t.clip(), t.clipThreshold(), 32, 30, 0, 0, 0, 1, 60));
        Path text = CorpusSlice.of(MOBY, 20_000, dir);
        CharLmTask.train(List.of(text), cfg, dir.resolve("model"), null);
        ExperimentResult r = new TemperatureExperiment(TemperatureExperiment.Config.quick(dir.resolve("model")))
                .run(dir.resolve("temperature"));
        ResultTable table = r.table();
        double greedy = num(table, 0, "char entropy (bits)");
        double one = num(table, 1, "char entropy (bits)");
        double hot = num(table, 2, "char entropy (bits)");
        assertTrue(greedy < one && one < hot, greedy + " < " + one + " < " + hot);
        assertTrue(Files.readString(dir.resolve("temperature/samples.txt")).contains("=== temperature 2.0 ==="));
    }

    @Test
    void entropyOfKnownStrings() {
        assertEquals(0.0, TemperatureExperiment.entropy("aaaa", 1), 1e-12);
        assertEquals(1.0, TemperatureExperiment.entropy("abab", 1), 1e-12);
        assertEquals(2.0, TemperatureExperiment.entropy("abcd", 1), 1e-12);
        assertEquals(2.0 / 7, TemperatureExperiment.distinctWindows("abababab", 2), 1e-12);
        assertEquals(1.0, TemperatureExperiment.distinctWindows("abcdefgh", 2), 1e-12);
    }
}
