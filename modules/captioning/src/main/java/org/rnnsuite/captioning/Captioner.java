package org.rnnsuite.captioning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.sample.BeamSearch;

/**
 * A trained captioning model ready to describe images: greedy or beam decoding with the decoder's stored state
 * ({@code rnnTimeStep}), one word per step. Not thread-safe: the network's stored state is per instance.
 */
public final class Captioner {
    /** Task name in model bundles. */
    public static final String TASK = "caption";
    /** Bundle artifact holding the word vocabulary. */
    public static final String VOCAB = "vocab.json";

    /**
     * A generated caption.
     *
     * @param text    the words, space separated
     * @param logprob natural-log probability of the words and the end token
     */
    public record Caption(String text, double logprob) {
    }

    private final ComputationGraph net;
    private final CaptionConfig config;
    private final Vocabulary vocab;
    private final ComputationGraph decoder;

    public Captioner(ComputationGraph net, CaptionConfig config, Vocabulary vocab) {
        this.net = net;
        this.config = config;
        this.vocab = vocab;
        this.decoder = CaptionModel.decoderOnly(net, config.model(), vocab.size());
    }

    /** Loads a model directory or bundle file; throws naming the file if it is not a captioning model. */
    public static Captioner load(Path model) {
        ModelBundle b = ModelBundle.load(model, TASK, false);
        return new Captioner(b.computationGraph(), b.config(CaptionConfig.class),
                b.jsonArtifact(VOCAB, Vocabulary.class));
    }

    public CaptionConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    public ComputationGraph network() {
        return net;
    }

    /** Reads an image file and returns the {@code beam} best captions, best first (beam 1 = greedy). */
    public List<Caption> describe(Path image, int beam) {
        return describe(ImageLoader.load(image, config.model().imageSize()), beam);
    }

    /** Captions for network input pixels ({@code 3 * size * size}, channels first, [0, 1]). */
    public List<Caption> describe(float[] pixels, int beam) {
        int side = config.model().imageSize();
        INDArray image = Nd4j.create(pixels, new long[]{1, 3, side, side}, 'c');
        BeamSearch search = new BeamSearch(vocab.id(CaptionVocabulary.START), vocab.id(CaptionVocabulary.END),
                config.model().maxWords(), config.model().lengthPenalty());
        INDArray embedding = CaptionModel.embedImages(net, config.model(), image);
        List<BeamSearch.Hypothesis> hyps = search.search(new Step(embedding), beam);
        List<Caption> out = new ArrayList<>();
        for (BeamSearch.Hypothesis h : hyps) {
            List<String> words = new ArrayList<>();
            for (int id : h.tokens()) {
                words.add(vocab.token(id));
            }
            out.add(new Caption(Captions.join(words), h.logProb()));
        }
        return out;
    }

    /**
     * One decoder step for a batch of beams, on the decoder-only graph fed with the image embedding computed once;
     * reorders the stored LSTM state when beams are pruned.
     */
    private final class Step implements BeamSearch.StepFunction {
        private final INDArray image;
        private final int forbiddenStart = vocab.id(CaptionVocabulary.START);
        private final int forbiddenUnknown = vocab.unknownId();
        private int t;
        private INDArray tiled;

        Step(INDArray image) {
            this.image = image;
        }

        @Override
        public double[][] step(int[] parents, int[] tokens) {
            int n = tokens.length;
            if (t == 0) {
                decoder.rnnClearPreviousState();
            } else {
                Map<String, INDArray> state = decoder.rnnGetPreviousState(CaptionModel.DECODER);
                Map<String, INDArray> reordered = new HashMap<>();
                for (Map.Entry<String, INDArray> e : state.entrySet()) {
                    reordered.put(e.getKey(), e.getValue().getRows(parents).dup());
                }
                decoder.rnnSetPreviousState(CaptionModel.DECODER, reordered);
            }
            if (tiled == null || tiled.size(0) != n) {
                tiled = n == 1 ? image : image.repeat(0, n);
            }
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = tokens[i];
            }
            INDArray words = Nd4j.create(w, new long[]{n, 1, 1}, 'c');
            INDArray gate = CaptionModel.injectGate(config.model(), n, 1, t);
            INDArray probs = decoder.rnnTimeStep(tiled, words, gate)[0];
            probs = probs.reshape(n, probs.length() / n);
            t++;
            double[][] out = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] row = probs.getRow(i).toDoubleVector();
                for (int k = 0; k < row.length; k++) {
                    row[k] = Math.log(Math.max(row[k], 1e-30));
                }
                row[forbiddenStart] = Double.NEGATIVE_INFINITY;
                if (forbiddenUnknown >= 0) {
                    row[forbiddenUnknown] = Double.NEGATIVE_INFINITY;
                }
                out[i] = row;
            }
            return out;
        }
    }
}
