package org.rnnsuite.core.train;

import org.rnnsuite.core.UserInputException;

/**
 * The loss became NaN or infinite. Training stops; the last checkpoint written before the divergence stays as it
 * was. Reported to the user as a problem with the run's settings (learning rate, clipping), not as a crash.
 */
public class TrainingDivergedException extends UserInputException {
    private final int step;
    private final transient java.util.List<MetricsRow> history;

    public TrainingDivergedException(String message, int step, java.util.List<MetricsRow> history) {
        super(message);
        this.step = step;
        this.history = java.util.List.copyOf(history);
    }

    /** Metrics of the steps before the divergence (what a loss curve of the failed run shows). */
    public java.util.List<MetricsRow> history() {
        return history;
    }

    /** The step whose loss was not finite. */
    public int step() {
        return step;
    }
}
