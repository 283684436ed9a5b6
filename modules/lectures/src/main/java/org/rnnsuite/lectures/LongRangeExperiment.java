package org.rnnsuite.lectures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.bundle.Provenance;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.plot.LinePlot;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;
import org.rnnsuite.core.train.Trainer;
import org.rnnsuite.core.train.TrainerConfig;

/**
 * Long-term dependencies: accuracy on "remember the first symbol through T distractors" ({@link RecallTask}) as T
 * grows, for every cell, with the same budget of training steps. Chance is 0.25.
 */
public final class LongRangeExperiment {
    /**
     * @param cells     cells to compare (default rnn, lstm, peephole, cifg, gru)
     * @param distances distances T (default 5, 10, 20, 40)
     * @param hidden    hidden units (default 32)
     * @param steps     training steps per run (default 400)
     * @param batch     sequences per step (default 32)
     * @param learningRate Adam learning rate (default 0.01)
     * @param seed      seed (default 3)
     */
    public record Config(List<String> cells, List<Integer> distances, int hidden, int steps, int batch,
                         double learningRate, long seed) {
        public Config {
            cells = List.copyOf(cells);
            cells.forEach(CellType::parse);
            distances = List.copyOf(distances);
            Check.positive("hidden", hidden);
            Check.positive("steps", steps);
            Check.positive("batch", batch);
            Check.positive("learningRate", learningRate);
        }

        public static Config defaults() {
            return new Config(List.of("rnn", "lstm", "peephole", "cifg", "gru"), List.of(5, 10, 20, 40), 32, 400,
                    32, 0.01, 3);
        }

        public static Config quick() {
            return new Config(List.of("rnn", "lstm"), List.of(3, 8), 16, 60, 16, 0.02, 3);
        }
    }

    private final Config config;

    public LongRangeExperiment(Config config) {
        this.config = config;
    }

    /** Accuracy of one cell at one distance after training. */
    public double accuracy(CellType cell, int distance, Path outDir) {
        RecallTask task = new RecallTask(4, 4, distance, config.batch(), config.seed());
        MultiLayerNetwork net = Nets.classifier(cell, task.inputSize(), config.hidden(), 4, config.seed());
        TrainerConfig tc = new TrainerConfig("adam", config.learningRate(), 0.9, "constant", 1, 1, "l2", 5.0, 0,
                config.steps(), 0, 0, 0, config.seed(), 30);
        new Trainer(tc, outDir).progressTo(null).fit(net, task,
                m -> ModelBundle.of("lectures-long-range", m, config, Provenance.current(config.seed(), "")));
        return RecallTask.accuracy(net, task.batch(512, config.seed() + 1000 + distance));
    }

    public ExperimentResult run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        String[] cols = new String[config.distances().size() + 1];
        cols[0] = "cell";
        for (int i = 0; i < config.distances().size(); i++) {
            cols[i + 1] = "T=" + config.distances().get(i);
        }
        ResultTable table = new ResultTable(cols);
        LinePlot plot = new LinePlot("Remember the first symbol through T distractors (" + config.steps()
                + " steps each)", "T (distance)", "test accuracy (chance 0.25)");
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (String c : config.cells()) {
            CellType cell = CellType.parse(c);
            double[] a = new double[config.distances().size()];
            Object[] row = new Object[cols.length];
            row[0] = cell.id();
            for (int i = 0; i < a.length; i++) {
                int d = config.distances().get(i);
                a[i] = accuracy(cell, d, outDir.resolve("runs").resolve(cell.id() + "-T" + d));
                row[i + 1] = a[i];
                plot.add(cell.id(), d, a[i]);
            }
            acc.put(cell.id(), a);
            table.row(row);
        }
        Path png = outDir.resolve("long-range.png");
        plot.write(png);
        Files.writeString(outDir.resolve("long-range.csv"), table.toCsv());
        StringBuilder f = new StringBuilder("accuracy at the longest distance T=")
                .append(config.distances().get(config.distances().size() - 1)).append(": ");
        acc.forEach((k, v) -> f.append(String.format(Locale.ROOT, "%s %.2f, ", k, v[v.length - 1])));
        return new ExperimentResult("Long-term dependencies",
                "gated cells (LSTM, GRU and variants) carry information across many more steps than a vanilla RNN",
                table, List.of(png), f.toString().replaceAll(", $", "."));
    }
}
