package org.rnnsuite.speech;

import org.rnnsuite.core.config.Check;

/**
 * How utterances are split and batched.
 *
 * @param batchSize    utterances per training step; 1..512 (default 32)
 * @param validPercent for a tree without {@code train/valid/test} folders: percentage of speakers held out for
 *                     validation; 0..50 (default 10)
 * @param testPercent  likewise for the test split; 0..50 (default 10)
 * @param validationLoss how the validation loss that picks the saved checkpoint weighs the clips: {@code clip}
 *                     (default: the mean over clips) or {@code speaker} (the mean over speakers of each speaker's
 *                     mean, so that a speaker with many clips, or with many confident mistakes, weighs as one)
 */
public record SpeechDataConfig(int batchSize, int validPercent, int testPercent, String validationLoss) {
    public SpeechDataConfig {
        if (validationLoss == null) {
            validationLoss = "clip";
        }
        Check.oneOf("data.validationLoss", validationLoss, "clip", "speaker");
        Check.range("data.batchSize", batchSize, 1, 512);
        Check.range("data.validPercent", validPercent, 0, 50);
        Check.range("data.testPercent", testPercent, 0, 50);
    }

    public SpeechDataConfig(int batchSize, int validPercent, int testPercent) {
        this(batchSize, validPercent, testPercent, "clip");
    }

    public static SpeechDataConfig defaults() {
        return new SpeechDataConfig(32, 10, 10);
    }
}
