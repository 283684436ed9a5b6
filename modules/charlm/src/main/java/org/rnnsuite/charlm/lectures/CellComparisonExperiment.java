package org.rnnsuite.charlm.lectures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rnnsuite.charlm.CharLmConfig;
import org.rnnsuite.charlm.CharLmTask;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.plot.LinePlot;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;
import org.rnnsuite.core.train.MetricsRow;
import org.rnnsuite.core.train.TrainerConfig;
import org.rnnsuite.core.train.TrainingResult;

/**
 * GRU vs LSTM on a small and on a larger corpus. The course says GRU, with fewer parameters, learns faster on
 * smaller data. Same hidden size, steps, optimizer and seed; we compare validation bits/char along training and the
 * steps each needs to reach a common target.
 */
public final class CellComparisonExperiment {
    /**
     * @param text       source text (default the shipped Moby-Dick)
     * @param smallChars characters of the small corpus (default 60000)
     * @param largeChars characters of the larger corpus, 0 = all (default 0)
     * @param cells      cells compared (default gru, lstm)
     * @param hidden     units, one layer (default 128)
     * @param steps      training steps per run (default 300)
     * @param seed       seed (default 2)
     */
    public record Config(Path text, int smallChars, int largeChars, List<String> cells, int hidden, int steps,
                         long seed) {
        public Config {
            Check.positive("smallChars", smallChars);
            Check.positive("hidden", hidden);
            Check.positive("steps", steps);
            cells = List.copyOf(cells);
            cells.forEach(CellType::parse);
        }

        public static Config defaults() {
            return new Config(Path.of("data/text/moby-dick.txt"), 60_000, 0, List.of("gru", "lstm"), 128, 300, 2);
        }

        public static Config quick(Path text) {
            return new Config(text, 8_000, 30_000, List.of("lstm", "rnn"), 32, 12, 2);
        }
    }

    private final Config config;

    public CellComparisonExperiment(Config config) {
        this.config = config;
    }

    public ExperimentResult run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ResultTable table = new ResultTable("corpus", "cell", "parameters", "best val bits/char",
                "val bits/char at 1/3 of training", "chars/s");
        StringBuilder finding = new StringBuilder();
        List<Path> plots = new java.util.ArrayList<>();
        for (String size : List.of("small", "large")) {
            int chars = size.equals("small") ? config.smallChars() : config.largeChars();
            Path text = CorpusSlice.of(config.text(), chars, outDir.resolve(size));
            LinePlot plot = new LinePlot("Validation bits/char, " + size + " corpus (" + Files.size(text) / 1000
                    + " kB)", "step", "validation bits/char");
            for (String cell : config.cells()) {
                CharLmConfig d = CharLmConfig.defaults();
                TrainerConfig t = d.trainer();
                int eval = Math.max(1, config.steps() / 12);
                CharLmConfig cfg = new CharLmConfig(new CharLmConfig.ModelConfig(cell, 1, config.hidden(), 0),
                        new CharLmConfig.DataConfig(64, 32, 0.1),
                        new TrainerConfig(t.updater(), t.learningRate(), t.momentum(), t.lrSchedule(), t.lrDecay(),
                                t.lrDecaySteps(), t.clip(), t.clipThreshold(), 64, config.steps(), eval, 0, 0,
                                config.seed(), 60));
                TrainingResult r = CharLmTask.train(List.of(text), cfg,
                        outDir.resolve(size).resolve(cell), null);
                double early = Double.NaN;
                for (MetricsRow m : r.history()) {
                    if (!Double.isNaN(m.valLoss())) {
                        plot.add(cell, m.step(), m.valLoss());
                        if (Double.isNaN(early) && m.step() >= config.steps() / 3) {
                            early = m.valLoss();
                        }
                    }
                }
                long params = CharLmTask.load(r.model()).multiLayerNetwork().numParams();
                table.row(size, cell, params, r.bestValidation(), early, r.itemsPerSec());
                finding.append(String.format(Locale.ROOT, "%s/%s %.3f; ", size, cell, r.bestValidation()));
            }
            Path png = outDir.resolve("cells-" + size + ".png");
            plot.write(png);
            plots.add(png);
        }
        Files.writeString(outDir.resolve("cells.csv"), table.toCsv());
        return new ExperimentResult("GRU vs LSTM on small and larger data",
                "GRU (fewer parameters) learns faster than LSTM on smaller data", table, plots,
                "best validation bits/char: " + finding.toString().replaceAll("; $", "."));
    }
}
