package org.rnnsuite.core.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param steps          steps completed (including those before a resume)
 * @param finalTrainLoss training loss of the last step
 * @param bestValidation best validation loss (NaN if never validated)
 * @param bestStep       step of the best validation (-1 if none)
 * @param stoppedEarly   true if early stopping ended the run
 * @param itemsPerSec    training throughput of this run (items per second; validation and checkpoints excluded)
 * @param model          the bundle users load ({@code model.zip}: best on validation, else the last)
 * @param checkpoint     the latest checkpoint ({@code checkpoint.zip}), for {@code --resume}
 * @param history        all metrics rows
 */
public record TrainingResult(int steps, double finalTrainLoss, double bestValidation, int bestStep,
                             boolean stoppedEarly, double itemsPerSec, Path model, Path checkpoint,
                             List<MetricsRow> history) {
}
