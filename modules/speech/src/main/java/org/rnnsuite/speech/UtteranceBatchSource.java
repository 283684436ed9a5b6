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
 * Endless minibatches of labelled feature sequences, reshuffled every epoch. The order of epoch {@code e} depends
 * only on (seed, e), so the position (epoch, cursor) is all a resumed run needs.
 */
public final class UtteranceBatchSource implements BatchSource {
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
        for (int i = p.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
