package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.cells.NetworkStepper;

/** Masking, streaming and save/load of the (untrained) classifier; no audio tools needed. */
class SpeechModelTest {
    @TempDir
    Path dir;

    private static SpeechModel model(String readout, boolean bidirectional) {
        return model(readout, bidirectional, TestAudio.tinyConfig(readout, 10).trainer().seed());
    }

    private static SpeechModel model(String readout, boolean bidirectional, long seed) {
        SpeechConfig base = TestAudio.tinyConfig(readout, 10);
        return model(new SpeechConfig(new SpeechModelConfig("lstm", 2, 12, bidirectional, 0.0, readout),
                base.features(), base.data(), base.trainer().withSeed(seed), base.augment()));
    }

    /** A model with or without the convolutional front end over log mel bands. */
    private static SpeechModel withFrontEnd(String readout, boolean conv) {
        if (!conv) {
            return model(readout, false);
        }
        SpeechConfig base = TestAudio.tinyConfig(readout, 10);
        return model(new SpeechConfig(new SpeechModelConfig("gru", 2, 12, false, 0.0, readout, 4, 5, 2),
                TestAudio.logMel(base.features()), base.data(), base.trainer(), base.augment()));
    }

    private static SpeechModel model(SpeechConfig cfg) {
        MultiLayerNetwork net = SpeechModel.build(cfg, 3);
        int d = cfg.features().frameSize();
        Normalizer identity = new Normalizer(new float[d], filled(d, 1f));
        return new SpeechModel(net, cfg, identity, List.of("a", "b", "c"));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static float[][] randomSeq(int frames, int d, long seed) {
        Random r = new Random(seed);
        float[][] s = new float[frames][d];
        for (float[] f : s) {
            for (int k = 0; k < d; k++) {
                f[k] = (float) r.nextGaussian();
            }
        }
        return s;
    }

    @ParameterizedTest
    @CsvSource({"mean,false", "last,false", "mean,true", "last,true"})
    void paddingBeyondTheMaskDoesNotChangeThePrediction(String readout, boolean conv) {
        SpeechModel m = withFrontEnd(readout, conv);
        int d = m.config().features().frameSize();
        float[][] shortSeq = randomSeq(7, d, 1);
        // batched with a longer clip, the short one is padded to 30 frames; alone it is not padded at all
        double[] alone = m.probabilities(List.<float[][]>of(shortSeq))[0];
        double[] padded = m.probabilities(List.<float[][]>of(shortSeq, randomSeq(30, d, 2)))[0];
        assertArrayEquals(alone, padded, 1e-5);
        // the padding content does not matter either: fill it with "silence" and then with loud noise
        float[][] loud = randomSeq(30, d, 3);
        for (int i = 0; i < loud.length; i++) {
            for (int k = 0; k < d; k++) {
                loud[i][k] *= 50;
            }
        }
        double[] withLoud = m.probabilities(List.<float[][]>of(shortSeq, loud))[0];
        assertArrayEquals(alone, withLoud, 1e-5);
    }

    /** A model of the given cell without front end. */
    private static SpeechModel withCell(String readout, String cell) {
        SpeechConfig base = TestAudio.tinyConfig(readout, 10);
        return model(new SpeechConfig(new SpeechModelConfig(cell, 2, 12, false, 0.0, readout),
                base.features(), base.data(), base.trainer(), base.augment()));
    }

    @ParameterizedTest
    @CsvSource({"mean,false", "last,false", "mean,true", "last,true"})
    void streamingEndsWithTheWholeSequenceDecision(String readout, boolean conv) {
        streamingEndsWithTheWholeSequenceDecision(withFrontEnd(readout, conv));
    }

    /** GRU, LSTM and CIFG stream in plain Java, the peephole LSTM through its layers: both as the whole clip. */
    @ParameterizedTest
    @CsvSource({"mean,gru", "last,gru", "mean,cifg", "last,cifg", "mean,peephole"})
    void streamingEndsWithTheWholeSequenceDecisionForEachCell(String readout, String cell) {
        streamingEndsWithTheWholeSequenceDecision(withCell(readout, cell));
    }

    /** The plain-Java frame steps agree with the layers' own rnnTimeStep frame by frame, for a trained-like net. */
    @ParameterizedTest
    @CsvSource({"mean,gru", "last,gru", "mean,lstm", "last,cifg"})
    void javaStepsEqualTheLayersSteps(String readout, String cell) {
        SpeechModel m = withCell(readout, cell);
        m.network().params().muli(2);
        assertTrue(NetworkStepper.of(m.network()).isPresent());
        float[][] seq = randomSeq(30, m.config().features().frameSize(), 8);
        double[][] java = m.stream(seq);
        double[][] layers = m.streamThroughLayers(seq, 7);
        for (int t = 0; t < seq.length; t++) {
            assertArrayEquals(layers[t], java[t], 1e-5, "frame " + t);
        }
        SpeechModel conv = withFrontEnd(readout, true);
        assertTrue(NetworkStepper.of(conv.network()).isEmpty());
    }

    private static void streamingEndsWithTheWholeSequenceDecision(SpeechModel m) {
        float[][] seq = randomSeq(25, m.config().features().frameSize(), 4);
        double[][] steps = m.stream(seq);
        assertEquals(25, steps.length);
        double[] whole = m.probabilities(List.<float[][]>of(seq))[0];
        assertArrayEquals(whole, steps[24], 1e-4);
        // each prefix's decision equals the whole-sequence decision of that prefix
        double[] prefix = m.probabilities(List.<float[][]>of(java.util.Arrays.copyOf(seq, 10)))[0];
        assertArrayEquals(prefix, steps[9], 1e-4);
        // feeding blocks of frames gives the same per-frame decisions as feeding one frame at a time
        double[][] blocks = m.stream(seq, 4);
        for (int t = 0; t < steps.length; t++) {
            assertArrayEquals(steps[t], blocks[t], 1e-5, "frame " + t);
        }
        // streaming twice gives the same result: state is cleared between clips
        assertArrayEquals(steps[24], m.stream(seq)[24], 1e-6);
    }

    @Test
    void speakerBalancedValidationLossWeighsEachSpeakerOnce() {
        SpeechModel m = model("mean", false);
        int d = m.config().features().frameSize();
        List<float[][]> seqs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seqs.add(randomSeq(20 + 3 * i, d, 40 + i));
        }
        int[] y = {0, 1, 2, 0, 1};
        String mean = m.config().model().readout();
        MultiLayerNetwork net = m.network();
        double[] each = new double[5];
        for (int i = 0; i < 5; i++) {
            each[i] = SpeechTask.loss(net, seqs.subList(i, i + 1), new int[]{y[i]}, 3, mean);
        }
        double perClip = SpeechTask.loss(net, seqs, y, 3, mean);
        assertEquals((each[0] + each[1] + each[2] + each[3] + each[4]) / 5, perClip, 1e-5);
        assertEquals(perClip, SpeechTask.loss(net, seqs, y, 3, mean, null), 0);
        // speaker x has four clips, z one: each speaker's mean counts once
        double balanced = SpeechTask.loss(net, seqs, y, 3, mean, List.of("x", "x", "z", "x", "x"));
        assertEquals(((each[0] + each[1] + each[3] + each[4]) / 4 + each[2]) / 2, balanced, 1e-5);
        assertEquals("clip", SpeechDataConfig.defaults().validationLoss());
        assertThrows(IllegalArgumentException.class, () -> new SpeechDataConfig(8, 10, 10, "utterance"));
    }

    @Test
    void convolutionalFrontEndPoolsOverFrequencyAndNeedsLogMelFeatures() {
        SpeechModel m = withFrontEnd("mean", true);
        FeatureConfig f = m.config().features();
        // 20 bands x 2 channels in, 4 filters of 5 bands at 16 positions, pooled in pairs: 8 x 4 into the GRU
        assertEquals(40, f.frameSize());
        assertEquals(32, ((org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) m.network().getLayer(2).conf()
                .getLayer()).getNIn());
        SpeechConfig base = TestAudio.tinyConfig("mean", 10);
        SpeechConfig mfcc = new SpeechConfig(new SpeechModelConfig("gru", 1, 12, false, 0.0, "mean", 4, 5, 2),
                base.features(), base.data(), base.trainer(), base.augment());
        UserInputException e = assertThrows(UserInputException.class, () -> SpeechModel.build(mfcc, 3));
        assertTrue(e.getMessage().contains("features.kind=logmel"), e.getMessage());
        SpeechConfig tall = new SpeechConfig(new SpeechModelConfig("gru", 1, 12, false, 0.0, "mean", 4, 21, 2),
                TestAudio.logMel(base.features()), base.data(), base.trainer(), base.augment());
        e = assertThrows(UserInputException.class, () -> SpeechModel.build(tall, 3));
        assertTrue(e.getMessage().contains("model.convKernel=21"), e.getMessage());
    }

    @Test
    void bidirectionalModelClassifiesButRefusesToStream() {
        SpeechModel m = model("mean", true);
        int d = m.config().features().frameSize();
        double[] p = m.probabilities(List.<float[][]>of(randomSeq(9, d, 5)))[0];
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-4);
        assertThrows(UserInputException.class, () -> m.stream(randomSeq(9, d, 5)));
    }

    @Test
    void testTimeWarpsAverageThreeViewsOfTheClip() {
        SpeechModel plain = withCell("mean", "gru");
        plain.network().params().muli(2);
        SpeechModel warped = plain.withTestWarp(0.1);
        float[] samples = TestAudio.chirp(8000, 0.6, 300, 1500, 0.5, 3);
        List<float[][]> views = warped.views(samples);
        assertEquals(3, views.size());
        assertEquals(1, plain.views(samples).size());
        // the first view is the unwarped one; the warped ones differ from it
        assertArrayEquals(plain.views(samples).get(0)[10], views.get(0)[10]);
        assertTrue(!java.util.Arrays.equals(views.get(0)[10], views.get(1)[10]));
        assertTrue(!java.util.Arrays.equals(views.get(1)[10], views.get(2)[10]));
        double[] p = warped.probabilitiesOfViews(List.of(List.<float[][]>of(views.get(0)),
                List.<float[][]>of(views.get(1)), List.<float[][]>of(views.get(2))))[0];
        double[] mean = new double[3];
        for (float[][] v : views) {
            double[] q = plain.probabilities(List.<float[][]>of(v))[0];
            for (int c = 0; c < 3; c++) {
                mean[c] += q[c] / 3;
            }
        }
        assertArrayEquals(mean, p, 1e-9);
        // streaming the three views ends with the same decision
        double[][] steps = warped.streamViews(views, 4);
        assertArrayEquals(p, steps[steps.length - 1], 1e-4);
        assertThrows(IllegalArgumentException.class, () -> plain.withTestWarp(0.31));
    }

    @Test
    void testWarpIsSavedWithTheModel() throws Exception {
        SpeechModel m = withCell("mean", "gru").withTestWarp(0.1);
        m.bundle("sha256:test").save(dir.resolve("model.zip"), false);
        assertEquals(0.1, SpeechModel.load(dir).config().augment().testWarp(), 0);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void saveLoadGivesTheSameOutput(boolean conv) throws Exception {
        SpeechModel m = withFrontEnd("mean", conv);
        int d = m.config().features().frameSize();
        List<float[][]> seqs = new ArrayList<>();
        seqs.add(randomSeq(11, d, 6));
        seqs.add(randomSeq(17, d, 7));
        Path file = dir.resolve("model.zip");
        m.bundle("sha256:test").save(file, false);
        SpeechModel back = SpeechModel.load(dir);
        assertEquals(m.labels(), back.labels());
        assertEquals(m.config(), back.config());
        assertArrayEquals(m.normalizer().mean(), back.normalizer().mean());
        double[][] a = m.probabilities(seqs);
        double[][] b = back.probabilities(seqs);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 1e-6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "last"})
    void ensembleAveragesItsMembersWholeAndStreamingAndSurvivesSaveLoad(String readout) throws Exception {
        SpeechModel a = model(readout, false, 1);
        SpeechModel b = model(readout, false, 2);
        SpeechModel c = model(readout, false, 3);
        SpeechModel e = SpeechModel.ensemble(List.of(a, b, c));
        assertEquals(3, e.members());
        int d = e.config().features().frameSize();
        List<float[][]> seqs = List.of(randomSeq(9, d, 8), randomSeq(14, d, 9));
        double[][] pa = a.probabilities(seqs);
        double[][] pb = b.probabilities(seqs);
        double[][] pc = c.probabilities(seqs);
        double[][] pe = e.probabilities(seqs);
        for (int i = 0; i < seqs.size(); i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals((pa[i][k] + pb[i][k] + pc[i][k]) / 3, pe[i][k], 1e-9);
            }
            // the members really differ, or the average would prove nothing
            assertTrue(Math.abs(pa[i][0] - pb[i][0]) > 1e-4, "members with other seeds give other outputs");
        }
        double[][] steps = e.stream(seqs.get(1));
        assertArrayEquals(pe[1], steps[13], 1e-4);

        e.bundle("sha256:test").save(dir.resolve("model.zip"), false);
        SpeechModel back = SpeechModel.load(dir);
        assertEquals(3, back.members());
        double[][] pBack = back.probabilities(seqs);
        for (int i = 0; i < seqs.size(); i++) {
            assertArrayEquals(pe[i], pBack[i], 1e-6);
        }
        // an ensemble of an ensemble and a model flattens to all their networks
        assertEquals(4, SpeechModel.ensemble(List.of(back, model(readout, false, 4))).members());
    }

    @Test
    void ensembleRefusesModelsThatDoNotFit() {
        SpeechModel a = model("mean", false, 1);
        assertThrows(UserInputException.class, () -> SpeechModel.ensemble(List.of(a)));
        // another readout is another architecture
        UserInputException arch = assertThrows(UserInputException.class,
                () -> SpeechModel.ensemble(List.of(a, model("last", false, 2))));
        assertTrue(arch.getMessage().contains("architecture"), arch.getMessage());
        SpeechModel otherLabels = new SpeechModel(a.network(), a.config(), a.normalizer(), List.of("x", "y", "z"));
        assertTrue(assertThrows(UserInputException.class, () -> SpeechModel.ensemble(List.of(a, otherLabels)))
                .getMessage().contains("labels"));
        int d = a.config().features().frameSize();
        SpeechModel otherData = new SpeechModel(model("mean", false, 2).network(), a.config(),
                new Normalizer(filled(d, 0.5f), filled(d, 1f)), a.labels());
        assertTrue(assertThrows(UserInputException.class, () -> SpeechModel.ensemble(List.of(a, otherData)))
                .getMessage().contains("same data"));
    }

    @Test
    void loadingSomethingElseNamesTheFile() throws Exception {
        Path bogus = dir.resolve("bogus.zip");
        java.nio.file.Files.writeString(bogus, "not a zip");
        UserInputException e = assertThrows(UserInputException.class, () -> SpeechModel.load(bogus));
        assertTrue(e.getMessage().contains("bogus.zip"), e.getMessage());
    }
}
