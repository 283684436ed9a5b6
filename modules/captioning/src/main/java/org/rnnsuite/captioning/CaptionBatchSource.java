package org.rnnsuite.captioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.train.BatchSource;

/**
 * Minibatches of (image, one reference caption) pairs for teacher forcing: every caption of every image is one
 * pair, and each epoch visits all pairs in an order shuffled from (seed, epoch), so the position
 * {@code (epoch, index)} is all a resumed run needs.
 *
 * <p>Per batch of B pairs with longest caption L words, T = L + 1 steps: inputs {@code <start> w1 .. wn} (padded
 * with the end token), labels {@code w1 .. wn <end>}, and a label mask that is 1 on the n + 1 real steps only.
 * No feature mask is needed: the decoder reads left to right, so padding after a caption cannot change the outputs
 * on its real steps.
 */
public final class CaptionBatchSource implements BatchSource {
    private final ImageSet images;
    private final CaptionModelConfig model;
    private final int vocabSize;
    private final int startId;
    private final int endId;
    private final int batchSize;
    private final long seed;
    private final List<int[]> pairs = new ArrayList<>(); // {image index, word ids...}
    private int[] order;
    private int epoch;
    private int position;
    private int truncated;

    public CaptionBatchSource(ImageSet images, Vocabulary vocab, CaptionModelConfig model, int batchSize,
                              long seed) {
        this.images = images;
        this.model = model;
        this.vocabSize = vocab.size();
        this.startId = vocab.id(CaptionVocabulary.START);
        this.endId = vocab.id(CaptionVocabulary.END);
        this.batchSize = batchSize;
        this.seed = seed;
        for (int i = 0; i < images.size(); i++) {
            for (List<String> caption : images.items().get(i).tokenized()) {
                int n = Math.min(caption.size(), model.maxWords());
                if (n < caption.size()) {
                    truncated++;
                }
                int[] p = new int[n + 1];
                p[0] = i;
                for (int k = 0; k < n; k++) {
                    p[k + 1] = vocab.id(caption.get(k));
                }
                pairs.add(p);
            }
        }
        shuffle();
    }

    /** Captions cut to {@code model.maxWords}. */
    public int truncatedCaptions() {
        return truncated;
    }

    /** (image, caption) pairs per epoch. */
    public int pairCount() {
        return pairs.size();
    }

    private void shuffle() {
        order = new int[pairs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random r = new Random(seed * 31 + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @Override
    public MultiDataSet next() {
        List<int[]> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize) {
            if (position >= order.length) {
                epoch++;
                position = 0;
                shuffle();
            }
            batch.add(pairs.get(order[position++]));
        }
        return toMultiDataSet(batch);
    }

    /** All pairs of the given images in order, as batches of at most {@code size} (for validation). */
    public List<MultiDataSet> allBatches(int size) {
        List<MultiDataSet> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += size) {
            out.add(toMultiDataSet(pairs.subList(i, Math.min(pairs.size(), i + size))));
        }
        return out;
    }

    private MultiDataSet toMultiDataSet(List<int[]> batch) {
        int b = batch.size();
        int longest = 0;
        for (int[] p : batch) {
            longest = Math.max(longest, p.length - 1);
        }
        int t = longest + 1;
        int px = images.pixels().get(0).length;
        float[] img = new float[b * px];
        float[] words = new float[b * t];
        float[] labels = new float[b * vocabSize * t];
        float[] mask = new float[b * t];
        for (int i = 0; i < b; i++) {
            int[] p = batch.get(i);
            System.arraycopy(images.pixels().get(p[0]), 0, img, i * px, px);
            int n = p.length - 1;
            for (int k = 0; k < t; k++) {
                int in = k == 0 ? startId : k <= n ? p[k] : endId;
                int out = k < n ? p[k + 1] : endId;
                words[i * t + k] = in;
                labels[(i * vocabSize + out) * t + k] = 1;
                mask[i * t + k] = k <= n ? 1 : 0;
            }
        }
        int side = model.imageSize();
        INDArray[] features = {
            Nd4j.create(img, new long[]{b, 3, side, side}, 'c'),
            Nd4j.create(words, new long[]{b, 1, t}, 'c'),
            CaptionModel.injectGate(model, b, t, 0)};
        INDArray[] labelArr = {Nd4j.create(labels, new long[]{b, vocabSize, t}, 'c')};
        INDArray[] labelMask = {Nd4j.create(mask, new long[]{b, t}, 'c')};
        return new org.nd4j.linalg.dataset.MultiDataSet(features, labelArr, null, labelMask);
    }

    @Override
    public long itemCount(MultiDataSet batch) {
        return batch.getFeatures(0).size(0);
    }

    @Override
    public String itemUnit() {
        return "captions";
    }

    @Override
    public JsonNode state() {
        ObjectNode n = Configs.mapper().createObjectNode();
        n.put("epoch", epoch);
        n.put("position", position);
        return n;
    }

    @Override
    public void restore(JsonNode state) {
        epoch = state.path("epoch").asInt(0);
        shuffle();
        position = state.path("position").asInt(0);
    }
}
