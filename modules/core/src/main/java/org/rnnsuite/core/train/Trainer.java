package org.rnnsuite.core.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.AtomicFiles;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.plot.LinePlot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains any MultiLayerNetwork or ComputationGraph on a {@link BatchSource}, one minibatch per step.
 *
 * <p>Writes into its output directory: {@value #CHECKPOINT} (latest weights, updater state, step, data position;
 * what {@code --resume} reads), {@value ModelBundle#MODEL_FILE} (the model users load: best on validation, or the
 * latest when there is no validation), {@code metrics.csv} and {@code loss.png}. Every file is replaced
 * atomically, so a crash at any moment leaves the previous version intact.
 *
 * <p>Randomness: before each step the ND4J generator is re-seeded from the run's seed and the step number, so
 * dropout masks depend only on (seed, step) and a resumed run draws the same masks as an uninterrupted one.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** File name of the resumable checkpoint in the output directory. */
    public static final String CHECKPOINT = "checkpoint.zip";

    /** Computes the validation loss (lower is better), in the same unit as the training loss. */
    @FunctionalInterface
    public interface Validator {
        double validate(Model net);
    }

    /** Packs the network with the task's config, vocabulary and provenance. */
    @FunctionalInterface
    public interface BundleMaker {
        ModelBundle bundle(Model net);
    }

    private final TrainerConfig config;
    private final Path outDir;
    private String lossLabel = "loss";
    private double lossScale = 1.0;
    private Validator validator;
    private PrintStream progressOut = System.err;

    public Trainer(TrainerConfig config, Path outDir) {
        this.config = Objects.requireNonNull(config, "config");
        this.outDir = Objects.requireNonNull(outDir, "outDir");
    }

    /**
     * The unit losses are reported in; DL4J's losses (nats per time step, see {@link Networks#perStepLoss}) are
     * multiplied by {@code scale}, e.g. {@code ("bits/char", 1 / ln 2)}.
     */
    public Trainer lossUnit(String label, double scale) {
        this.lossLabel = label;
        this.lossScale = scale;
        return this;
    }

    public Trainer validator(Validator v) {
        this.validator = v;
        return this;
    }

    /** Where progress lines go (standard error by default); {@code null} silences them. */
    public Trainer progressTo(PrintStream out) {
        this.progressOut = out;
        return this;
    }

    public TrainerConfig config() {
        return config;
    }

    /** Trains a fresh network: applies this config's updater, clipping and TBPTT to it first. */
    public TrainingResult fit(Model net, BatchSource data, BundleMaker bundles) {
        Networks.applyTraining(net, config);
        return run(net, data, bundles, new TrainerState(0, data.state(), Double.NaN, -1, 0, 0, List.of()));
    }

    /** Continues from a checkpoint: network with updater state, and the trainer state stored beside it. */
    public TrainingResult resume(Model net, BatchSource data, BundleMaker bundles, TrainerState state) {
        data.restore(state.dataState());
        return run(net, data, bundles, state);
    }

    /** Reads the trainer state of a checkpoint bundle (loaded with its updater). */
    public static TrainerState stateOf(ModelBundle checkpoint) {
        return checkpoint.jsonArtifact(TrainerState.ARTIFACT, TrainerState.class);
    }

    /**
     * The checkpoint of an earlier run of {@code task} in {@code resumeDir} (with its updater state), for continuing
     * up to {@code maxSteps} in total; throws naming the directory if the run is already that far.
     */
    public static ModelBundle checkpointToResume(Path resumeDir, String task, int maxSteps) {
        ModelBundle checkpoint = ModelBundle.load(checkpointIn(resumeDir), task, true);
        int done = stateOf(checkpoint).step();
        if (done >= maxSteps) {
            throw new UserInputException("the checkpoint in " + resumeDir + " is at step " + done
                    + "; ask for more steps with --max-steps");
        }
        return checkpoint;
    }

    /** The checkpoint file of an output directory given to {@code --resume}; throws naming it if absent. */
    public static Path checkpointIn(Path resumeDir) {
        Path f = Files.isDirectory(resumeDir) ? resumeDir.resolve(CHECKPOINT) : resumeDir;
        if (!Files.isRegularFile(f)) {
            throw new UserInputException("cannot resume: " + f + " does not exist (point --resume at the output "
                    + "directory of an earlier train run)");
        }
        return f;
    }

    private TrainingResult run(Model net, BatchSource data, BundleMaker bundles, TrainerState start) {
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UserInputException("cannot create output directory " + outDir + ": " + e.getMessage(), e);
        }
        List<MetricsRow> history = new ArrayList<>(start.history());
        int step = start.step();
        double best = start.bestValidation();
        int bestStep = start.bestStep();
        int noGain = start.validationsWithoutGain();
        double elapsedBefore = start.elapsedSec();
        int recordEvery = Math.max(1, config.maxSteps() / 2000);
        int lastCheckpointStep = step;
        boolean stoppedEarly = false;
        double lastLoss = Double.NaN;
        ProgressLine progress = progressOut == null ? null : new ProgressLine(progressOut, config.progressSeconds());
        long sessionItems = 0;
        int sessionSteps = 0;
        long t0 = System.nanoTime();
        long fitNanos = 0;
        String unit = data.itemUnit();

        if (step == 0 && config.evalEvery() > 0 && validator != null) {
            double v = validator.validate(net);
            history.add(new MetricsRow(0, Double.NaN, v, lr(net), Double.NaN, Double.NaN, 0));
            message(progress, String.format(Locale.ROOT, "step 0: validation %s %.4f", lossLabel, v));
        }
        while (step < config.maxSteps() && !stoppedEarly) {
            Nd4j.getRandom().setSeed(config.seed() * 1_000_003L + step);
            long fitStart = System.nanoTime();
            MultiDataSet batch = data.next();
            Networks.fit(net, batch);
            fitNanos += System.nanoTime() - fitStart;
            double loss = Networks.perStepLoss(net.score(), batch, config.tbpttLength()) * lossScale;
            if (!Double.isFinite(loss)) {
                if (progress != null) {
                    progress.finish();
                }
                Path ckpt = outDir.resolve(CHECKPOINT);
                String kept = Files.exists(ckpt) ? "the last good checkpoint " + ckpt + " (step " + lastCheckpointStep
                        + ") is kept" : "no checkpoint had been written yet";
                throw new TrainingDivergedException(String.format(Locale.ROOT,
                        "training diverged at step %d: the loss is %s; %s. Lower trainer.learningRate (now %g) or "
                                + "enable clipping (trainer.clip=l2, now %s)",
                        step + 1, loss, kept, config.learningRate(), config.clip()), step + 1, history);
            }
            lastLoss = loss;
            step++;
            sessionSteps++;
            sessionItems += data.itemCount(batch);
            double sessionSec = (System.nanoTime() - t0) / 1e9;
            // rates count training steps only: validation and checkpoint time would make them depend on cadence
            double stepsPerSec = sessionSteps / (fitNanos / 1e9);
            double itemsPerSec = sessionItems / (fitNanos / 1e9);

            double val = Double.NaN;
            boolean last = step == config.maxSteps();
            if (validator != null && config.evalEvery() > 0 && (step % config.evalEvery() == 0 || last)) {
                val = validator.validate(net);
                boolean improved = Double.isNaN(best) || val < best;
                if (improved) {
                    best = val;
                    bestStep = step;
                    noGain = 0;
                    saveBundle(bundles.bundle(net), outDir.resolve(ModelBundle.MODEL_FILE), false);
                } else {
                    noGain++;
                }
                message(progress, String.format(Locale.ROOT, "step %d: validation %s %.4f%s", step, lossLabel, val,
                        improved ? " (best)" : " (best " + String.format(Locale.ROOT, "%.4f", best) + " at step "
                                + bestStep + ")"));
                if (config.earlyStopPatience() > 0 && noGain >= config.earlyStopPatience()) {
                    stoppedEarly = true;
                    message(progress, "early stop: no improvement in " + noGain + " validations");
                }
            }
            double elapsed = elapsedBefore + sessionSec;
            if (step % recordEvery == 0 || !Double.isNaN(val) || last || stoppedEarly) {
                history.add(new MetricsRow(step, loss, val, lr(net), stepsPerSec, itemsPerSec, elapsed));
            }
            if (progress != null) {
                double eta = (config.maxSteps() - step) * sessionSec / sessionSteps;
                progress.update(String.format(Locale.ROOT, "step %d/%d | %.2f steps/s | %s %s/s | %s %.4f | ETA %s",
                        step, config.maxSteps(), stepsPerSec, ProgressLine.count(itemsPerSec), unit, lossLabel,
                        loss, ProgressLine.duration(eta)), last);
            }
            boolean checkpointDue = (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)
                    || !Double.isNaN(val) || last || stoppedEarly;
            if (checkpointDue) {
                TrainerState state = new TrainerState(step, data.state(), best, bestStep, noGain, elapsed,
                        List.copyOf(history));
                ModelBundle bundle = bundles.bundle(net);
                saveBundle(bundle.withJsonArtifact(TrainerState.ARTIFACT, state), outDir.resolve(CHECKPOINT), true);
                if (validator == null || config.evalEvery() == 0) {
                    saveBundle(bundle, outDir.resolve(ModelBundle.MODEL_FILE), false);
                }
                writeMetrics(history);
                lastCheckpointStep = step;
            }
        }
        if (progress != null) {
            progress.finish();
        }
        if (!Files.exists(outDir.resolve(ModelBundle.MODEL_FILE))) {
            saveBundle(bundles.bundle(net), outDir.resolve(ModelBundle.MODEL_FILE), false);
        }
        return new TrainingResult(step, lastLoss, best, bestStep, stoppedEarly,
                sessionSteps == 0 ? Double.NaN : sessionItems / (fitNanos / 1e9), outDir.resolve(ModelBundle.MODEL_FILE),
                outDir.resolve(CHECKPOINT), List.copyOf(history));
    }

    private double lr(Model net) {
        try {
            return config.iUpdater().getLearningRate(Networks.iterationCount(net), 0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void message(ProgressLine progress, String text) {
        if (progress != null) {
            progress.message(text);
        } else {
            LOG.info(text);
        }
    }

    private static void saveBundle(ModelBundle bundle, Path file, boolean withUpdater) {
        try {
            bundle.save(file, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void writeMetrics(List<MetricsRow> history) {
        StringBuilder csv = new StringBuilder(MetricsRow.HEADER).append('\n');
        LinePlot plot = new LinePlot("Training curve", "step", lossLabel);
        plot.markers("validation");
        for (MetricsRow r : history) {
            csv.append(r.toCsv()).append('\n');
            if (!Double.isNaN(r.trainLoss())) {
                plot.add("training", r.step(), r.trainLoss());
            }
            if (!Double.isNaN(r.valLoss())) {
                plot.add("validation", r.step(), r.valLoss());
            }
        }
        try {
            AtomicFiles.writeString(outDir.resolve("metrics.csv"), csv.toString());
            plot.write(outDir.resolve("loss.png"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + outDir, e);
        }
    }
}
