package org.rnnsuite.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.hw.ThreadSettings;
import org.rnnsuite.speech.SpeechConfig;
import org.rnnsuite.speech.SpeechDataBuilder;
import org.rnnsuite.speech.SpeechEvaluation;
import org.rnnsuite.speech.SpeechModel;
import org.rnnsuite.speech.SpeechModelConfig;
import org.rnnsuite.speech.SpeechTask;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnnsuite speech <verb>}: spoken-word classification from WAV files. */
@Command(name = "speech", mixinStandardHelpOptions = true,
        description = "Spoken-word classifier: WAV -> MFCC -> recurrent network -> word.",
        subcommands = {SpeechCommand.BuildData.class, SpeechCommand.Train.class, SpeechCommand.Ensemble.class,
                SpeechCommand.Classify.class, SpeechCommand.Eval.class})
final class SpeechCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a verb: build-data, train, ensemble, classify or eval");
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    @Command(name = "build-data", mixinStandardHelpOptions = true,
            description = "Synthesize a spoken-word dataset with espeak-ng, flite and festival voices, augmented "
                    + "with sox (noise, reverb, band limits, level, tempo, pitch, padding); split by speaker. Needs "
                    + "the Debian packages: " + SpeechDataBuilder.APT_PACKAGES + ".")
    static final class BuildData implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--out", required = true, description = "Dataset folder to create or complete.")
        Path out;
        @Option(names = "--seed", defaultValue = "2024", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--per-voice", defaultValue = "6",
                description = "Takes of each word per espeak-ng speaker; natural voices get more, see "
                        + "--natural-train-factor (default: ${DEFAULT-VALUE}).")
        int perVoice;
        @Option(names = "--words", split = ",", description = "Vocabulary, comma-separated (default: zero..nine).")
        List<String> words;
        @Option(names = "--test-percent", defaultValue = "20", description = "Percent of speakers for test (default: ${DEFAULT-VALUE}).")
        int testPercent;
        @Option(names = "--valid-percent", defaultValue = "10", description = "Percent of speakers for validation (default: ${DEFAULT-VALUE}).")
        int validPercent;
        @Option(names = "--threads", defaultValue = "2", description = "Parallel synthesis jobs (default: ${DEFAULT-VALUE}).")
        int threads;
        @Option(names = "--random-speakers", defaultValue = "48",
                description = "Extra training-only speakers drawn as espeak-ng voice variants (men, women, children; "
                        + "default: ${DEFAULT-VALUE}).")
        int randomSpeakers;
        @Option(names = "--natural-train-factor", defaultValue = "8",
                description = "Takes of the natural (recorded-person) voices in training, as a multiple of --per-voice "
                        + "(validation and test: 4; default: ${DEFAULT-VALUE}).")
        int naturalTrainFactor;
        @Option(names = "--accented-voices", defaultValue = "true", arity = "1", paramLabel = "true|false",
                description = "Also hear women speaking the digits with a Catalan, Finnish or Czech accent "
                        + "(festival voices of those languages; training, and validation for the Catalan one, see "
                        + "--accented-validation; default: ${DEFAULT-VALUE}).")
        boolean accented;
        @Option(names = "--accented-validation", defaultValue = "true", arity = "1", paramLabel = "true|false",
                description = "Hear the accented Catalan woman (festival's HTS voice upc_ca_ona_hts) in validation "
                        + "instead of training, so validation holds a natural woman's voice through an HTS vocoder "
                        + "as test does (default: ${DEFAULT-VALUE}).")
        boolean accentedValidation;
        @Option(names = "--vocoded-percent", defaultValue = "0",
                description = "Percent of training clips whose voice is resynthesized by a mel-cepstral vocoder (SPTK) "
                        + "before room, microphone and noise: envelope and pitch kept, the synthesizer's own "
                        + "excitation replaced, half of them whispered; validation and test never; needs SPTK "
                        + "(0..100, default: ${DEFAULT-VALUE}).")
        int vocodedPercent;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            SpeechDataBuilder.Options o;
            try {
                o = new SpeechDataBuilder.Options(seed, perVoice, words == null ? SpeechDataBuilder.DIGITS : words,
                        testPercent, validPercent, threads, randomSpeakers,
                        naturalTrainFactor, accented, accentedValidation, vocodedPercent);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            SpeechDataBuilder.Summary s = new SpeechDataBuilder(o, System.err).build(out);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "dataset %s: %s clips (%d made, %d already there) in %.0f s%n", out,
                    s.clipsPerSplit(), s.created(), s.kept(), s.seconds());
            s.speakersPerSplit().forEach((k, v) -> w.printf("%s speakers (%d): %s%n", k, v.size(),
                    String.join(" ", v)));
            w.flush();
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train on DIR/train (or a folder-per-label tree split by speaker), validate, and report "
                    + "accuracy on the held-out test speakers.")
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--data", required = true, description = "Dataset folder.")
        Path data;
        @Option(names = "--out", required = true, description = "Output folder (model.zip, metrics, plots).")
        Path out;
        @CommandLine.Mixin
        RunConfigOptions run = new RunConfigOptions();
        @Option(names = "--resume", paramLabel = "DIR",
                description = "Continue the run whose checkpoint.zip is in this directory (same --data); may equal "
                        + "--out. Only --max-steps may change.")
        Path resume;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            if (resume != null && run.customized()) {
                throw new UserInputException("--resume continues with the stored config; only --max-steps may "
                        + "change (drop --config/--set)");
            }
            SpeechConfig cfg = resume != null ? SpeechConfig.defaults()
                    : run.load(SpeechConfig.class, SpeechConfig.defaults());
            Integer maxSteps = run.maxSteps();
            if (resume != null && maxSteps == null) {
                throw new UserInputException("--resume needs --max-steps: the new total number of steps");
            }
            if (maxSteps != null) {
                cfg = cfg.withTrainer(cfg.trainer().withMaxSteps(maxSteps));
            }
            SpeechTask.TrainResult r = SpeechTask.train(data, out, cfg, resume, System.err);
            PrintWriter w = spec.commandLine().getOut();
            SpeechModelConfig m = cfg.model();
            w.printf(Locale.ROOT, "trained %d steps on %d clips (%s%s, %d x %d%s, readout %s) in %.0f s%n",
                    r.training().steps(), r.trainClips(), m.convolutional() ? String.format(Locale.ROOT,
                            "%d filters of %d mel bands, pooled by %d, then ", m.convFilters(), m.convKernel(),
                            m.convPool()) : "", m.cell(), m.layers(), m.hidden(),
                    m.bidirectional() ? " bidirectional" : "", m.readout(), r.seconds());
            if (!Double.isNaN(r.validAccuracy())) {
                w.printf(Locale.ROOT, "validation accuracy %s%s%n", pct(r.validAccuracy()),
                        Double.isNaN(r.training().bestValidation()) ? "" : String.format(Locale.ROOT,
                                " (best validation loss %.4f at step %d)", r.training().bestValidation(),
                                r.training().bestStep()));
            }
            if (r.test() != null) {
                w.printf(Locale.ROOT, "test accuracy (held-out speakers) %s on %d clips%n", pct(r.test().accuracy()),
                        r.test().utterances());
            }
            w.println("model: " + r.training().model());
            w.flush();
            return 0;
        }
    }

    @Command(name = "ensemble", mixinStandardHelpOptions = true,
            description = "Combine models trained on the same data (e.g. with different trainer.seed) into one "
                    + "model that averages their class probabilities; classify, --stream and eval take it like any "
                    + "model.")
    static final class Ensemble implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--out", required = true, description = "Output folder (model.zip; with --data also "
                + "eval-test.json and confusion-test.png).")
        Path out;
        @Option(names = "--data", description = "Dataset folder: evaluate the ensemble on its test split.")
        Path data;
        @Option(names = "--test-warp", paramLabel = "W", description = "Classify each clip also with its filterbank "
                + "warped by 1-W and 1+W and average (0 disables; default: the first member's augment.testWarp).")
        Double testWarp;
        @Parameters(paramLabel = "MODEL", arity = "2..*", description = "Model folders or model.zip files.")
        List<Path> models;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            SpeechTask.EnsembleResult r = SpeechTask.ensemble(models, out, data, testWarp);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "ensemble of %d networks: %s%n", r.members(), r.model());
            if (r.test() != null) {
                w.printf(Locale.ROOT, "test accuracy (held-out speakers) %s on %d clips%n", pct(r.test().accuracy()),
                        r.test().utterances());
            }
            w.flush();
            return 0;
        }
    }

    @Command(name = "classify", mixinStandardHelpOptions = true,
            description = "Classify WAV files (any PCM rate, depth, channels); --stream shows the running decision.")
    static final class Classify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", required = true, description = "Model folder or model.zip.")
        Path model;
        @Parameters(arity = "1..*", paramLabel = "FILE.wav", description = "Audio files.")
        List<Path> files;
        @Option(names = "--json", description = "Print JSON: [{file, label, probabilities}].")
        boolean json;
        @Option(names = "--stream", description = "Feed frames one at a time through the network's state and "
                + "print the running decision.")
        boolean stream;
        @Option(names = "--chunk-ms", defaultValue = "100", description = "With --stream: audio per network call, "
                + "ms; rounded to whole frames (default: ${DEFAULT-VALUE}). GRU, LSTM and CIFG networks step in "
                + "plain Java one frame at a time and ignore it.")
        double chunkMs;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            SpeechModel m = SpeechModel.load(model);
            List<SpeechTask.Prediction> preds = SpeechTask.classify(m, files);
            List<SpeechTask.StreamResult> streams = new ArrayList<>();
            if (stream) {
                int chunk = (int) Math.max(1, Math.round(chunkMs / m.config().features().hopMs()));
                for (Path f : files) {
                    streams.add(SpeechTask.stream(m, f, chunk));
                }
            }
            PrintWriter w = spec.commandLine().getOut();
            if (json) {
                ArrayNode arr = Configs.mapper().createArrayNode();
                for (int i = 0; i < preds.size(); i++) {
                    SpeechTask.Prediction p = preds.get(i);
                    ObjectNode o = arr.addObject();
                    o.put("file", p.file());
                    o.put("label", p.label());
                    ObjectNode probs = o.putObject("probabilities");
                    p.probabilities().forEach(probs::put);
                    if (stream) {
                        SpeechTask.StreamResult s = streams.get(i);
                        ObjectNode so = o.putObject("stream");
                        so.put("frame_ms", s.hopMs());
                        so.put("settled_ms", s.settledFrame() * s.hopMs());
                        so.put("duration_ms", s.labels().size() * s.hopMs());
                        so.put("real_time_factor", s.realTimeFactor());
                        so.put("real_time_factor_cpu", s.cpuRealTimeFactor());
                        so.set("decisions", Configs.mapper().valueToTree(s.labels()));
                    }
                }
                w.println(Configs.toJson(arr));
            } else {
                for (int i = 0; i < preds.size(); i++) {
                    SpeechTask.Prediction p = preds.get(i);
                    w.printf(Locale.ROOT, "%s: %s (%.3f)  %s%n", p.file(), p.label(), p.probabilities().get(p.label()),
                            top(p.probabilities(), 3));
                    if (stream) {
                        printStream(w, streams.get(i));
                    }
                }
            }
            w.flush();
            return 0;
        }

        private static String top(Map<String, Double> probs, int k) {
            return probs.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(k)
                    .map(e -> String.format(Locale.ROOT, "%s=%.3f", e.getKey(), e.getValue()))
                    .reduce((a, b) -> a + " " + b).orElse("");
        }

        private static void printStream(PrintWriter w, SpeechTask.StreamResult s) {
            String prev = null;
            for (int t = 0; t < s.labels().size(); t++) {
                String l = s.labels().get(t);
                if (!l.equals(prev)) {
                    w.printf(Locale.ROOT, "  %6.0f ms  %-8s %.3f%n", t * s.hopMs(), l, s.confidence()[t]);
                    prev = l;
                }
            }
            w.printf(Locale.ROOT, "  decided '%s' from %.0f ms of %.0f ms; real-time factor %.1fx (%.1fx per CPU "
                            + "second of this thread)%n", s.finalLabel(), s.settledFrame() * s.hopMs(),
                    s.labels().size() * s.hopMs(), s.realTimeFactor(), s.cpuRealTimeFactor());
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Accuracy, per-class precision/recall/F1 and a confusion-matrix PNG on DIR/test (or on "
                    + "every clip of a folder-per-label tree).")
    static final class Eval implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", required = true, description = "Model folder or model.zip.")
        Path model;
        @Option(names = "--data", required = true, description = "Dataset folder.")
        Path data;
        @Option(names = "--png", defaultValue = "confusion.png",
                description = "Where to write the confusion matrix (default: ${DEFAULT-VALUE}).")
        Path png;
        @Option(names = "--json", description = "Print JSON: {accuracy, per_class, utterances, per_speaker, ...}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ThreadSettings.applyDefaults();
            SpeechModel m = SpeechModel.load(model);
            SpeechEvaluation e = SpeechTask.evaluate(m, data);
            org.rnnsuite.speech.ConfusionMatrixPlot.write(png, e, "Confusion matrix: " + data.getFileName());
            PrintWriter w = spec.commandLine().getOut();
            if (json) {
                w.println(Configs.toJson(e.toJson()));
            } else {
                w.printf(Locale.ROOT, "accuracy %s on %d clips, log-loss %.4f nats per clip%n", pct(e.accuracy()),
                        e.utterances(), e.logLoss());
                w.printf(Locale.ROOT, "%-10s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "clips");
                e.perClass().forEach((k, v) -> w.printf(Locale.ROOT, "%-10s %9.3f %9.3f %9.3f %8d%n", k,
                        v.precision(), v.recall(), v.f1(), v.support()));
                var speakers = e.speakersByAccuracy();
                if (speakers.size() > 1) {
                    int shown = Math.min(speakers.size(), 10);
                    w.printf(Locale.ROOT, "speakers (%d), least recognized first:%n", speakers.size());
                    for (var s : speakers.subList(0, shown)) {
                        w.printf(Locale.ROOT, "  %-28s %8s %5d/%d%n", s.getKey(), pct(s.getValue().accuracy()),
                                s.getValue().correct(), s.getValue().clips());
                    }
                    if (shown < speakers.size()) {
                        w.printf(Locale.ROOT, "  ... %d more (all in --json)%n", speakers.size() - shown);
                    }
                }
                w.println("confusion matrix: " + png);
            }
            w.flush();
            return 0;
        }
    }
}
