package org.rnnsuite.core.train;

/**
 * One line of {@code metrics.csv}.
 *
 * @param step          steps (minibatches) completed
 * @param trainLoss     training loss of this step's minibatch (in the task's loss unit)
 * @param valLoss       validation loss if validated at this step, else NaN
 * @param learningRate  learning rate in effect
 * @param stepsPerSec   training steps per second of this run (or resume), validation excluded
 * @param itemsPerSec   training items per second of this run (or resume), validation excluded
 * @param elapsedSec    seconds of training, accumulated across resumes
 */
public record MetricsRow(int step, double trainLoss, double valLoss, double learningRate, double stepsPerSec,
                         double itemsPerSec, double elapsedSec) {
    static final String HEADER = "step,train_loss,val_loss,learning_rate,steps_per_sec,items_per_sec,elapsed_sec";

    String toCsv() {
        return step + "," + fmt(trainLoss) + "," + fmt(valLoss) + "," + fmt(learningRate) + "," + fmt(stepsPerSec)
                + "," + fmt(itemsPerSec) + "," + fmt(elapsedSec);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
