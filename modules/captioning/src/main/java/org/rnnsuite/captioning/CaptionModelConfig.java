package org.rnnsuite.captioning;

import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.config.Check;

/**
 * Shape of the captioning network.
 *
 * @param imageSize     side of the square input image in pixels, 16..512 (default 64); images are scaled to it
 * @param convBlocks    conv/batch-norm/ReLU/max-pool blocks of the encoder, 1..6 (default 4); each halves the
 *                      resolution, so imageSize must be divisible by 2^convBlocks
 * @param convChannels  channels of the first block, doubled in each later block up to 256, 4..256 (default 16)
 * @param embedding     size of the image embedding and of the word embeddings (they are added), 8..1024
 *                      (default 128)
 * @param cell          decoder cell: lstm (default), peephole, rnn, cifg, gru
 * @param hidden        decoder hidden units, 8..2048 (default 256)
 * @param dropout       dropout on the decoder input in [0, 0.9) (default 0.1)
 * @param inject        where the image enters the decoder: {@code first} (Show and Tell: added to the input of the
 *                      first step only; default) or {@code every} (added to the input of every step)
 * @param maxWords      longest caption generated, and longest trained on (longer ones are cut), 2..100 (default 20)
 * @param lengthPenalty beam-search length normalisation exponent in [0, 2] (default 0: rank by log-probability)
 */
public record CaptionModelConfig(int imageSize, int convBlocks, int convChannels, int embedding, String cell,
                                 int hidden, double dropout, String inject, int maxWords, double lengthPenalty) {
    public CaptionModelConfig {
        Check.range("model.imageSize", imageSize, 16, 512);
        Check.range("model.convBlocks", convBlocks, 1, 6);
        if (imageSize % (1 << convBlocks) != 0) {
            throw new IllegalArgumentException("model.imageSize (" + imageSize + ") must be divisible by 2^"
                    + "model.convBlocks (" + (1 << convBlocks) + ")");
        }
        Check.range("model.convChannels", convChannels, 4, 256);
        Check.range("model.embedding", embedding, 8, 1024);
        CellType.parse(cell);
        Check.range("model.hidden", hidden, 8, 2048);
        Check.range("model.dropout", dropout, 0, 0.899);
        Check.oneOf("model.inject", inject, "first", "every");
        Check.range("model.maxWords", maxWords, 2, 100);
        Check.range("model.lengthPenalty", lengthPenalty, 0, 2);
    }

    public static CaptionModelConfig defaults() {
        return new CaptionModelConfig(64, 4, 16, 128, "lstm", 256, 0.1, "first", 20, 0.0);
    }
}
