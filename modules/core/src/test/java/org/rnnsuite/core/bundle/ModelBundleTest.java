package org.rnnsuite.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rnnsuite.core.RnnsuiteVersion;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.testing.PatternTask;

class ModelBundleTest {
    @Test
    void saveLoadGivesIdenticalOutputsConfigVocabularyAndProvenance(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = PatternTask.network(CellType.LSTM, 8, 7);
        Vocabulary vocab = Vocabulary.build(List.of("b", "a", "c"), List.of("<unk>"), "<unk>");
        Path file = dir.resolve("model.zip");
        PatternTask.bundle(net, 7).withJsonArtifact("vocab.json", vocab).save(file, false);

        ModelBundle loaded = ModelBundle.load(dir, PatternTask.TASK, false);
        INDArray in = PatternTask.batch(new int[]{0, 3}, 9).getFeatures(0);
        assertArrayEquals(net.output(in).dup().data().asFloat(), loaded.multiLayerNetwork().output(in).dup().data().asFloat(), 0f);
        assertEquals(new PatternTask.Config("lstm", 16, 7), loaded.config(PatternTask.Config.class));
        assertEquals(vocab, loaded.jsonArtifact("vocab.json", Vocabulary.class));
        assertEquals(List.of("<unk>", "a", "b", "c"), loaded.jsonArtifact("vocab.json", Vocabulary.class).tokens());
        Provenance p = loaded.provenance();
        assertEquals(RnnsuiteVersion.rnnsuite(), p.rnnsuiteVersion());
        assertEquals("1.0.0-M2.1", p.dl4jVersion());
        assertEquals("cpu", p.backend());
        assertEquals(7, p.seed());
        assertEquals("sha256:test", p.dataHash());
    }

    @Test
    void bundleOfAnotherTaskIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.zip");
        PatternTask.bundle(PatternTask.network(CellType.RNN, 4, 1), 1).save(file, false);
        UserInputException e = assertThrows(UserInputException.class, () -> ModelBundle.load(file, "charlm", false));
        assertEquals("model bundle " + file + " was made for task 'pattern', not 'charlm'", e.getMessage());
    }

    @Test
    void corruptOrMissingBundlesFailWithTheirFileName(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.zip");
        Files.writeString(junk, "this is not a zip file");
        UserInputException e = assertThrows(UserInputException.class, () -> ModelBundle.load(junk, null, false));
        assertTrue(e.getMessage().startsWith("model bundle " + junk + " is corrupt"), e.getMessage());

        Path truncated = dir.resolve("truncated.zip");
        PatternTask.bundle(PatternTask.network(CellType.RNN, 4, 1), 1).save(truncated, false);
        byte[] all = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
        e = assertThrows(UserInputException.class, () -> ModelBundle.load(truncated, null, false));
        assertTrue(e.getMessage().startsWith("model bundle " + truncated), e.getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        e = assertThrows(UserInputException.class, () -> ModelBundle.load(empty, null, false));
        assertEquals("model bundle " + empty.resolve("model.zip") + " does not exist (the directory holds no "
                + "model.zip)", e.getMessage());
    }

    @Test
    void interruptedWriteLeavesThePreviousFileLoadable(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = PatternTask.network(CellType.LSTM, 8, 3);
        Path file = dir.resolve("checkpoint.zip");
        PatternTask.bundle(net, 3).save(file, true);
        byte[] before = Files.readAllBytes(file);

        IOException crash = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[4096]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", crash.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may be left behind");
        }
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)), "a saved bundle is readable by others, like any file");
        INDArray in = PatternTask.batch(new int[]{1}, 5).getFeatures(0);
        assertArrayEquals(net.output(in).dup().data().asFloat(),
                ModelBundle.load(file, PatternTask.TASK, true).multiLayerNetwork().output(in).dup().data().asFloat(), 0f);
    }
}
