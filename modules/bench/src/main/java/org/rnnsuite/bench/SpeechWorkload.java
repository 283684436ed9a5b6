package org.rnnsuite.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.train.Networks;
import org.rnnsuite.core.train.TrainerConfig;
import org.rnnsuite.speech.Normalizer;
import org.rnnsuite.speech.SpeechConfig;
import org.rnnsuite.speech.SpeechModel;
import org.rnnsuite.speech.UtteranceBatchSource;

/**
 * The speech workload both systems run: rnnsuite's default spoken-word classifier ({@link SpeechModel#build} with
 * {@link SpeechConfig#defaults()}: recurrent layers over MFCC frames, masked mean, softmax) on minibatches from
 * {@link UtteranceBatchSource}. Speed depends on shapes, not on values, so the frames are seeded random numbers
 * (normalized MFCCs look like that) and the peer draws its own frames for the same lengths and labels.
 */
public final class SpeechWorkload {
    /** Spoken-word classes. */
    static final int CLASSES = 10;
    /** Shortest and longest utterance in frames (0.5 s to 1 s at the default 10 ms hop). */
    static final int MIN_FRAMES = 50;
    static final int MAX_FRAMES = 100;

    private final SpeechConfig cfg;
    private final List<float[][]> utterances = new ArrayList<>();
    private final int[] labels;

    /** {@code count} seeded utterances with {@code cfg}'s frame size. */
    public SpeechWorkload(SpeechConfig cfg, int count, long seed) {
        this.cfg = cfg;
        Random r = new Random(seed);
        int d = cfg.features().frameSize();
        labels = new int[count];
        for (int i = 0; i < count; i++) {
            float[][] u = new float[MIN_FRAMES + r.nextInt(MAX_FRAMES - MIN_FRAMES + 1)][d];
            for (float[] frame : u) {
                for (int k = 0; k < d; k++) {
                    frame[k] = (float) r.nextGaussian();
                }
            }
            utterances.add(u);
            labels[i] = r.nextInt(CLASSES);
        }
    }

    public SpeechConfig config() {
        return cfg;
    }

    /** A fresh network as {@code rnnsuite speech train} builds it, with the trainer's settings applied. */
    public MultiLayerNetwork network() {
        MultiLayerNetwork net = SpeechModel.build(cfg, CLASSES);
        Networks.applyTraining(net, cfg.trainer());
        return net;
    }

    /** The first {@code count} minibatches a training run would see. */
    public List<MultiDataSet> batches(int count) {
        UtteranceBatchSource src = new UtteranceBatchSource(utterances, labels, CLASSES, cfg.data().batchSize(),
                cfg.model().readout(), cfg.trainer().seed());
        List<MultiDataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(src.next());
        }
        return out;
    }

    /** Utterances in a minibatch. */
    public static long items(MultiDataSet batch) {
        return batch.getFeatures(0).size(0);
    }

    /**
     * Milliseconds per frame of {@link SpeechModel#stream} (one frame at a time through the stored state, a decision
     * after each) on a {@code frames}-long utterance, after one untimed pass.
     */
    public double streamMsPerFrame(MultiLayerNetwork net, int frames) {
        int d = cfg.features().frameSize();
        float[] mean = new float[d];
        float[] std = new float[d];
        java.util.Arrays.fill(std, 1f);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            names.add("word" + c);
        }
        SpeechModel model = new SpeechModel(net, cfg, new Normalizer(mean, std), names);
        float[][] seq = new float[frames][d];
        Random r = new Random(42);
        for (float[] f : seq) {
            for (int k = 0; k < d; k++) {
                f[k] = (float) r.nextGaussian();
            }
        }
        model.stream(seq);
        long t0 = System.nanoTime();
        model.stream(seq);
        return (System.nanoTime() - t0) / 1e6 / frames;
    }

    /** Seconds of audio per frame (the hop). */
    public double secondsPerFrame() {
        return cfg.features().hopMs() / 1000.0;
    }

    /** The peer's {@code speech_init}: same model shape, optimizer, clipping, and minibatch lengths and labels. */
    public ObjectNode peerInit(String id, List<MultiDataSet> batches) {
        TrainerConfig t = cfg.trainer();
        ObjectNode c = PeerChannel.command("speech_init");
        c.put("id", id);
        c.put("cell", cfg.model().cell());
        c.put("layers", cfg.model().layers());
        c.put("hidden", cfg.model().hidden());
        c.put("inputs", cfg.features().frameSize());
        c.put("classes", CLASSES);
        c.put("dropout", cfg.model().dropout());
        c.put("lr", t.learningRate());
        c.put("clip", t.clip());
        c.put("clip_threshold", t.clipThreshold());
        c.put("seed", t.seed());
        ArrayNode bs = c.putArray("batches");
        for (MultiDataSet b : batches) {
            ObjectNode o = bs.addObject();
            ArrayNode lengths = o.putArray("lengths");
            for (double v : b.getFeaturesMaskArray(0).sum(1).toDoubleVector()) {
                lengths.add((int) Math.round(v));
            }
            ArrayNode y = o.putArray("y");
            for (long v : b.getLabels(0).argMax(1).toLongVector()) {
                y.add(v);
            }
        }
        return c;
    }
}
