package org.rnnsuite.captioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;

class SceneBuilderTest {
    @TempDir
    static Path tmp;
    static SceneBuilder.Result first;

    static SceneBuilder builder(long seed) {
        return new SceneBuilder(ObjectLibrary.shapes(), 32, seed, 0.3, 0.1, 5);
    }

    @BeforeAll
    static void build() {
        first = builder(3).build(tmp.resolve("a"), 80);
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        SceneBuilder.Result again = builder(3).build(tmp.resolve("b"), 80);
        assertEquals(Files.readString(tmp.resolve("a/captions.txt")), Files.readString(tmp.resolve("b/captions.txt")));
        for (String s : List.of("train.txt", "val.txt", "test.txt")) {
            assertEquals(Files.readString(tmp.resolve("a").resolve(s)), Files.readString(tmp.resolve("b").resolve(s)));
        }
        for (SceneBuilder.Scene sc : first.scenes()) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a/images").resolve(sc.file())),
                    Files.readAllBytes(tmp.resolve("b/images").resolve(sc.file())), sc.file());
        }
        assertEquals(first.scenes(), again.scenes());
        SceneBuilder.Result other = builder(4).build(tmp.resolve("c"), 80);
        assertNotEquals(first.scenes().stream().map(SceneBuilder.Scene::captions).toList(),
                other.scenes().stream().map(SceneBuilder.Scene::captions).toList());
    }

    @Test
    void heldOutPairsNeverReachTraining() {
        assertFalse(first.heldOut().isEmpty());
        int test = 0;
        for (SceneBuilder.Scene s : first.scenes()) {
            boolean held = s.pairs().stream().anyMatch(first.heldOut()::contains);
            if (s.split().equals("test")) {
                test++;
                assertTrue(held, s.file() + " is in test without a held-out pair");
            } else {
                assertFalse(held, s.file() + " in " + s.split() + " shows a held-out pair " + s.pairs());
            }
        }
        assertTrue(test > 0 && test < first.scenes().size(), "test scenes: " + test);
        assertEquals(first.perSplit().values().stream().mapToInt(Integer::intValue).sum(), first.scenes().size());
    }

    @Test
    void captionsDescribeTheSceneAndTheDatasetLoads() {
        CaptionDataset ds = CaptionDataset.load(tmp.resolve("a"));
        assertEquals(80, ds.items().size());
        for (SceneBuilder.Scene s : first.scenes()) {
            assertEquals(5, s.captions().size());
            assertEquals(5, s.captions().stream().distinct().count(), "references differ");
            List<SceneBuilder.Placed> o = s.objects();
            for (SceneBuilder.Placed p : o) {
                assertTrue(s.captions().get(0).contains(p.size() + " " + p.colour() + " " + p.noun()),
                        s.captions().get(0));
            }
            if (o.size() == 2) {
                String canonical = s.captions().get(0);
                assertTrue(canonical.contains(s.vertical() ? " above " : " to the left of "), canonical);
                if (s.vertical()) {
                    assertTrue(o.get(0).cy() < o.get(1).cy());
                } else {
                    assertTrue(o.get(0).cx() < o.get(1).cx());
                }
                assertTrue(canonical.startsWith("a " + o.get(0).size()) || canonical.startsWith("an "), canonical);
            }
            assertEquals(s.captions(), ds.items().get(s.file()).captions());
        }
    }

    @Test
    void anArticleMatchesTheNextWord() {
        for (SceneBuilder.Scene s : first.scenes()) {
            for (String c : s.captions()) {
                assertFalse(c.matches(".*\\ba [aeiou].*"), c);
                assertFalse(c.matches(".*\\ban [^aeiou].*"), c);
            }
        }
    }

    @Test
    void missingSourcesSayWhatToRun() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> ObjectLibrary.fromSources(tmp.resolve("nothing"), 10));
        assertTrue(e.getMessage().contains("build-caption-sources.sh"), e.getMessage());
    }
}
