package org.rnnsuite.charlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.train.BatchSource;

/**
 * Minibatches of training windows over a stream of character ids: features are one-hot characters
 * {@code [batch, vocab, seqLength]}, labels the one-hot next characters (the same window shifted by one).
 *
 * <p>Each epoch starts the windows at a random offset in {@code [0, seqLength)} and visits them in a random order,
 * both drawn from (seed, epoch) alone; so the position {@code (epoch, index)} is the whole state and a resumed run
 * continues with exactly the windows an uninterrupted one would see. A batch that crosses an epoch boundary takes
 * its remaining windows from the next epoch, so every batch is full and needs no mask.
 */
public final class CharBatchSource implements BatchSource {
    private final int[] ids;
    private final int vocabSize;
    private final int seqLength;
    private final int batchSize;
    private final long seed;
    private int epoch;
    private int index;
    private int offset;
    private int[] order;

    public CharBatchSource(int[] ids, int vocabSize, int seqLength, int batchSize, long seed) {
        if (ids.length < seqLength + 1) {
            throw new IllegalArgumentException("need at least " + (seqLength + 1) + " ids, got " + ids.length);
        }
        this.ids = ids;
        this.vocabSize = vocabSize;
        this.seqLength = seqLength;
        this.batchSize = batchSize;
        this.seed = seed;
        startEpoch(0);
    }

    private void startEpoch(int e) {
        epoch = e;
        index = 0;
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
        int maxOffset = Math.min(seqLength, ids.length - 1 - seqLength + 1);
        offset = rnd.nextInt(Math.max(1, maxOffset));
        int windows = (ids.length - 1 - offset) / seqLength;
        order = new int[windows];
        for (int i = 0; i < windows; i++) {
            order[i] = i;
        }
        for (int i = windows - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Windows per epoch (varies slightly with the epoch's offset). */
    public int windowsPerEpoch() {
        return order.length;
    }

    /** Start index into the id stream of each window of the next batch, advancing the position. */
    int[] nextStarts() {
        int[] starts = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            if (index == order.length) {
                startEpoch(epoch + 1);
            }
            starts[b] = offset + order[index++] * seqLength;
        }
        return starts;
    }

    @Override
    public MultiDataSet next() {
        int[] starts = nextStarts();
        int[][] in = new int[batchSize][seqLength];
        int[][] out = new int[batchSize][seqLength];
        for (int b = 0; b < batchSize; b++) {
            System.arraycopy(ids, starts[b], in[b], 0, seqLength);
            System.arraycopy(ids, starts[b] + 1, out[b], 0, seqLength);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(OneHot.of(in, vocabSize, seqLength),
                OneHot.of(out, vocabSize, seqLength));
    }

    @Override
    public long itemCount(MultiDataSet batch) {
        return (long) batchSize * seqLength;
    }

    @Override
    public String itemUnit() {
        return "chars";
    }

    @Override
    public JsonNode state() {
        ObjectNode n = Configs.mapper().createObjectNode();
        n.put("epoch", epoch);
        n.put("index", index);
        return n;
    }

    @Override
    public void restore(JsonNode state) {
        startEpoch(state.path("epoch").asInt());
        index = state.path("index").asInt();
        if (index > order.length) {
            throw new IllegalArgumentException("data position " + state + " is beyond this text's windows");
        }
    }

    public int epoch() {
        return epoch;
    }
}
