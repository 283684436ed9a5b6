package org.rnnsuite.charlm.lectures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnsuite.charlm.CharLmTask;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.plot.LinePlot;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;
import org.rnnsuite.core.sample.SamplingConfig;

/**
 * Sampling temperature. The same model sampled at several temperatures: T = 0 is greedy (and soon loops), T < 1
 * sharpens the distribution, T = 1 draws from the model, T > 1 flattens it towards noise. We measure the entropy of
 * each sample's character distribution and of its character bigrams, and the fraction of distinct 20-character
 * windows (1 = no repetition).
 */
public final class TemperatureExperiment {
    /**
     * @param model        model bundle or directory (default the shipped data/models/charlm)
     * @param temperatures temperatures (default 0, 0.3, 0.6, 0.8, 1.0, 1.3, 1.8)
     * @param length       characters per sample (default 2000)
     * @param prime        priming text (default "The whale")
     * @param seed         sampling seed (default 7)
     */
    public record Config(Path model, List<Double> temperatures, int length, String prime, long seed) {
        public Config {
            temperatures = List.copyOf(temperatures);
            Check.positive("length", length);
        }

        public static Config defaults() {
            return new Config(Path.of("data/models/charlm"), List.of(0.0, 0.3, 0.6, 0.8, 1.0, 1.3, 1.8), 2000,
                    "The whale", 7);
        }

        public static Config quick(Path model) {
            return new Config(model, List.of(0.0, 1.0, 2.0), 300, "The ", 7);
        }
    }

    private final Config config;

    public TemperatureExperiment(Config config) {
        this.config = config;
    }

    public ExperimentResult run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ModelBundle model = CharLmTask.load(config.model());
        ResultTable table = new ResultTable("temperature", "char entropy (bits)", "bigram entropy (bits)",
                "distinct 20-grams", "sample");
        LinePlot plot = new LinePlot("Sample entropy vs temperature", "temperature", "bits");
        StringBuilder samples = new StringBuilder();
        for (double t : config.temperatures()) {
            String text = CharLmTask.sample(model, config.prime(), config.length(),
                    new SamplingConfig(t, 0, config.seed()), null).text();
            double h1 = entropy(text, 1);
            double h2 = entropy(text, 2);
            double distinct = distinctWindows(text, 20);
            String snippet = text.substring(0, Math.min(60, text.length())).replace("\n", "\\n");
            table.row(t, h1, h2, distinct, snippet);
            plot.add("character entropy", t, h1);
            plot.add("bigram entropy", t, h2);
            samples.append("=== temperature ").append(t).append(" ===\n").append(config.prime()).append(text)
                    .append("\n\n");
        }
        Path png = outDir.resolve("temperature.png");
        plot.write(png);
        Files.writeString(outDir.resolve("samples.txt"), samples.toString());
        Files.writeString(outDir.resolve("temperature.csv"), table.toCsv());
        return new ExperimentResult("Sampling temperature",
                "low temperature gives repetitive, high-probability text; high temperature gives varied text that "
                        + "drifts into noise",
                table, List.of(png), String.format(Locale.ROOT, "character entropy rises from %s bits (T=%s) to %s "
                        + "bits (T=%s); full samples in %s", table.rows().get(0).get(1), config.temperatures().get(0),
                table.rows().get(table.rows().size() - 1).get(1),
                config.temperatures().get(config.temperatures().size() - 1), outDir.resolve("samples.txt")));
    }

    /** Entropy in bits of the distribution of n-grams of the text. */
    static double entropy(String text, int n) {
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        for (int i = 0; i + n <= text.length(); i++) {
            counts.merge(text.substring(i, i + n), 1, Integer::sum);
            total++;
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / total;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    /** Fraction of distinct windows of length n among all windows. */
    static double distinctWindows(String text, int n) {
        if (text.length() < n) {
            return 1;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        int total = 0;
        for (int i = 0; i + n <= text.length(); i++) {
            seen.add(text.substring(i, i + n));
            total++;
        }
        return (double) seen.size() / total;
    }
}
