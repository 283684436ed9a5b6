package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.config.Configs;

/**
 * Augmentation of the training features (masks, mixup, noise): deterministic, training data only, validated options.
 */
class SpeechAugmentTest {
    @TempDir
    Path tmp;

    @Test
    void configValidatesItsRangesAndOldBundlesReadAsUnmasked() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new SpeechAugmentConfig(0.1, 2, 9, 8, 0, 6, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new SpeechAugmentConfig(0.1, 2, 2, 51, 0, 6, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new SpeechAugmentConfig(0.1, 2, 2, 8, 5, 6, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new SpeechAugmentConfig(0.1, 2, 2, 8, 1, -1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new SpeechAugmentConfig(0.1, 2, 2, 8, 1, 6, 0.31));
        assertThrows(IllegalArgumentException.class,
                () -> new SpeechAugmentConfig(0.1, 2, 2, 8, 1, 6, 0.0, 0.1, 1.5));
        UserInputException e = assertThrows(UserInputException.class, () -> Configs.load(
                SpeechConfig.class, SpeechConfig.defaults(), null, List.of("augment.timeMaskFrames=99")));
        assertTrue(e.getMessage().contains("augment.timeMaskFrames"), e.getMessage());

        // a bundle saved before masking existed: only vtlp and copies
        SpeechAugmentConfig old = Configs.mapper().readValue("{\"vtlp\": 0.15, \"copies\": 4}",
                SpeechAugmentConfig.class);
        assertEquals(0, old.timeMasks());
        assertEquals(0, old.freqMasks());
        assertEquals(0.0, old.mixup());
        assertTrue(!old.timeMasking() && !old.frequencyMasking() && old.enabled());
        SpeechAugmentConfig back = Configs.mapper().readValue(Configs.toJson(SpeechAugmentConfig.defaults()),
                SpeechAugmentConfig.class);
        assertEquals(SpeechAugmentConfig.defaults(), back);
        // the shipped configuration file states every option and validates
        SpeechConfig digits = Configs.load(SpeechConfig.class, SpeechConfig.defaults(),
                Path.of("../../configs/speech-digits.json"), List.of());
        // the defaults, plus noise on half of the augmented copies (0-20 dB), as the shipped model was trained, and
        // no test-time warps (chosen on validation log-loss; training never uses them)
        SpeechAugmentConfig d = SpeechAugmentConfig.defaults();
        assertEquals(new SpeechAugmentConfig(d.vtlp(), d.copies(), d.timeMasks(), d.timeMaskFrames(), d.freqMasks(),
                d.freqMaskBands(), d.labelSmoothing(), 0.0, d.mixup(), 0.5, 0.0), digits.augment());
        assertEquals(3, Configs.load(SpeechConfig.class, SpeechConfig.defaults(),
                Path.of("../../configs/speech-digits.json"), List.of("augment.timeMasks=3")).augment().timeMasks());

        // frequency masks alone also make augmented copies
        assertTrue(new SpeechAugmentConfig(0, 2, 0, 0, 1, 4, 0.0).enabled());
        assertTrue(!new SpeechAugmentConfig(0, 1, 0, 0, 1, 4, 0.0).enabled());
        // so does noise alone; its share and its lowest SNR are checked, and older bundles read as noiseless
        assertTrue(new SpeechAugmentConfig(0, 2, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.5, 0.0).enabled());
        assertThrows(IllegalArgumentException.class,
                () -> new SpeechAugmentConfig(0.1, 2, 0, 0, 0, 0, 0.0, 0.0, 0.0, 1.5, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> new SpeechAugmentConfig(0.1, 2, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.5, -20.0));
        assertEquals(0.0, old.noise());
        assertEquals(0.0, old.noiseSnr());
    }

    @Test
    void noiseOnTheAugmentedCopiesIsMixedIntoTheAudioAtTheDrawnLevel() throws Exception {
        Path data = TestAudio.toyDataset(tmp.resolve("toy"), 2);
        List<Utterance> clips = SpeechCorpus.tree(data.resolve("train"));
        FeatureConfig fc = TestAudio.tinyConfig("mean", 1).features();
        List<String> labels = List.of("down", "up");
        int n = clips.size();
        List<float[][]> clean = SpeechTask.extract(clips, labels, fc).sequences();
        SpeechTask.Noise[] loud = new SpeechTask.Noise[n];
        SpeechTask.Noise[] faint = new SpeechTask.Noise[n];
        for (int i = 0; i < n; i++) {
            loud[i] = new SpeechTask.Noise("pink", 0, 7 + i);
            faint[i] = new SpeechTask.Noise("pink", 30, 7 + i);
        }
        List<float[][]> atZero = SpeechTask.extract(clips, labels, fc, null, null, loud).sequences();
        List<float[][]> atThirty = SpeechTask.extract(clips, labels, fc, null, null, faint).sequences();
        List<float[][]> again = SpeechTask.extract(clips, labels, fc, null, null, loud).sequences();
        SpeechTask.Noise[] some = new SpeechTask.Noise[n];
        some[1] = loud[1];
        List<float[][]> onlySecond = SpeechTask.extract(clips, labels, fc, null, null, some).sequences();
        for (int i = 0; i < n; i++) {
            double near = distance(clean.get(i), atThirty.get(i));
            double far = distance(clean.get(i), atZero.get(i));
            assertTrue(near > 0 && far > 4 * near, "0 dB moves the features more than 30 dB: " + far + " vs " + near);
            assertArrayEquals(atZero.get(i), again.get(i), "the noise follows from its seed");
        }
        assertArrayEquals(clean.get(0), onlySecond.get(0), "a clip without noise is left alone");
        assertArrayEquals(atZero.get(1), onlySecond.get(1));
    }

    private static double distance(float[][] a, float[][] b) {
        double sum = 0;
        for (int t = 0; t < a.length; t++) {
            for (int c = 0; c < a[t].length; c++) {
                sum += (a[t][c] - b[t][c]) * (a[t][c] - b[t][c]);
            }
        }
        return Math.sqrt(sum);
    }

    /** Ten clips of 40 frames whose values are all 1, so masked (zero) frames are easy to find. */
    private static List<float[][]> ones(int clips, int frames, int d) {
        List<float[][]> seqs = new ArrayList<>();
        for (int i = 0; i < clips; i++) {
            float[][] s = new float[frames][d];
            for (float[] row : s) {
                java.util.Arrays.fill(row, 1f);
            }
            seqs.add(s);
        }
        return seqs;
    }

    private static List<INDArray> draw(UtteranceBatchSource s, int batches) {
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            out.add(s.next().getFeatures(0).dup());
        }
        return out;
    }

    @Test
    void timeMasksAreDeterministicFromTheSeedFreshEachEpochAndLeaveTheStoredFeaturesAlone() {
        int frames = 40;
        int d = 3;
        List<float[][]> seqs = ones(10, frames, d);
        int[] y = new int[10];
        UtteranceBatchSource a = new UtteranceBatchSource(seqs, y, 2, 5, "mean", 11).withTimeMasks(2, 6);
        UtteranceBatchSource b = new UtteranceBatchSource(seqs, y, 2, 5, "mean", 11).withTimeMasks(2, 6);
        UtteranceBatchSource c = new UtteranceBatchSource(seqs, y, 2, 5, "mean", 12).withTimeMasks(2, 6);
        List<INDArray> fromA = draw(a, 8);
        assertEquals(fromA, draw(b, 8), "same seed, same masks");
        assertNotEquals(fromA, draw(c, 8), "another seed, other masks");

        double total = 0;
        for (INDArray f : fromA) {
            total += f.sumNumber().doubleValue();
        }
        double unmasked = 8 * 5 * d * frames;
        // at most 2 spans of at most 6 (a fifth of 40 is 8) frames per clip: at most 30 % masked, and some are
        assertTrue(total < unmasked && total >= 0.7 * unmasked, "sum " + total + " of " + unmasked);
        for (float[][] s : seqs) {
            for (float[] row : s) {
                for (float v : row) {
                    assertEquals(1f, v, "stored training features are not changed");
                }
            }
        }

        // one clip, one per batch: every batch is a new epoch, and the masks change between epochs
        UtteranceBatchSource one = new UtteranceBatchSource(ones(1, frames, d), new int[1], 2, 1, "mean", 3)
                .withTimeMasks(2, 6);
        Set<INDArray> patterns = new HashSet<>(draw(one, 6));
        assertTrue(patterns.size() >= 4, patterns.size() + " distinct masks in 6 epochs");

        // a resumed source draws the same masks
        UtteranceBatchSource r = new UtteranceBatchSource(seqs, y, 2, 5, "mean", 11).withTimeMasks(2, 6);
        r.restore(a.state());
        assertEquals(draw(a, 4), draw(r, 4));

        // no masks configured: batches are the features themselves
        UtteranceBatchSource plain = new UtteranceBatchSource(seqs, y, 2, 5, "mean", 11);
        assertEquals(5.0 * d * frames, plain.next().getFeatures(0).sumNumber().doubleValue(), 1e-6);
    }

    @Test
    void labelSmoothingSpreadsPartOfEachTargetOverAllClasses() {
        List<float[][]> seqs = ones(4, 5, 2);
        int[] y = {0, 1, 2, 3};
        INDArray t = new UtteranceBatchSource(seqs, y, 4, 4, "mean", 1).withLabelSmoothing(0.2).next().getLabels(0);
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, t.getRow(i).sumNumber().doubleValue(), 1e-6);
            assertEquals(0.85, t.getRow(i).maxNumber().doubleValue(), 1e-6);
            assertEquals(0.05, t.getRow(i).minNumber().doubleValue(), 1e-6);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new UtteranceBatchSource(seqs, y, 4, 4, "mean", 1).withLabelSmoothing(1.0));
    }

    /** Clip i: {@code frames[i]} frames of 2 values, all equal to i + 1, so a mixture's values tell its parts. */
    private static List<float[][]> numbered(int... frames) {
        List<float[][]> seqs = new ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            float[][] s = new float[frames[i]][2];
            for (float[] row : s) {
                java.util.Arrays.fill(row, i + 1f);
            }
            seqs.add(s);
        }
        return seqs;
    }

    @Test
    void mixupMixesFeaturesAndTargetsWithTheSameWeights() {
        int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
        List<float[][]> seqs = numbered(6, 6, 6, 6, 6, 6, 6, 6);
        UtteranceBatchSource a = new UtteranceBatchSource(seqs, y, 8, 8, "mean", 5).withMixup(0.4);
        int mixedRows = 0;
        for (int batch = 0; batch < 5; batch++) {
            var b = a.next();
            INDArray x = b.getFeatures(0);
            INDArray t = b.getLabels(0);
            for (int i = 0; i < 8; i++) {
                INDArray row = t.getRow(i);
                assertEquals(1.0, row.sumNumber().doubleValue(), 1e-6, "targets sum to 1");
                assertTrue(row.maxNumber().doubleValue() >= 0.5 - 1e-6, "the clip keeps the larger share");
                // the features are the targets' mixture of the clips' values (clip c has value c + 1)
                double expected = 0;
                for (int c = 0; c < 8; c++) {
                    expected += row.getDouble(c) * (c + 1);
                }
                for (int step = 0; step < 6; step++) {
                    assertEquals(expected, x.getDouble(i, 0, step), 1e-5);
                    assertEquals(expected, x.getDouble(i, 1, step), 1e-5);
                }
                if (row.maxNumber().doubleValue() < 1 - 1e-6) {
                    mixedRows++;
                }
            }
        }
        assertTrue(mixedRows >= 20, mixedRows + " of 40 clips mixed with another");
        for (float[][] s : seqs) {
            assertEquals(s[0][0], s[5][1], "stored training features are not changed");
        }

        // deterministic from the seed, and a resumed source draws the same mixtures
        UtteranceBatchSource b = new UtteranceBatchSource(seqs, y, 8, 8, "mean", 5).withMixup(0.4);
        UtteranceBatchSource c = new UtteranceBatchSource(seqs, y, 8, 8, "mean", 6).withMixup(0.4);
        List<INDArray> fromB = draw(b, 3);
        assertNotEquals(fromB, draw(c, 3), "another seed, other mixtures");
        UtteranceBatchSource r = new UtteranceBatchSource(seqs, y, 8, 8, "mean", 5).withMixup(0.4);
        r.restore(b.state());
        assertEquals(draw(b, 3), draw(r, 3));
        assertEquals(draw(new UtteranceBatchSource(seqs, y, 8, 8, "mean", 5).withMixup(0.4), 3), fromB);
        assertThrows(IllegalArgumentException.class,
                () -> new UtteranceBatchSource(seqs, y, 8, 8, "mean", 5).withMixup(2));
    }

    @Test
    void mixupKeepsEachClipsLengthAndLastStepTarget() {
        // readout "last": the target sits at the clip's own last frame; a shorter partner adds nothing after its end
        int[] y = {0, 1};
        List<float[][]> seqs = numbered(4, 9);
        UtteranceBatchSource s = new UtteranceBatchSource(seqs, y, 2, 2, "last", 3).withMixup(1.0);
        for (int batch = 0; batch < 10; batch++) {
            var b = s.next();
            INDArray x = b.getFeatures(0);
            INDArray t = b.getLabels(0);
            INDArray m = b.getFeaturesMaskArray(0);
            for (int i = 0; i < 2; i++) {
                int clip = m.getRow(i).sumNumber().intValue() == 4 ? 0 : 1;
                int last = clip == 0 ? 3 : 8;
                assertEquals(1.0, t.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(last))
                        .sumNumber().doubleValue(), 1e-6);
                double own = t.getDouble(i, clip, last);
                assertTrue(own >= 0.5 - 1e-6);
                double partnerValue = own < 1 - 1e-6 ? 2 - clip : clip + 1; // the other clip, or itself
                assertEquals(own * (clip + 1) + (1 - own) * partnerValue, x.getDouble(i, 0, 0), 1e-5);
                if (clip == 1) {
                    // frames 4..8 of the long clip: the short partner has ended, only the clip's share is left
                    double after = own < 1 - 1e-6 ? own * 2 : 2;
                    assertEquals(after, x.getDouble(i, 0, 8), 1e-5);
                }
            }
        }
    }

    @Test
    void betaDrawsHaveTheBetaDistributionsMeanAndVariance() {
        Random r = new Random(1);
        for (double alpha : new double[] {0.2, 0.4, 1.0}) {
            double sum = 0;
            double sq = 0;
            int n = 40_000;
            for (int i = 0; i < n; i++) {
                double x = UtteranceBatchSource.beta(alpha, r);
                assertTrue(x >= 0 && x <= 1);
                sum += x;
                sq += x * x;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertEquals(0.5, mean, 0.01, "alpha " + alpha);
            assertEquals(1 / (4 * (2 * alpha + 1)), var, 0.01, "alpha " + alpha);
        }
    }

    @Test
    void frequencyMasksInterpolateTheMaskedMelBands() {
        double[] v = {1, 9, 9, 4, 5, 9};
        Mfcc.interpolateMasked(v, new boolean[] {false, true, true, false, false, true});
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 5}, v, 1e-12);
        double[] w = {9, 9, 3};
        Mfcc.interpolateMasked(w, new boolean[] {true, true, false});
        assertArrayEquals(new double[] {3, 3, 3}, w, 1e-12);

        FeatureConfig fc = TestAudio.tinyConfig("mean", 1).features();
        float[] x = TestAudio.chirp(fc.sampleRate(), 0.3, 300, 900, 0.4, 5);
        float[][] plain = new Mfcc(fc).compute(x);
        boolean[] none = new boolean[fc.melBands()];
        assertArrayEquals(plain, new Mfcc(fc, 1.0, none).compute(x));
        boolean[] mask = none.clone();
        mask[3] = true;
        mask[4] = true;
        assertNotEquals(plain[2][1], new Mfcc(fc, 1.0, mask).compute(x)[2][1]);
        assertThrows(IllegalArgumentException.class, () -> new Mfcc(fc, 1.0, new boolean[3]));

        // band masks come from the given random stream only, and always leave bands to interpolate from
        for (long seed = 0; seed < 50; seed++) {
            boolean[] m1 = SpeechTask.bandMask(20, 4, 20, new Random(seed));
            boolean[] m2 = SpeechTask.bandMask(20, 4, 20, new Random(seed));
            assertArrayEquals(m1, m2);
            if (m1 != null) {
                int masked = 0;
                for (boolean b : m1) {
                    masked += b ? 1 : 0;
                }
                assertTrue(masked > 0 && masked < 20);
            }
        }
        assertNull(SpeechTask.bandMask(20, 0, 6, new Random(1)));
    }

    @Test
    void validationTestAndInferenceNeverSeeMasks() throws Exception {
        Path data = TestAudio.toyDataset(tmp.resolve("toy"), 3);
        SpeechConfig tiny = TestAudio.tinyConfig("mean", 12);
        SpeechConfig cfg = new SpeechConfig(tiny.model(), tiny.features(), tiny.data(), tiny.trainer(),
                new SpeechAugmentConfig(0.1, 2, 3, 10, 2, 3, 0.1, 0.0, 0.0, 1.0, 0.0));
        SpeechTask.TrainResult r = SpeechTask.train(data, tmp.resolve("run"), cfg, null);
        SpeechModel m = SpeechModel.load(tmp.resolve("run"));
        assertEquals(cfg.augment(), m.config().augment(), "the masks and the noise are saved with the model");
        Path clip = data.resolve("test/up/s6_0.wav");
        FeatureConfig fc = m.config().features();
        float[][] clean = m.normalizer().apply(new Mfcc(fc).compute(
                WavReader.read(clip, fc.sampleRate(), fc.maxSeconds()).samples()));
        assertArrayEquals(clean, SpeechTask.views(m, List.of(clip)).get(0).get(0),
                "inference features are unmasked and noiseless");
        // the accuracies train() reports equal those of plain evaluation, which never masks
        assertNotNull(r.test());
        assertEquals(SpeechTask.evaluate(m, data).accuracy(), r.test().accuracy(), 1e-12);
        assertEquals(SpeechTask.evaluate(m, data.resolve("valid")).accuracy(), r.validAccuracy(), 1e-12);
    }
}
