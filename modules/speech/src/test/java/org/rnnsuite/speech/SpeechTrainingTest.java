package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.train.MetricsRow;

/** End-to-end training on a toy dataset of rising and falling chirps. */
class SpeechTrainingTest {
    @TempDir
    static Path tmp;
    static Path data;
    static SpeechTask.TrainResult result;
    static Path out;

    @BeforeAll
    static void trainOnce() throws Exception {
        data = TestAudio.toyDataset(tmp.resolve("toy"), 6);
        out = tmp.resolve("run");
        result = SpeechTask.train(data, out, TestAudio.tinyConfig("mean", 60), null);
    }

    @Test
    void trainingLowersTheLossAndSeparatesTheClasses() {
        List<MetricsRow> h = result.training().history();
        double first = h.stream().filter(r -> !Double.isNaN(r.trainLoss())).findFirst().orElseThrow().trainLoss();
        assertTrue(result.training().finalTrainLoss() < 0.5 * first,
                "loss " + first + " -> " + result.training().finalTrainLoss());
        assertEquals(List.of("down", "up"), result.labels());
        assertNotNull(result.test());
        assertTrue(result.test().accuracy() >= 0.9, "held-out speaker accuracy " + result.test().accuracy());
        assertTrue(Files.exists(out.resolve("model.zip")));
        assertTrue(Files.exists(out.resolve("confusion-test.png")));
        assertTrue(Files.exists(out.resolve("eval-test.json")));
    }

    @Test
    void normalizerIsFitOnTheTrainingSplitOnly() {
        SpeechModel m = SpeechModel.load(out);
        FeatureConfig fc = m.config().features();
        SpeechCorpus corpus = SpeechCorpus.scan(data, m.config().data());
        Normalizer trainOnly = Normalizer.fit(SpeechTask.extract(corpus.train(), m.labels(), fc).sequences());
        assertArrayEquals(trainOnly.mean(), m.normalizer().mean(), 1e-5f);
        assertArrayEquals(trainOnly.std(), m.normalizer().std(), 1e-5f);
        List<Utterance> all = new java.util.ArrayList<>(corpus.train());
        all.addAll(corpus.test());
        Normalizer withTest = Normalizer.fit(SpeechTask.extract(all, m.labels(), fc).sequences());
        assertFalse(java.util.Arrays.equals(withTest.mean(), m.normalizer().mean()));
    }

    @Test
    void classifyEvaluateAndStreamAWholeFolder() {
        SpeechModel m = SpeechModel.load(out);
        Path up = data.resolve("test/up/s6_0.wav");
        Path down = data.resolve("test/down/s6_1.wav");
        List<SpeechTask.Prediction> p = SpeechTask.classify(m, List.of(up, down));
        assertEquals("up", p.get(0).label());
        assertEquals("down", p.get(1).label());
        assertEquals(1.0, p.get(0).probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-4);
        SpeechEvaluation e = SpeechTask.evaluate(m, data);
        assertEquals(12, e.utterances());
        assertEquals(result.test().accuracy(), e.accuracy(), 1e-9);
        // per speaker: every test clip is counted once under its file-name speaker, and the counts add up
        assertEquals(12, e.perSpeaker().values().stream().mapToInt(SpeechEvaluation.SpeakerMetrics::clips).sum());
        int correct = e.perSpeaker().values().stream().mapToInt(SpeechEvaluation.SpeakerMetrics::correct).sum();
        assertEquals(e.accuracy(), correct / 12.0, 1e-9);
        assertEquals(result.test().perSpeaker(), e.perSpeaker());
        assertTrue(e.toJson().has("per_speaker"));
        SpeechTask.StreamResult s = SpeechTask.stream(m, up, 3);
        assertEquals("up", s.finalLabel());
        assertTrue(s.realTimeFactor() > 0, "real-time factor " + s.realTimeFactor());
        // with test-time warps: three views of each clip, the same folder and files
        SpeechModel w = m.withTestWarp(0.1);
        List<SpeechTask.Prediction> pw = SpeechTask.classify(w, List.of(up, down));
        assertEquals(1.0, pw.get(0).probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-4);
        SpeechEvaluation ew = SpeechTask.evaluate(w, data);
        assertEquals(12, ew.utterances());
        SpeechTask.StreamResult sw = SpeechTask.stream(w, up, 3);
        assertEquals(pw.get(0).label(), sw.finalLabel());
    }

    @Test
    void resumeFromDataPositionIsExact() {
        SpeechConfig cfg = TestAudio.tinyConfig("last", 5);
        int d = cfg.features().frameSize();
        List<float[][]> seqs = new java.util.ArrayList<>();
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            seqs.add(new float[3 + i][d]);
            y[i] = i % 2;
        }
        UtteranceBatchSource a = new UtteranceBatchSource(seqs, y, 2, 4, "last", 3);
        for (int i = 0; i < 4; i++) {
            a.next();
        }
        UtteranceBatchSource b = new UtteranceBatchSource(seqs, y, 2, 4, "last", 3);
        b.restore(a.state());
        for (int i = 0; i < 5; i++) {
            assertEquals(a.next().getFeatures(0).shapeInfoToString(), b.next().getFeatures(0).shapeInfoToString());
        }
    }

    @Test
    void resumedRunEndsWhereAnUninterruptedOneDoes() {
        Path whole = tmp.resolve("whole");
        Path half = tmp.resolve("half");
        Path unmixed = tmp.resolve("unmixed");
        // with warped feature versions and mixup, so the version and the mixture drawn for each clip must be
        // restored as well
        SpeechTask.train(data, whole, TestAudio.tinyAugmentedConfig("mean", 16, 0.4), null);
        SpeechTask.train(data, half, TestAudio.tinyAugmentedConfig("mean", 7, 0.4), null);
        SpeechTask.TrainResult r = SpeechTask.train(data, half, TestAudio.tinyAugmentedConfig("mean", 16, 0.4), half,
                null);
        assertEquals(16, r.training().steps());
        assertEquals(2, SpeechModel.load(half).config().augment().copies());
        assertEquals(0.4, SpeechModel.load(half).config().augment().mixup());
        SpeechModel a = SpeechModel.load(org.rnnsuite.core.train.Trainer.checkpointIn(whole));
        SpeechModel b = SpeechModel.load(org.rnnsuite.core.train.Trainer.checkpointIn(half));
        assertEquals(a.network().params(), b.network().params(), "weights after 7 + 9 steps equal 16 steps");
        SpeechTask.train(data, unmixed, TestAudio.tinyAugmentedConfig("mean", 16, 0.0), null);
        assertNotEquals(a.network().params(),
                SpeechModel.load(org.rnnsuite.core.train.Trainer.checkpointIn(unmixed)).network().params(),
                "mixup changes what is learned");
        UserInputException done = assertThrows(UserInputException.class,
                () -> SpeechTask.train(data, half, TestAudio.tinyAugmentedConfig("mean", 16, 0.4), half, null));
        assertTrue(done.getMessage().contains("--max-steps"), done.getMessage());
    }

    @Test
    void featureVersionsAreDrawnPerEpochAndRestoredOnResume() {
        int d = 2;
        List<float[][]> plain = new java.util.ArrayList<>();
        List<float[][]> warped = new java.util.ArrayList<>();
        int[] y = new int[8];
        for (int i = 0; i < 8; i++) {
            plain.add(new float[4][d]);
            float[][] w = new float[4][d];
            for (float[] row : w) {
                java.util.Arrays.fill(row, 1f);
            }
            warped.add(w);
            y[i] = i % 2;
        }
        UtteranceBatchSource a = UtteranceBatchSource.withVersions(List.of(plain, warped), y, 2, 4, "last", 5);
        double sum = 0;
        for (int i = 0; i < 20; i++) {
            sum += a.next().getFeatures(0).sumNumber().doubleValue();
        }
        // 20 batches x 4 clips x 8 values: about half the clips come from the all-ones version
        assertTrue(sum > 0.25 * 640 && sum < 0.75 * 640, "sum " + sum);
        UtteranceBatchSource b = UtteranceBatchSource.withVersions(List.of(plain, warped), y, 2, 4, "last", 5);
        b.restore(a.state());
        for (int i = 0; i < 6; i++) {
            assertEquals(a.next().getFeatures(0), b.next().getFeatures(0));
        }
        List<float[][]> shorter = new java.util.ArrayList<>(warped);
        shorter.set(3, new float[2][d]);
        assertThrows(IllegalArgumentException.class,
                () -> UtteranceBatchSource.withVersions(List.of(plain, shorter), y, 2, 4, "last", 5));
    }

    @Test
    void unknownLabelsAndMissingFoldersAreUserErrors() {
        SpeechModel m = SpeechModel.load(out);
        assertThrows(UserInputException.class, () -> SpeechTask.evaluate(m, tmp.resolve("missing")));
        UserInputException e = assertThrows(UserInputException.class,
                () -> SpeechCorpus.scan(tmp.resolve("missing"), SpeechDataConfig.defaults()));
        assertTrue(e.getMessage().contains("missing"));
    }
}
