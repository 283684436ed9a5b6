package org.rnnsuite.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.charlm.BitsPerChar;
import org.rnnsuite.charlm.CharBatchSource;
import org.rnnsuite.charlm.CharLmConfig;
import org.rnnsuite.charlm.CharLmModel;
import org.rnnsuite.charlm.CharLmTask;
import org.rnnsuite.charlm.CharVocab;
import org.rnnsuite.charlm.TextCorpus;
import org.rnnsuite.charlm.TextSplit;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.bundle.Provenance;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.sample.SamplingConfig;
import org.rnnsuite.core.train.Networks;
import org.rnnsuite.core.train.TrainerConfig;

/**
 * The character-LM workload both systems run: the text's vocabulary, its training and validation split, real
 * minibatches from {@link CharBatchSource}, and rnnsuite's own model builder and training settings
 * ({@link CharLmModel}, {@link CharLmConfig#defaults()}), so the benchmark measures what users run. The peer gets the
 * same ids and the same optimizer settings through {@link #peerInit}.
 */
public final class CharLmWorkload {
    private final CharVocab vocab;
    private final TextSplit split;
    private final String dataHash;
    private final int seqLength;

    /**
     * @param vocab     the vocabulary (input and output size)
     * @param split     training and validation ids
     * @param dataHash  hash of the text, for the bundles the sampling benchmark builds
     * @param seqLength characters per training sequence
     */
    public CharLmWorkload(CharVocab vocab, TextSplit split, String dataHash, int seqLength) {
        this.vocab = vocab;
        this.split = split;
        this.dataHash = dataHash;
        this.seqLength = seqLength;
    }

    /** The workload of a text file, split as {@code rnnsuite charlm train} splits it. */
    public static CharLmWorkload of(Path text, int seqLength) {
        TextCorpus corpus = TextCorpus.load(List.of(text));
        CharVocab vocab = CharVocab.of(corpus.text());
        int[] ids = vocab.encode(corpus.text()).ids();
        TextSplit split = TextSplit.of(ids, CharLmConfig.DataConfig.defaults().valFraction(), seqLength,
                corpus.source());
        return new CharLmWorkload(vocab, split, corpus.dataHash(), seqLength);
    }

    public CharVocab vocab() {
        return vocab;
    }

    public TextSplit split() {
        return split;
    }

    public int seqLength() {
        return seqLength;
    }

    /** The training settings of a char-LM run (Adam, clipping), with TBPTT over the whole sequence. */
    public TrainerConfig trainer() {
        return trainer(seqLength);
    }

    /** {@link CharLmConfig#defaults()}'s trainer with truncated BPTT over {@code tbpttLength} steps. */
    public static TrainerConfig trainer(int tbpttLength) {
        TrainerConfig t = CharLmConfig.defaults().trainer();
        return new TrainerConfig(t.updater(), t.learningRate(), t.momentum(), t.lrSchedule(), t.lrDecay(),
                t.lrDecaySteps(), t.clip(), t.clipThreshold(), tbpttLength, t.maxSteps(), t.evalEvery(),
                t.checkpointEvery(), t.earlyStopPatience(), t.seed(), t.progressSeconds());
    }

    /** The model config of a run without dropout. */
    public static CharLmConfig.ModelConfig model(String cell, int layers, int hidden) {
        return new CharLmConfig.ModelConfig(cell, layers, hidden, 0.0);
    }

    /** A fresh network built as {@code rnnsuite charlm train} builds it, with the trainer's settings applied. */
    public MultiLayerNetwork network(CharLmConfig.ModelConfig model) {
        return network(model, vocab.size(), trainer());
    }

    /** A fresh network from {@link CharLmModel} with {@code trainer}'s updater, clipping and TBPTT applied. */
    public static MultiLayerNetwork network(CharLmConfig.ModelConfig model, int vocabSize, TrainerConfig trainer) {
        MultiLayerNetwork net = CharLmModel.build(model, vocabSize, trainer.seed());
        Networks.applyTraining(net, trainer);
        return net;
    }

    /** The first {@code count} minibatches a training run of this batch size would see. */
    public List<MultiDataSet> batches(int batchSize, int count) {
        CharBatchSource source = new CharBatchSource(split.train(), vocab.size(), seqLength, batchSize,
                trainer().seed());
        List<MultiDataSet> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(source.next());
        }
        return out;
    }

    /**
     * Trains {@code steps} minibatches, cycling through {@code batches} from {@code first}; returns the seconds.
     */
    public static double trainSeconds(Model net, List<MultiDataSet> batches, int first, int steps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            Networks.fit(net, batches.get((first + i) % batches.size()));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Characters in one minibatch. */
    public static long chars(MultiDataSet batch) {
        return batch.getLabels(0).size(0) * batch.getLabels(0).size(2);
    }

    /**
     * Milliseconds per generated character of {@link CharLmTask#sample} (batch 1, one step at a time with stored
     * state, temperature 1) on {@code net}: the path {@code rnnsuite charlm sample} takes.
     */
    public double sampleMsPerChar(MultiLayerNetwork net, CharLmConfig.ModelConfig model, int warmup, int length) {
        CharLmConfig cfg = new CharLmConfig(model, CharLmConfig.DataConfig.defaults(), trainer());
        ModelBundle bundle = ModelBundle.of(CharLmTask.TASK, net, cfg, Provenance.current(trainer().seed(), dataHash))
                .withJsonArtifact(CharVocab.ARTIFACT, vocab.vocabulary());
        if (warmup > 0) {
            CharLmTask.sample(bundle, "", warmup, SamplingConfig.defaults(), null);
        }
        long t0 = System.nanoTime();
        CharLmTask.sample(bundle, "", length, SamplingConfig.defaults(), null);
        // the empty prime costs one step too (the start symbol)
        return (System.nanoTime() - t0) / 1e6 / (length + 1);
    }

    /** Validation bits per character, as {@code rnnsuite charlm train} reports them. */
    public double validationBitsPerChar(MultiLayerNetwork net) {
        return BitsPerChar.score(net, split.validation(), vocab.size(), vocab.unknownId()).bitsPerChar();
    }

    /** Character ids of one-hot {@code [batch, vocab, time]} data. */
    public static int[][] ids(INDArray oneHot) {
        INDArray arg = Nd4j.argMax(oneHot, 1).castTo(DataType.INT);
        return arg.toIntMatrix();
    }

    /** A minibatch as the peer reads it: {@code {"x": [[ids]], "y": [[ids]]}}. */
    public static ObjectNode toPeer(MultiDataSet batch) {
        ObjectNode b = Configs.mapper().createObjectNode();
        b.set("x", Configs.mapper().valueToTree(ids(batch.getFeatures(0))));
        b.set("y", Configs.mapper().valueToTree(ids(batch.getLabels(0))));
        return b;
    }

    /** Minibatches for the peer. */
    public static ArrayNode toPeer(List<MultiDataSet> batches) {
        ArrayNode a = Configs.mapper().createArrayNode();
        batches.forEach(b -> a.add(toPeer(b)));
        return a;
    }

    /** The peer's {@code charlm_init} command for the same model, optimizer and minibatches. */
    public ObjectNode peerInit(String id, CharLmConfig.ModelConfig model, List<MultiDataSet> batches) {
        TrainerConfig t = trainer();
        ObjectNode c = PeerChannel.command("charlm_init");
        c.put("id", id);
        c.put("cell", model.cell());
        c.put("layers", model.layers());
        c.put("hidden", model.hiddenSize());
        c.put("vocab", vocab.size());
        c.put("lr", t.learningRate());
        c.put("clip", t.clip());
        c.put("clip_threshold", t.clipThreshold());
        c.put("tbptt", t.tbpttLength());
        c.put("seed", t.seed());
        c.set("batches", toPeer(batches));
        return c;
    }
}
