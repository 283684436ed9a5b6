package org.rnnsuite.charlm.lectures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.charlm.CharLmConfig;
import org.rnnsuite.charlm.CharLmTask;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.plot.LinePlot;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;
import org.rnnsuite.core.train.MetricsRow;
import org.rnnsuite.core.train.TrainerConfig;
import org.rnnsuite.core.train.TrainingResult;

/**
 * Full BPTT vs truncated BPTT on the character language model. The same model, data and number of steps; only the
 * truncation length k changes (k = sequence length is full BPTT). Truncation bounds the memory a step needs
 * (activations of k steps, not the whole sequence) and gives k-step gradient paths; we measure validation
 * bits/char, time per step and the ND4J workspace memory the training loop settled on.
 */
public final class TbpttExperiment {
    /**
     * @param text      training text (default the shipped Moby-Dick)
     * @param chars     characters of the text used, 0 = all (default 200000)
     * @param seqLength characters per training sequence (default 100)
     * @param ks        truncation lengths; 0 or seqLength means full BPTT (default 10, 25, 50, 0)
     * @param hidden    LSTM units, one layer (default 128)
     * @param steps     training steps per run (default 150)
     * @param seed      seed (default 1)
     */
    public record Config(Path text, int chars, int seqLength, List<Integer> ks, int hidden, int steps, long seed) {
        public Config {
            Check.positive("seqLength", seqLength);
            Check.positive("hidden", hidden);
            Check.positive("steps", steps);
            ks = List.copyOf(ks);
            for (int k : ks) {
                if (k < 0 || (k > 0 && seqLength % k != 0)) {
                    throw new IllegalArgumentException("each k must divide seqLength " + seqLength + ", got " + k);
                }
            }
        }

        public static Config defaults() {
            return new Config(Path.of("data/text/moby-dick.txt"), 200_000, 100, List.of(10, 25, 50, 0), 128, 150, 1);
        }

        public static Config quick(Path text) {
            return new Config(text, 30_000, 40, List.of(10, 0), 32, 12, 1);
        }
    }

    private final Config config;

    public TbpttExperiment(Config config) {
        this.config = config;
    }

    public ExperimentResult run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path text = CorpusSlice.of(config.text(), config.chars(), outDir);
        ResultTable table = new ResultTable("truncation", "val bits/char", "ms/step", "workspace MB");
        LinePlot plot = new LinePlot("Full vs truncated BPTT (" + config.steps() + " steps, seq "
                + config.seqLength() + ")", "step", "validation bits/char").markers("full BPTT");
        StringBuilder finding = new StringBuilder();
        for (int k : config.ks()) {
            boolean full = k == 0 || k == config.seqLength();
            String name = full ? "full BPTT" : "k=" + k;
            CharLmConfig d = CharLmConfig.defaults();
            TrainerConfig t = d.trainer();
            int eval = Math.max(1, config.steps() / 6);
            CharLmConfig cfg = new CharLmConfig(new CharLmConfig.ModelConfig("lstm", 1, config.hidden(), 0),
                    new CharLmConfig.DataConfig(config.seqLength(), 32, 0.05),
                    new TrainerConfig(t.updater(), t.learningRate(), t.momentum(), t.lrSchedule(), t.lrDecay(),
                            t.lrDecaySteps(), t.clip(), t.clipThreshold(), full ? 0 : k, config.steps(), eval, 0,
                            0, config.seed(), 60));
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            TrainingResult r = CharLmTask.train(List.of(text), cfg, outDir.resolve(full ? "full" : "k" + k), null);
            double workspaceMb = 0;
            for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
                workspaceMb += ws.getCurrentSize() / 1e6;
            }
            double msPerStep = 1000.0 * config.seqLength() * 32 / r.itemsPerSec();
            for (MetricsRow m : r.history()) {
                if (!Double.isNaN(m.valLoss())) {
                    plot.add(name, m.step(), m.valLoss());
                }
            }
            table.row(name, r.bestValidation(), msPerStep, workspaceMb);
            finding.append(String.format(Locale.ROOT, "%s %.3f bits/char at %.0f ms/step; ", name,
                    r.bestValidation(), msPerStep));
        }
        Path png = outDir.resolve("tbptt.png");
        plot.write(png);
        Files.writeString(outDir.resolve("tbptt.csv"), table.toCsv());
        return new ExperimentResult("Full BPTT vs truncated BPTT",
                "truncated BPTT trades gradient paths longer than k for less memory per step; on character "
                        + "modelling moderate k loses little quality",
                table, List.of(png), finding.toString().replaceAll("; $", "."));
    }
}
