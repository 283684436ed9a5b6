package org.rnnsuite.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnsuite.charlm.CharLmConfig;
import org.rnnsuite.charlm.CharLmTask;
import org.rnnsuite.charlm.HelloRnn;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.hw.ThreadSettings;
import org.rnnsuite.core.sample.SamplingConfig;
import org.rnnsuite.core.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnnsuite charlm train|sample|eval|hello}: the character language model. */
@Command(name = "charlm", mixinStandardHelpOptions = true,
        description = "Character language model: train on UTF-8 text, sample, evaluate in bits per character.",
        subcommands = {CharLmCommand.Train.class, CharLmCommand.Sample.class, CharLmCommand.Eval.class,
                CharLmCommand.Hello.class, CommandLine.HelpCommand.class})
final class CharLmCommand implements Runnable {
    /** Where {@code sample} and {@code eval} look for a model unless told otherwise. */
    static final String SHIPPED_MODEL = "data/models/charlm";
    /** The shipped corpus, trained on unless {@code --text} says otherwise. */
    static final String DEFAULT_TEXT = "data/text/moby-dick.txt";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a verb: train, sample, eval or hello");
    }

    /** {@code rnnsuite charlm train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a model on text files (or directories of .txt files). Writes model.zip (best on "
                    + "validation), checkpoint.zip, metrics.csv and loss.png (bits per character) into --out.")
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--text", arity = "1..*", paramLabel = "PATH", defaultValue = DEFAULT_TEXT,
                description = "UTF-8 text files or directories of *.txt files, concatenated in order "
                        + "(default: ${DEFAULT-VALUE}).")
        List<Path> texts;

        @CommandLine.Mixin
        RunConfigOptions run = new RunConfigOptions();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
        Path out;

        @Option(names = "--resume", paramLabel = "DIR",
                description = "Continue the run whose output directory this is (same --text); may equal --out.")
        Path resume;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            Integer maxSteps = run.maxSteps();
            TrainingResult r;
            if (resume != null) {
                if (run.customized()) {
                    throw new UserInputException("--resume continues with the stored config; only --max-steps may "
                            + "change (drop --config/--set)");
                }
                r = CharLmTask.resume(texts, resume, maxSteps, out, System.err);
            } else {
                CharLmConfig cfg = run.load(CharLmConfig.class, CharLmConfig.defaults());
                if (maxSteps != null) {
                    cfg = cfg.withMaxSteps(maxSteps);
                }
                r = CharLmTask.train(texts, cfg, out, System.err);
            }
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "steps %d, final training loss %.4f bits/char%s, %,.0f chars/s%n", r.steps(),
                    r.finalTrainLoss(), Double.isNaN(r.bestValidation()) ? "" : String.format(Locale.ROOT,
                            ", best validation %.4f bits/char at step %d", r.bestValidation(), r.bestStep()),
                    r.itemsPerSec());
            pw.println("model: " + r.model());
            pw.flush();
            return 0;
        }
    }

    /** {@code rnnsuite charlm sample}. */
    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Generate text, streaming each character as it is drawn. Same seed, same text.")
    static final class Sample implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", paramLabel = "DIR", defaultValue = SHIPPED_MODEL,
                description = "Model directory or model.zip (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "",
                description = "Text to start from; printed before the generated text.")
        String prime;

        @Option(names = "--length", paramLabel = "N", defaultValue = "500",
                description = "Characters to generate (default: ${DEFAULT-VALUE}).")
        int length;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
                description = "0 = greedy, <1 conservative, >1 varied (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
                description = "Draw among the K most probable characters only; 0 = all (default: ${DEFAULT-VALUE}).")
        int topK;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            SamplingConfig sc;
            try {
                sc = new SamplingConfig(temperature, topK, seed);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--" + e.getMessage().replace("topK", "top-k"));
            }
            ModelBundle bundle = CharLmTask.load(model);
            PrintWriter pw = spec.commandLine().getOut();
            pw.print(prime);
            pw.flush();
            CharLmTask.SampleResult r = CharLmTask.sample(bundle, prime, length, sc, c -> {
                pw.print(c);
                pw.flush();
            });
            pw.println();
            pw.flush();
            if (r.unknownPrimeChars() > 0) {
                spec.commandLine().getErr().println("note: " + r.unknownPrimeChars() + " character(s) of --prime "
                        + "are not in the model's vocabulary and were fed as the unknown symbol");
            }
            return 0;
        }
    }

    /** {@code rnnsuite charlm eval}. */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Bits per character and perplexity of a model on a text.")
    static final class Eval implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", paramLabel = "DIR", defaultValue = SHIPPED_MODEL,
                description = "Model directory or model.zip (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--text", required = true, arity = "1..*", paramLabel = "PATH",
                description = "UTF-8 text files or directories of *.txt files.")
        List<Path> texts;

        @Option(names = "--json", description = "Print {\"bits_per_char\":...,\"chars\":...,\"unknown_chars\":...}.")
        boolean json;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            CharLmTask.EvalResult r = CharLmTask.evaluate(CharLmTask.load(model), texts);
            PrintWriter pw = spec.commandLine().getOut();
            if (json) {
                pw.printf(Locale.ROOT, "{\"bits_per_char\":%.6f,\"chars\":%d,\"unknown_chars\":%d}%n",
                        r.bitsPerChar(), r.chars(), r.unknownChars());
            } else {
                pw.printf(Locale.ROOT, "bits/char %.4f, perplexity %.3f, over %,d characters (%,d unknown to the "
                        + "model, not scored)%n", r.bitsPerChar(), r.perplexity(), r.chars(), r.unknownChars());
            }
            pw.flush();
            return 0;
        }
    }

    /** {@code rnnsuite charlm hello}. */
    @Command(name = "hello", mixinStandardHelpOptions = true,
            description = "The lecture's toy: learn \"hello\" over the vocabulary [h,e,l,o] with a 3-unit tanh RNN; "
                    + "shows the output distribution at each step before and after training, and a sample.")
    static final class Hello implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "300",
                description = "Training steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
                description = "Seed of the initial weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            if (steps < 0) {
                throw new UserInputException("--steps must be >= 0, got " + steps);
            }
            PrintWriter pw = spec.commandLine().getOut();
            pw.print(HelloRnn.run(steps, seed).describe());
            pw.flush();
            return 0;
        }
    }
}
