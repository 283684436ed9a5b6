package org.rnnsuite.speech;

import org.rnnsuite.core.config.Check;

/**
 * How utterances are split and batched.
 *
 * @param batchSize    utterances per training step; 1..512 (default 32)
 * @param validPercent for a tree without {@code train/valid/test} folders: percentage of speakers held out for
 *                     validation; 0..50 (default 10)
 * @param testPercent  likewise for the test split; 0..50 (default 10)
 */
public record SpeechDataConfig(int batchSize, int validPercent, int testPercent) {
    public SpeechDataConfig {
        Check.range("data.batchSize", batchSize, 1, 512);
        Check.range("data.validPercent", validPercent, 0, 50);
        Check.range("data.testPercent", testPercent, 0, 50);
    }

    public static SpeechDataConfig defaults() {
        return new SpeechDataConfig(32, 10, 10);
    }
}
