package org.rnnsuite.captioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.hw.ThreadSettings;
import org.rnnsuite.core.train.MetricsRow;

class CaptionModelTest {
    @TempDir
    static Path tmp;
    static Path data;
    static CaptionTask.TrainReport report;

    @BeforeAll
    static void trainTiny() throws Exception {
        ThreadSettings.applyDefaults();
        data = TinyData.fourImages(tmp.resolve("data"));
        report = CaptionTask.train(data, tmp.resolve("model"), TinyData.config(120), null);
    }

    @Test
    void trainingLowersTheLoss() {
        List<MetricsRow> h = report.training().history();
        double first = h.get(0).trainLoss();
        double last = report.training().finalTrainLoss();
        assertTrue(last < first * 0.3, "loss " + first + " -> " + last);
        assertEquals(4, report.trainImages());
        assertEquals(8, report.pairs());
    }

    @Test
    void tinyModelLearnsItsImagesExactCaptions() {
        Captioner c = Captioner.load(tmp.resolve("model"));
        String[] expected = {"a red square", "a blue square", "a green square on black", "a black square"};
        for (int i = 0; i < 4; i++) {
            Path img = data.resolve("images/i" + i + ".png");
            assertEquals(expected[i], c.describe(img, 1).get(0).text(), "image " + i);
            assertEquals(expected[i], c.describe(img, 3).get(0).text(), "image " + i + ", beam 3");
        }
    }

    @Test
    void saveLoadGivesTheSameCaptionsAndScores() {
        Captioner a = Captioner.load(tmp.resolve("model"));
        Captioner b = Captioner.load(tmp.resolve("model/model.zip"));
        Path img = data.resolve("images/i2.png");
        List<Captioner.Caption> ca = a.describe(img, 3);
        List<Captioner.Caption> cb = b.describe(img, 3);
        assertEquals(ca.size(), cb.size());
        for (int i = 0; i < ca.size(); i++) {
            assertEquals(ca.get(i).text(), cb.get(i).text());
            assertEquals(ca.get(i).logprob(), cb.get(i).logprob(), 1e-5);
        }
    }

    @Test
    void beamResultsAreSortedAndBeamOneIsGreedy() {
        Captioner c = Captioner.load(tmp.resolve("model"));
        Path img = data.resolve("images/i1.png");
        List<Captioner.Caption> beam = c.describe(img, 4);
        assertEquals(4, beam.size());
        for (int i = 1; i < beam.size(); i++) {
            assertTrue(beam.get(i - 1).logprob() >= beam.get(i).logprob());
        }
        assertTrue(beam.get(0).logprob() >= c.describe(img, 1).get(0).logprob() - 1e-6);
    }

    @Test
    void evalScoresAndWritesAGallery() throws Exception {
        Path gallery = tmp.resolve("gallery.html");
        CaptionTask.EvalReport r = CaptionTask.eval(tmp.resolve("model"), data, "test", 2, gallery, null);
        assertEquals(2, r.images());
        // the captions have three words: BLEU-1..3 are perfect, and there is no 4-gram to score
        assertEquals(1.0, r.bleu1(), 1e-9, "the tiny model reproduces its training captions");
        assertEquals(1.0, r.bleu3(), 1e-9);
        assertEquals(0.0, r.bleu4(), 1e-9);
        String html = java.nio.file.Files.readString(gallery);
        assertTrue(html.contains("images/i1.png") && html.contains("a blue square"), html);
    }

    @Test
    void resumeContinuesFromTheCheckpoint() {
        CaptionTask.TrainReport r = CaptionTask.train(data, tmp.resolve("resumed"), TinyData.config(123),
                tmp.resolve("model"), null);
        assertEquals(123, r.training().steps());
        org.junit.jupiter.api.Assertions.assertThrows(org.rnnsuite.core.UserInputException.class,
                () -> CaptionTask.train(data, tmp.resolve("resumed2"), TinyData.config(50), tmp.resolve("model"),
                        null));
    }

    @Test
    void decodedLogProbabilityEqualsTheTrainingGraphsProbabilityOfTheCaption() {
        Captioner c = Captioner.load(tmp.resolve("model"));
        Path img = data.resolve("images/i2.png");
        Captioner.Caption best = c.describe(img, 2).get(0);
        org.rnnsuite.core.data.Vocabulary v = c.vocabulary();
        List<String> words = Captions.tokenize(best.text());
        int t = words.size() + 1;
        org.nd4j.linalg.api.ndarray.INDArray in = org.nd4j.linalg.factory.Nd4j.zeros(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, t);
        in.putScalar(new long[]{0, 0, 0}, v.id(CaptionVocabulary.START));
        for (int k = 0; k < words.size(); k++) {
            in.putScalar(new long[]{0, 0, k + 1}, v.id(words.get(k)));
        }
        float[] px = ImageLoader.load(img, c.config().model().imageSize());
        int s = c.config().model().imageSize();
        org.nd4j.linalg.api.ndarray.INDArray image = org.nd4j.linalg.factory.Nd4j.create(px, new long[]{1, 3, s, s},
                'c');
        c.network().rnnClearPreviousState();
        org.nd4j.linalg.api.ndarray.INDArray probs = c.network().output(false, image, in,
                CaptionModel.injectGate(c.config().model(), 1, t, 0))[0];
        double lp = 0;
        for (int k = 0; k < t; k++) {
            int next = k < words.size() ? v.id(words.get(k)) : v.id(CaptionVocabulary.END);
            lp += Math.log(probs.getDouble(0, next, k));
        }
        assertEquals(lp, best.logprob(), 1e-3);
    }

    /**
     * Bundles saved while {@code lstm} meant DL4J's LSTM hold that layer under a config that says {@code lstm}: the
     * decoder-only graph must take the saved layer, not what the name builds today, or decoding would read the
     * parameters in the wrong gate order.
     */
    @Test
    void decoderOnlyGraphKeepsTheTrainedDecoderLayer() {
        CaptionModelConfig old = TinyData.config(1).model();
        CaptionModelConfig saved = new CaptionModelConfig(old.imageSize(), old.convBlocks(), old.convChannels(),
                old.embedding(), "dl4j-lstm", old.hidden(), old.dropout(), old.inject(), old.maxWords(),
                old.lengthPenalty());
        int vocab = 7;
        org.deeplearning4j.nn.graph.ComputationGraph full = CaptionModel.build(saved, vocab, 3);
        org.deeplearning4j.nn.graph.ComputationGraph dec = CaptionModel.decoderOnly(full, old, vocab);
        assertEquals(org.deeplearning4j.nn.conf.layers.LSTM.class,
                dec.getLayer(CaptionModel.DECODER).conf().getLayer().getClass());
        int s = old.imageSize();
        org.nd4j.linalg.api.ndarray.INDArray image = org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, s, s);
        org.nd4j.linalg.api.ndarray.INDArray words = org.nd4j.linalg.factory.Nd4j.zeros(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 1);
        org.nd4j.linalg.api.ndarray.INDArray gate = CaptionModel.injectGate(old, 1, 1, 0);
        org.nd4j.linalg.api.ndarray.INDArray expected = full.output(false, image, words, gate)[0];
        org.nd4j.linalg.api.ndarray.INDArray actual = dec.output(false, CaptionModel.embedImages(full, old, image),
                words, gate)[0];
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5);
    }
}
