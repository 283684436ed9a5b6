package org.rnnsuite.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.captioning.CaptionBatchSource;
import org.rnnsuite.captioning.CaptionConfig;
import org.rnnsuite.captioning.CaptionDataset;
import org.rnnsuite.captioning.CaptionModel;
import org.rnnsuite.captioning.CaptionModelConfig;
import org.rnnsuite.captioning.CaptionVocabulary;
import org.rnnsuite.captioning.Captioner;
import org.rnnsuite.captioning.ImageSet;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.train.Networks;
import org.rnnsuite.core.train.TrainerConfig;

/**
 * The captioning workload both systems run: rnnsuite's default captioning network ({@link CaptionModel#build} with
 * {@link CaptionConfig#defaults()}: CNN encoder, image embedding injected into a recurrent decoder, softmax) on
 * minibatches from {@link CaptionBatchSource}. Speed depends on shapes, not values: the images are seeded random
 * pixels and the captions seeded random scene descriptions of 5 to 12 words; the peer gets the same word ids and
 * masks and draws its own pixels.
 */
public final class CaptionWorkload {
    private static final String[] WORDS = {"a", "the", "red", "green", "blue", "yellow", "small", "large", "circle",
        "square", "triangle", "star", "left", "right", "of", "above", "below", "next", "to", "and", "is", "two",
        "three", "near", "corner", "in", "top", "bottom", "middle", "on"};

    private final CaptionConfig cfg;
    private final ImageSet images;
    private final Vocabulary vocab;

    /** {@code count} seeded images with one caption each. */
    public CaptionWorkload(CaptionConfig cfg, int count, long seed) {
        this.cfg = cfg;
        Random r = new Random(seed);
        int side = cfg.model().imageSize();
        List<CaptionDataset.Item> items = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder caption = new StringBuilder();
            int n = 5 + r.nextInt(8);
            for (int w = 0; w < n; w++) {
                caption.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            items.add(new CaptionDataset.Item("image" + i, Path.of("image" + i + ".png"), List.of(caption.toString())));
            float[] px = new float[3 * side * side];
            for (int k = 0; k < px.length; k++) {
                px[k] = r.nextFloat();
            }
            pixels.add(px);
        }
        this.images = new ImageSet(items, pixels, side, List.of());
        this.vocab = CaptionVocabulary.build(items, 1);
    }

    public CaptionConfig config() {
        return cfg;
    }

    /** A fresh network as {@code rnnsuite caption train} builds it, with the trainer's settings applied. */
    public ComputationGraph network() {
        ComputationGraph net = CaptionModel.build(cfg.model(), vocab.size(), cfg.trainer().seed());
        Networks.applyTraining(net, cfg.trainer());
        return net;
    }

    /** The first {@code count} minibatches a training run would see. */
    public List<MultiDataSet> batches(int count) {
        CaptionBatchSource src = new CaptionBatchSource(images, vocab, cfg.model(), cfg.data().batchSize(),
                cfg.trainer().seed());
        List<MultiDataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(src.next());
        }
        return out;
    }

    /** Images in a minibatch. */
    public static long items(MultiDataSet batch) {
        return batch.getFeatures(0).size(0);
    }

    /** Id of the start token. */
    public int startId() {
        return vocab.id(CaptionVocabulary.START);
    }

    /**
     * Latency of captioning one image.
     *
     * @param msPerImage median milliseconds per image
     * @param steps      decoder steps the longest search took (the peer is asked for as many)
     */
    public record Decode(double msPerImage, int steps) {
    }

    /**
     * {@link Captioner#describe} on {@code reps} seeded random images after {@code warmup} untimed ones: what
     * {@code rnnsuite caption describe} runs per image (beam 1 is greedy).
     */
    public Decode describe(ComputationGraph net, int beam, int warmup, int reps, long seed) {
        Captioner captioner = new Captioner(net, cfg, vocab);
        Random r = new Random(seed);
        int side = cfg.model().imageSize();
        List<Double> ms = new ArrayList<>();
        int steps = 0;
        for (int k = 0; k < warmup + reps; k++) {
            float[] px = new float[3 * side * side];
            for (int i = 0; i < px.length; i++) {
                px[i] = r.nextFloat();
            }
            long t0 = System.nanoTime();
            List<Captioner.Caption> out = captioner.describe(px, beam);
            double elapsed = (System.nanoTime() - t0) / 1e6;
            if (k >= warmup) {
                ms.add(elapsed);
            }
            steps = Math.max(steps, steps(out, cfg.model().maxWords()));
        }
        return new Decode(Stats.median(ms), steps);
    }

    /**
     * Decoder steps a search took, from its hypotheses: one per emitted word plus one for the end token, or
     * {@code maxWords} for a hypothesis cut at the length limit.
     */
    static int steps(List<Captioner.Caption> captions, int maxWords) {
        int steps = 1;
        for (Captioner.Caption c : captions) {
            int words = c.text().isBlank() ? 0 : c.text().trim().split(" +").length;
            steps = Math.max(steps, words >= maxWords ? maxWords : words + 1);
        }
        return steps;
    }

    /** The peer's {@code caption_init}: same network shape, optimizer, clipping, word ids and masks. */
    public ObjectNode peerInit(String id, List<MultiDataSet> batches) {
        CaptionModelConfig m = cfg.model();
        TrainerConfig t = cfg.trainer();
        ObjectNode c = PeerChannel.command("caption_init");
        c.put("id", id);
        c.put("image_size", m.imageSize());
        c.put("conv_blocks", m.convBlocks());
        c.put("conv_channels", m.convChannels());
        c.put("embedding", m.embedding());
        c.put("cell", m.cell());
        c.put("hidden", m.hidden());
        c.put("vocab", vocab.size());
        c.put("dropout", m.dropout());
        c.put("inject", m.inject());
        c.put("lr", t.learningRate());
        c.put("clip", t.clip());
        c.put("clip_threshold", t.clipThreshold());
        c.put("seed", t.seed());
        ArrayNode bs = c.putArray("batches");
        for (MultiDataSet b : batches) {
            ObjectNode o = bs.addObject();
            long n = b.getFeatures(1).size(0);
            long steps = b.getFeatures(1).size(2);
            o.set("words", Configs.mapper().valueToTree(
                    b.getFeatures(1).reshape(n, steps).castTo(DataType.INT).toIntMatrix()));
            o.set("labels", Configs.mapper().valueToTree(CharLmWorkload.ids(b.getLabels(0))));
            o.set("mask", Configs.mapper().valueToTree(b.getLabelsMaskArray(0).castTo(DataType.INT).toIntMatrix()));
        }
        return c;
    }
}
