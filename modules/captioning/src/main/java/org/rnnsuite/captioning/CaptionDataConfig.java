package org.rnnsuite.captioning;

import org.rnnsuite.core.config.Check;

/**
 * How training data is read and batched.
 *
 * @param batchSize      (image, caption) pairs per minibatch, 1..1024 (default 32)
 * @param minWordCount   words seen fewer times in the training captions become the unknown word, 1..1000
 *                       (default 1)
 * @param maxTrainImages cap on training images, 0 = all (default 0); for quick runs on a large dataset
 * @param valImages      validation images used for the validation loss, 0 = none, at most 100000 (default 200)
 */
public record CaptionDataConfig(int batchSize, int minWordCount, int maxTrainImages, int valImages) {
    public CaptionDataConfig {
        Check.range("data.batchSize", batchSize, 1, 1024);
        Check.range("data.minWordCount", minWordCount, 1, 1000);
        Check.range("data.maxTrainImages", maxTrainImages, 0, 10_000_000);
        Check.range("data.valImages", valImages, 0, 100_000);
    }

    public static CaptionDataConfig defaults() {
        return new CaptionDataConfig(32, 1, 0, 200);
    }
}
