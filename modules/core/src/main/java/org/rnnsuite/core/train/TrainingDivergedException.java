package org.rnnsuite.core.train;

import org.rnnsuite.core.UserInputException;

/**
 * The loss became NaN or infinite. Training stops; the last checkpoint written before the divergence stays as it
 * was. Reported to the user as a problem with the run's settings (learning rate, clipping), not as a crash.
 */
public class TrainingDivergedException extends UserInputException {
    private final int step;

    public TrainingDivergedException(String message, int step) {
        super(message);
        this.step = step;
    }

    /** The step whose loss was not finite. */
    public int step() {
        return step;
    }
}
