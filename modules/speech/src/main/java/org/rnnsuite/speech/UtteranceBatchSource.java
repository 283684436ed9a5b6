package org.rnnsuite.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.train.BatchSource;

/**
 * Endless minibatches of labelled feature sequences, reshuffled every epoch and grouped by similar length. The order
 * of epoch {@code e} depends only on (seed, e), so the position (epoch, cursor) is all a resumed run needs.
 */
public final class UtteranceBatchSource implements BatchSource {
    /** Batches per length-sorting window. */
    private static final int BUCKET = 8;
    private final List<float[][]> features;
    private final int[] labels;
    private final int classes;
    private final int batchSize;
    private final String readout;
    private final long seed;
    private int epoch;
    private int cursor;
    private int[] order;

    public UtteranceBatchSource(List<float[][]> features, int[] labels, int classes, int batchSize, String readout,
                                long seed) {
        if (features.isEmpty() || features.size() != labels.length) {
            throw new IllegalArgumentException("need as many labels as sequences, and at least one");
        }
        this.features = features;
        this.labels = labels;
        this.classes = classes;
        this.batchSize = batchSize;
        this.readout = readout;
        this.seed = seed;
        this.order = permutation(0);
    }

    @Override
    public MultiDataSet next() {
        if (cursor >= order.length) {
            epoch++;
            cursor = 0;
            order = permutation(epoch);
        }
        int n = Math.min(batchSize, order.length - cursor);
        List<float[][]> seqs = new ArrayList<>(n);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int idx = order[cursor + i];
            seqs.add(features.get(idx));
            y[i] = labels[idx];
        }
        cursor += n;
        return SequenceBatches.batch(seqs, y, classes, readout);
    }

    @Override
    public String itemUnit() {
        return "utterances";
    }

    @Override
    public JsonNode state() {
        ObjectNode s = Configs.mapper().createObjectNode();
        s.put("epoch", epoch);
        s.put("cursor", cursor);
        return s;
    }

    @Override
    public void restore(JsonNode state) {
        epoch = state.path("epoch").asInt();
        cursor = state.path("cursor").asInt();
        order = permutation(epoch);
    }

    private int[] permutation(int e) {
        int[] p = new int[features.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        Random r = new Random(seed * 1_000_003L + e);
        shuffle(p, r);
        // Bucketing: within windows of BUCKET batches, sort by length so a batch pads little (padded frames cost
        // as much as real ones), then shuffle the order of the batches again.
        int window = batchSize * BUCKET;
        Integer[] boxed = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            boxed[i] = p[i];
        }
        for (int start = 0; start < p.length; start += window) {
            java.util.Arrays.sort(boxed, start, Math.min(p.length, start + window),
                    java.util.Comparator.comparingInt(i -> features.get(i).length));
        }
        int batches = (p.length + batchSize - 1) / batchSize;
        int[] batchOrder = new int[batches];
        for (int i = 0; i < batches; i++) {
            batchOrder[i] = i;
        }
        // only full batches are shuffled: a short last batch stays last, so every batch is one sorted slice
        int[] full = java.util.Arrays.copyOf(batchOrder, p.length / batchSize);
        shuffle(full, r);
        System.arraycopy(full, 0, batchOrder, 0, full.length);
        int[] out = new int[p.length];
        int k = 0;
        for (int b : batchOrder) {
            for (int i = b * batchSize; i < Math.min(p.length, (b + 1) * batchSize); i++) {
                out[k++] = boxed[i];
            }
        }
        return out;
    }

    private static void shuffle(int[] p, Random r) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
    }
}
