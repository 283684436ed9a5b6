package org.rnnsuite.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.train.Networks;

class CharLmDataTest {
    @TempDir
    Path tmp;

    @Test
    void vocabularyIsSortedStableAndRoundTrips() throws Exception {
        String text = "hello wörld—\n";
        CharVocab v = CharVocab.of(text);
        assertEquals(CharVocab.UNKNOWN, v.decode(0));
        assertEquals(0, v.unknownId());
        List<String> tokens = v.vocabulary().tokens().subList(1, v.size());
        List<String> sorted = new ArrayList<>(tokens);
        sorted.sort(null);
        assertEquals(sorted, tokens);
        assertEquals(new HashSet<>(tokens).size(), tokens.size());
        assertEquals(v, CharVocab.of(new StringBuilder(text).reverse().toString()));

        CharVocab.Encoded e = v.encode(text);
        assertEquals(0, e.unknownCount());
        assertEquals(text, v.decode(e.ids()));

        String json = Configs.toJson(v.vocabulary());
        CharVocab back = new CharVocab(Configs.mapper().readValue(json, Vocabulary.class));
        assertEquals(v, back);
        assertArrayEquals(e.ids(), back.encode(text).ids());
    }

    @Test
    void supplementaryCharactersAreOneSymbol() {
        CharVocab v = CharVocab.of("a\uD83D\uDC33b");
        assertEquals(4, v.size());
        assertEquals(3, v.encode("a\uD83D\uDC33b").ids().length);
    }

    @Test
    void unseenCharactersMapToUnknownAndAreCounted() {
        CharVocab v = CharVocab.of("hello");
        CharVocab.Encoded e = v.encode("hexlo\u00e9");
        assertEquals(2, e.unknownCount());
        assertEquals(v.unknownId(), e.ids()[2]);
        assertEquals(v.unknownId(), e.ids()[5]);
        assertEquals("he" + CharVocab.UNKNOWN + "lo" + CharVocab.UNKNOWN, v.decode(e.ids()));
        // the unknown symbol itself in the text is unknown, too
        assertEquals(1, v.encode(CharVocab.UNKNOWN).unknownCount());
    }

    @Test
    void heldOutPartIsTheEndOfTheTextAndNeverOverlaps() {
        int[] ids = IntStream.range(0, 100).toArray();
        TextSplit s = TextSplit.of(ids, 0.1, 5, "t.txt");
        assertArrayEquals(IntStream.range(0, 90).toArray(), s.train());
        assertArrayEquals(IntStream.range(90, 100).toArray(), s.validation());
        TextSplit odd = TextSplit.of(IntStream.range(0, 99).toArray(), 0.1, 5, "t.txt");
        assertEquals(9, odd.validation().length);
        assertEquals(90, odd.train().length);
        assertEquals(0, TextSplit.of(ids, 0.0, 5, "t.txt").validation().length);
        UserInputException tooShort = assertThrows(UserInputException.class,
                () -> TextSplit.of(ids, 0.05, 8, "short.txt"));
        assertTrue(tooShort.getMessage().contains("short.txt"), tooShort.getMessage());
        assertTrue(tooShort.getMessage().contains("fewer than one sequence"), tooShort.getMessage());
    }

    @Test
    void batchesAreOneHotWindowsWithShiftedLabelsAndNoMasks() {
        int vocab = 7;
        int[] ids = IntStream.range(0, 203).map(i -> i % vocab).toArray();
        CharBatchSource src = new CharBatchSource(ids, vocab, 6, 4, 1);
        MultiDataSet b = src.next();
        INDArray f = b.getFeatures(0);
        INDArray l = b.getLabels(0);
        assertArrayEquals(new long[]{4, vocab, 6}, f.shape());
        assertArrayEquals(new long[]{4, vocab, 6}, l.shape());
        assertNull(b.getFeaturesMaskArrays());
        assertNull(b.getLabelsMaskArrays());
        assertEquals(4 * 6, src.itemCount(b));
        // every step is one-hot, and the label at t is the input at t+1
        assertEquals(4 * 6, f.sumNumber().intValue());
        assertEquals(4 * 6, f.sum(1).sumNumber().intValue());
        INDArray fNext = f.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 6));
        INDArray lPrev = l.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 5));
        assertEquals(fNext, lPrev);
        // ids here count up modulo the vocabulary, so every label is its input plus one
        INDArray inIds = f.argMax(1);
        INDArray outIds = l.argMax(1);
        for (int i = 0; i < 4; i++) {
            for (int t = 0; t < 6; t++) {
                assertEquals((inIds.getInt(i, t) + 1) % vocab, outIds.getInt(i, t));
            }
        }
    }

    @Test
    void anEpochVisitsEveryWindowOnceAndResumesExactly() {
        int[] ids = IntStream.range(0, 200).toArray();
        CharBatchSource src = new CharBatchSource(ids, 200, 10, 3, 5);
        int windows = src.windowsPerEpoch();
        Set<Integer> seen = new HashSet<>();
        List<Integer> starts = new ArrayList<>();
        while (starts.size() < windows) {
            for (int s : src.nextStarts()) {
                starts.add(s);
            }
        }
        for (int i = 0; i < windows; i++) {
            assertTrue(seen.add(starts.get(i)), "window visited twice in one epoch");
            assertEquals(starts.get(0) % 10, starts.get(i) % 10, "one offset per epoch");
            assertTrue(starts.get(i) + 10 < ids.length);
        }

        CharBatchSource a = new CharBatchSource(ids, 200, 10, 3, 5);
        for (int i = 0; i < 9; i++) {
            a.next();
        }
        var state = a.state();
        CharBatchSource b = new CharBatchSource(ids, 200, 10, 3, 5);
        b.restore(state);
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(a.nextStarts(), b.nextStarts(), "batch " + i + " after restore");
        }
        assertTrue(a.epoch() >= 1, "the run crossed an epoch boundary");
    }

    @Test
    void truncatedBpttSplitsEachSequenceIntoSegments() {
        CharLmConfig cfg = TinyText.tinyConfig(1);
        assertEquals(16, cfg.data().seqLength());
        assertEquals(8, cfg.trainer().tbpttLength());
        MultiLayerNetwork net = CharLmModel.build(cfg.model(), 5, 1);
        Networks.applyTraining(net, cfg.trainer());
        assertEquals(BackpropType.TruncatedBPTT, net.getLayerWiseConfigurations().getBackpropType());
        assertEquals(8, net.getLayerWiseConfigurations().getTbpttFwdLength());
        int[] ids = IntStream.range(0, 100).map(i -> i % 5).toArray();
        Networks.fit(net, new CharBatchSource(ids, 5, 16, 2, 1).next());
        assertEquals(2, net.getIterationCount(), "one update per 8-step segment of a 16-step sequence");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CharLmConfig(
                cfg.model(), new CharLmConfig.DataConfig(20, 8, 0.1), cfg.trainer()));
        assertTrue(e.getMessage().contains("tbpttLength"), e.getMessage());
    }

    @Test
    void configLoadsWithOverridesAndRejectsUnknownKeys() {
        CharLmConfig c = Configs.load(CharLmConfig.class, CharLmConfig.defaults(), null,
                List.of("model.cell=rnn", "model.layers=1", "data.seqLength=32", "trainer.tbpttLength=16"));
        assertEquals("rnn", c.model().cell());
        assertEquals(1, c.model().layers());
        assertEquals(32, c.data().seqLength());
        assertThrows(UserInputException.class, () -> Configs.load(CharLmConfig.class, CharLmConfig.defaults(),
                null, List.of("model.cells=lstm")));
        UserInputException bad = assertThrows(UserInputException.class, () -> Configs.load(CharLmConfig.class,
                CharLmConfig.defaults(), null, List.of("model.cell=transformer")));
        assertTrue(bad.getMessage().contains("rnn|lstm|dl4j-lstm|peephole|cifg|gru"), bad.getMessage());
        assertEquals(CharLmConfig.defaults(), Configs.load(CharLmConfig.class, CharLmConfig.defaults(), null,
                List.of()));
    }

    @Test
    void badTextInputsAreRejectedNamingTheFile() throws Exception {
        Path empty = java.nio.file.Files.createFile(tmp.resolve("empty.txt"));
        assertMessage(empty, "empty.txt", "is empty");

        Path binary = tmp.resolve("image.txt");
        java.nio.file.Files.write(binary, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, (byte) 0xff});
        assertMessage(binary, "image.txt", "not UTF-8");

        Path nuls = tmp.resolve("nuls.txt");
        java.nio.file.Files.write(nuls, new byte[]{'a', 0, 'b', 0, 'c', 0});
        assertMessage(nuls, "nuls.txt", "binary");

        Path latin1 = tmp.resolve("latin1.txt");
        java.nio.file.Files.write(latin1, "caf\u00e9 cr\u00e8me".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertMessage(latin1, "latin1.txt", "not UTF-8");

        Path dir = java.nio.file.Files.createDirectory(tmp.resolve("nothing-here"));
        java.nio.file.Files.writeString(dir.resolve("notes.md"), "not a .txt file");
        assertMessage(dir, "nothing-here", "no text files");

        assertMessage(tmp.resolve("missing.txt"), "missing.txt", "does not exist");

        Path shortText = tmp.resolve("short.txt");
        java.nio.file.Files.writeString(shortText, "too short");
        UserInputException e = assertThrows(UserInputException.class, () -> CharLmTask.train(List.of(shortText),
                TinyText.tinyConfig(1), tmp.resolve("out"), null));
        assertTrue(e.getMessage().contains("short.txt") && e.getMessage().contains("fewer than one sequence"),
                e.getMessage());
    }

    @Test
    void directoriesContributeTheirTextFilesInNameOrder() throws Exception {
        Path dir = java.nio.file.Files.createDirectory(tmp.resolve("corpus"));
        java.nio.file.Files.writeString(dir.resolve("b.txt"), "second");
        java.nio.file.Files.writeString(dir.resolve("a.txt"), "first ");
        java.nio.file.Files.writeString(dir.resolve("skip.bin"), "ignored");
        TextCorpus c = TextCorpus.load(List.of(dir));
        assertEquals("first second", c.text());
        assertEquals(Arrays.asList(dir.resolve("a.txt"), dir.resolve("b.txt")), c.files());
    }

    private static void assertMessage(Path p, String name, String what) {
        UserInputException e = assertThrows(UserInputException.class, () -> TextCorpus.load(List.of(p)));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }
}
