package org.rnnsuite.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.sample.SamplingConfig;
import org.rnnsuite.core.train.MetricsRow;
import org.rnnsuite.core.train.TrainingResult;

/** Trains one tiny model once and checks training, resume, sampling and evaluation on it. */
class CharLmTrainingTest {
    @TempDir
    static Path tmp;
    static Path text;
    static TrainingResult trained;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        text = TinyText.write(tmp, "tiny.txt", 120);
        trained = CharLmTask.train(List.of(text), TinyText.tinyConfig(60), tmp.resolve("model"), null);
    }

    @Test
    void lossFallsOnATinyCorpus() {
        List<MetricsRow> h = trained.history();
        double firstTrain = h.stream().filter(r -> !Double.isNaN(r.trainLoss())).findFirst().orElseThrow()
                .trainLoss();
        double initialVal = h.get(0).valLoss();
        int vocab = CharVocab.of(TinyText.text(120, 7)).size();
        // an untrained softmax is near uniform: about log2(vocabulary) bits per character
        double uniform = Math.log(vocab) / Math.log(2);
        assertEquals(uniform, firstTrain, 0.5, "first training loss, bits/char");
        assertEquals(uniform, initialVal, 0.5, "initial validation, bits/char");
        assertTrue(trained.finalTrainLoss() < firstTrain - 1.0,
                "training loss " + firstTrain + " -> " + trained.finalTrainLoss());
        assertTrue(trained.bestValidation() < initialVal - 1.0,
                "validation " + initialVal + " -> " + trained.bestValidation());
        assertTrue(Files.exists(tmp.resolve("model/model.zip")));
        assertTrue(Files.exists(tmp.resolve("model/loss.png")));
        assertTrue(Files.exists(tmp.resolve("model/metrics.csv")));
    }

    @Test
    void resumingAfterAStopReachesTheSameParametersAsAnUninterruptedRun() {
        CharLmConfig cfg = TinyText.tinyConfig(12);
        CharLmTask.train(List.of(text), cfg, tmp.resolve("whole"), null);
        CharLmTask.train(List.of(text), cfg.withMaxSteps(5), tmp.resolve("parts"), null);
        TrainingResult resumed = CharLmTask.resume(List.of(text), tmp.resolve("parts"), 12, tmp.resolve("parts"),
                null);
        assertEquals(12, resumed.steps());
        INDArray whole = ModelBundle.load(tmp.resolve("whole/checkpoint.zip"), CharLmTask.TASK, true)
                .multiLayerNetwork().params();
        INDArray parts = ModelBundle.load(tmp.resolve("parts/checkpoint.zip"), CharLmTask.TASK, true)
                .multiLayerNetwork().params();
        assertArrayEquals(whole.toFloatVector(), parts.toFloatVector(), 0f);
    }

    @Test
    void resumeRefusesAnotherText() throws Exception {
        Path other = TinyText.write(tmp, "other.txt", 100);
        UserInputException e = assertThrows(UserInputException.class,
                () -> CharLmTask.resume(List.of(other), tmp.resolve("model"), 80, tmp.resolve("elsewhere"), null));
        assertTrue(e.getMessage().contains("differs"), e.getMessage());
        UserInputException none = assertThrows(UserInputException.class,
                () -> CharLmTask.resume(List.of(text), tmp.resolve("no-such-run"), 80, tmp.resolve("x"), null));
        assertTrue(none.getMessage().contains("no-such-run"), none.getMessage());
    }

    @Test
    void samplingWithAFixedSeedIsReproducibleAndStreams() {
        ModelBundle model = CharLmTask.load(tmp.resolve("model"));
        List<String> streamed = new ArrayList<>();
        var a = CharLmTask.sample(model, "the ", 80, new SamplingConfig(1.0, 0, 11), streamed::add);
        var b = CharLmTask.sample(CharLmTask.load(tmp.resolve("model")), "the ", 80,
                new SamplingConfig(1.0, 0, 11), null);
        var c = CharLmTask.sample(model, "the ", 80, new SamplingConfig(1.0, 0, 12), null);
        assertEquals(80, a.text().codePointCount(0, a.text().length()));
        assertEquals(a.text(), String.join("", streamed));
        assertEquals(a.text(), b.text());
        assertNotEquals(a.text(), c.text());
        assertTrue(!a.text().contains(CharVocab.UNKNOWN), "the unknown symbol is never generated");
    }

    @Test
    void javaStepsSampleWhatTheLayersSample() {
        ModelBundle model = CharLmTask.load(tmp.resolve("model"));
        assertTrue(org.rnnsuite.core.cells.NetworkStepper.of(model.multiLayerNetwork()).isPresent());
        var java = CharLmTask.sample(model, "the ", 200, new SamplingConfig(1.0, 0, 5), null, true);
        var layers = CharLmTask.sample(model, "the ", 200, new SamplingConfig(1.0, 0, 5), null, false);
        assertEquals(layers.text(), java.text());
    }

    @Test
    void temperatureZeroIsGreedyOverTheWholePrefix() {
        ModelBundle model = CharLmTask.load(tmp.resolve("model"));
        MultiLayerNetwork net = model.multiLayerNetwork();
        CharVocab vocab = new CharVocab(model.jsonArtifact(CharVocab.ARTIFACT, Vocabulary.class));
        String prime = "a sailor ";
        String g = CharLmTask.sample(model, prime, 30, new SamplingConfig(0.0, 0, 1), null).text();
        assertEquals(g, CharLmTask.sample(model, prime, 30, new SamplingConfig(0.0, 0, 99), null).text());
        // stateful step-by-step generation must agree with one full forward pass over prime + generated text
        int[] ids = vocab.encode(prime + g).ids();
        INDArray out = net.output(OneHot.of(new int[][]{ids}, vocab.size(), ids.length), false);
        for (int t = prime.length() - 1; t < ids.length - 1; t++) {
            INDArray p = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t));
            p.putScalar(vocab.unknownId(), 0);
            assertEquals(p.argMax().getInt(0), ids[t + 1], "greedy choice at step " + t);
        }
    }

    @Test
    void evaluationCountsCharactersAndUnknowns() throws Exception {
        ModelBundle model = CharLmTask.load(tmp.resolve("model"));
        Path t = tmp.resolve("eval.txt");
        Files.writeString(t, TinyText.text(20, 99) + "ZZ\u00e9");
        CharLmTask.EvalResult r = CharLmTask.evaluate(model, List.of(t));
        int n = Files.readString(t).length();
        assertEquals(3, r.unknownChars());
        assertEquals(n - 1 - 3, r.chars());
        assertTrue(r.bitsPerChar() > 0 && r.bitsPerChar() < 2.5, "bits/char " + r.bitsPerChar());
        assertEquals(Math.pow(2, r.bitsPerChar()), r.perplexity(), 1e-9);

        // every character scored once however the text is cut into parallel pieces
        CharVocab vocab = new CharVocab(model.jsonArtifact(CharVocab.ARTIFACT, Vocabulary.class));
        int[] ids = vocab.encode(TinyText.text(3, 5)).ids();
        BitsPerChar.Score s = BitsPerChar.score(model.multiLayerNetwork(), ids, vocab.size(), vocab.unknownId());
        assertEquals(ids.length - 1, s.chars());
        // pieces that start within the warm-up see the whole text before them: same as one full forward pass
        int[] head = java.util.Arrays.copyOf(vocab.encode(TinyText.text(20, 5)).ids(), BitsPerChar.WARMUP - 10);
        INDArray out = model.multiLayerNetwork().output(OneHot.of(new int[][]{head}, vocab.size(), head.length),
                false);
        double bits = 0;
        for (int i = 0; i + 1 < head.length; i++) {
            bits -= Math.log(out.getDouble(0, head[i + 1], i)) / Math.log(2);
        }
        BitsPerChar.Score pieces = BitsPerChar.score(model.multiLayerNetwork(), head, vocab.size(),
                vocab.unknownId());
        assertEquals(head.length - 1, pieces.chars());
        assertEquals(bits, pieces.bits(), 1e-3 * bits);
    }

    @Test
    void helloLearnsTheWord() {
        HelloRnn.Result r = HelloRnn.run(300, 1);
        assertEquals(4, r.before().size());
        assertTrue(r.lossAfter() < 0.2 && r.lossAfter() < r.lossBefore(), r.describe());
        assertEquals("hello", r.sample(), r.describe());
        assertTrue(r.describe().contains("p(o)"));
    }
}
