package org.rnnsuite.core.train;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.rnnsuite.core.config.Check;

/**
 * How a network is trained, shared by every task.
 *
 * @param updater          optimizer: {@code adam} (default), {@code rmsprop} or {@code nesterov} (SGD with Nesterov
 *                         momentum)
 * @param learningRate     initial learning rate; Adam/RMSProp 1e-4..1e-2 (default 2e-3), SGD 1e-3..1
 * @param momentum         Nesterov momentum in [0, 1) (default 0.9); used by {@code nesterov} only
 * @param lrSchedule       {@code constant} (default), {@code exponential} (lr * decay^(step/decaySteps)) or
 *                         {@code step} (lr * decay^floor(step/decaySteps))
 * @param lrDecay          decay factor in (0, 1] per {@code lrDecaySteps} steps (default 0.5)
 * @param lrDecaySteps     steps per decay (default 1000)
 * @param clip             gradient clipping: {@code none}, {@code l2} (rescale each layer's gradient to L2 norm at
 *                         most {@code clipThreshold}; default) or {@code elementwise} (clamp each component to
 *                         +-{@code clipThreshold})
 * @param clipThreshold    clipping threshold (default 5.0)
 * @param tbpttLength      truncated BPTT segment length in time steps; 0 means full BPTT over the whole sequence
 *                         (default 0)
 * @param maxSteps         training steps (minibatches) to run (default 1000)
 * @param evalEvery        steps between validations; 0 disables validation (default 100)
 * @param checkpointEvery  steps between checkpoints; 0 checkpoints only at validations and at the end (default 200)
 * @param earlyStopPatience validations without improvement before stopping; 0 disables early stopping (default 0)
 * @param seed             seed of every random choice (weights, dropout, data order) (default 12345)
 * @param progressSeconds  seconds between progress lines when not on a terminal (default 10)
 */
public record TrainerConfig(
        String updater,
        double learningRate,
        double momentum,
        String lrSchedule,
        double lrDecay,
        int lrDecaySteps,
        String clip,
        double clipThreshold,
        int tbpttLength,
        int maxSteps,
        int evalEvery,
        int checkpointEvery,
        int earlyStopPatience,
        long seed,
        double progressSeconds) {

    public TrainerConfig {
        Check.oneOf("trainer.updater", updater, "adam", "rmsprop", "nesterov");
        Check.positive("trainer.learningRate", learningRate);
        Check.range("trainer.momentum", momentum, 0, 0.999);
        Check.oneOf("trainer.lrSchedule", lrSchedule, "constant", "exponential", "step");
        Check.range("trainer.lrDecay", lrDecay, 1e-9, 1);
        Check.positive("trainer.lrDecaySteps", lrDecaySteps);
        Check.oneOf("trainer.clip", clip, "none", "l2", "elementwise");
        Check.positive("trainer.clipThreshold", clipThreshold);
        Check.nonNegative("trainer.tbpttLength", tbpttLength);
        Check.positive("trainer.maxSteps", maxSteps);
        Check.nonNegative("trainer.evalEvery", evalEvery);
        Check.nonNegative("trainer.checkpointEvery", checkpointEvery);
        Check.nonNegative("trainer.earlyStopPatience", earlyStopPatience);
        Check.positive("trainer.progressSeconds", progressSeconds);
    }

    /** The documented defaults. */
    public static TrainerConfig defaults() {
        return new TrainerConfig("adam", 2e-3, 0.9, "constant", 0.5, 1000, "l2", 5.0, 0, 1000, 100, 200, 0,
                12345L, 10.0);
    }

    public TrainerConfig withMaxSteps(int steps) {
        return new TrainerConfig(updater, learningRate, momentum, lrSchedule, lrDecay, lrDecaySteps, clip,
                clipThreshold, tbpttLength, steps, evalEvery, checkpointEvery, earlyStopPatience, seed,
                progressSeconds);
    }

    public TrainerConfig withSeed(long newSeed) {
        return new TrainerConfig(updater, learningRate, momentum, lrSchedule, lrDecay, lrDecaySteps, clip,
                clipThreshold, tbpttLength, maxSteps, evalEvery, checkpointEvery, earlyStopPatience, newSeed,
                progressSeconds);
    }

    /** The learning-rate schedule over iterations (DL4J counts one iteration per TBPTT segment). */
    public ISchedule schedule() {
        return switch (lrSchedule) {
            case "exponential" -> new ExponentialSchedule(ScheduleType.ITERATION, learningRate,
                    Math.pow(lrDecay, 1.0 / lrDecaySteps));
            case "step" -> new StepSchedule(ScheduleType.ITERATION, learningRate, lrDecay, lrDecaySteps);
            default -> null;
        };
    }

    /** The DL4J updater this config describes. */
    public IUpdater iUpdater() {
        ISchedule s = schedule();
        return switch (updater) {
            case "rmsprop" -> s == null ? new RmsProp(learningRate) : new RmsProp(s);
            case "nesterov" -> s == null ? new Nesterovs(learningRate, momentum) : new Nesterovs(s, momentum);
            default -> s == null ? new Adam(learningRate) : new Adam(s);
        };
    }

    /** The DL4J gradient normalization this config describes. */
    public GradientNormalization gradientNormalization() {
        return switch (clip) {
            case "l2" -> GradientNormalization.ClipL2PerLayer;
            case "elementwise" -> GradientNormalization.ClipElementWiseAbsoluteValue;
            default -> GradientNormalization.None;
        };
    }
}
