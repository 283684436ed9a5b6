package org.rnnsuite.captioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;

class CaptionDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFlickr8kLayout() throws Exception {
        TinyData.fourImages(dir);
        CaptionDataset ds = CaptionDataset.load(dir);
        assertEquals(4, ds.items().size());
        assertEquals(List.of("a red square", "A RED SQUARE ."), ds.items().get("i0.png").captions());
        assertEquals(List.of(List.of("a", "red", "square"), List.of("a", "red", "square")),
                ds.items().get("i0.png").tokenized());
        assertEquals(4, ds.split("train").size());
        assertEquals(List.of("i1.png", "i3.png"), ds.splitNames("test"));
        assertTrue(ds.notes().isEmpty(), ds.notes().toString());
    }

    @Test
    void readsTheKaggleCsvVariantAndSplitsByHashWithoutLists() throws Exception {
        TinyData.png(TinyData.picture(Color.WHITE, Color.RED, BufferedImage.TYPE_INT_RGB), dir.resolve("Images/x.jpg"));
        Files.writeString(dir.resolve("captions.txt"), "image,caption\nx.jpg,\"A dog, running.\"\nx.jpg,a dog\n");
        CaptionDataset ds = CaptionDataset.load(dir);
        assertEquals(List.of("A dog, running.", "a dog"), ds.items().get("x.jpg").captions());
        assertTrue(ds.notes().stream().anyMatch(n -> n.contains("80/10/10")), ds.notes().toString());
        int total = 0;
        for (String s : CaptionDataset.SPLITS) {
            total += ds.splitNames(s).size();
        }
        assertEquals(1, total);
    }

    @Test
    void captionsOfMissingImagesAreSkippedAndCounted() throws Exception {
        TinyData.fourImages(dir);
        Files.writeString(dir.resolve("captions.txt"), "gone.png#0\tsomething\ngone.png#1\tsomething else\n",
                java.nio.file.StandardOpenOption.APPEND);
        CaptionDataset ds = CaptionDataset.load(dir);
        assertEquals(4, ds.items().size());
        assertTrue(ds.notes().stream().anyMatch(n -> n.contains("skipped 2 captions of 1 images")
                && n.contains("gone.png")), ds.notes().toString());
    }

    @Test
    void splitEntriesWithoutCaptionsAreCounted() throws Exception {
        TinyData.fourImages(dir);
        Files.writeString(dir.resolve("val.txt"), "i0.png\nnope.png\n");
        CaptionDataset ds = CaptionDataset.load(dir);
        assertEquals(List.of("i0.png"), ds.splitNames("val"));
        assertTrue(ds.notes().stream().anyMatch(n -> n.contains("skipped 1 entries of val.txt")), ds.notes()
                .toString());
    }

    @Test
    void badInputsSayWhatIsWrong() throws Exception {
        UserInputException e = assertThrows(UserInputException.class, () -> CaptionDataset.load(dir.resolve("x")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Files.createDirectories(dir.resolve("images"));
        e = assertThrows(UserInputException.class, () -> CaptionDataset.load(dir));
        assertTrue(e.getMessage().contains("no caption file"), e.getMessage());

        Files.writeString(dir.resolve("captions.txt"), "a.png#0\tok\nthis line has no tab\n");
        e = assertThrows(UserInputException.class, () -> CaptionDataset.load(dir));
        assertTrue(e.getMessage().contains("captions.txt line 2") && e.getMessage().contains("no tab"),
                e.getMessage());

        Files.writeString(dir.resolve("captions.txt"), "a.png#0\t ... \n");
        e = assertThrows(UserInputException.class, () -> CaptionDataset.load(dir));
        assertTrue(e.getMessage().contains("empty caption"), e.getMessage());

        Files.writeString(dir.resolve("captions.txt"), "../etc/passwd#0\tescape\n");
        e = assertThrows(UserInputException.class, () -> CaptionDataset.load(dir));
        assertTrue(e.getMessage().contains("plain file name"), e.getMessage());

        Files.writeString(dir.resolve("captions.txt"), "a.png#0\tno such image\n");
        e = assertThrows(UserInputException.class, () -> CaptionDataset.load(dir));
        assertTrue(e.getMessage().contains("none of the 1 images"), e.getMessage());
    }

    @Test
    void emptyAndUnknownSplitsThrow() throws Exception {
        TinyData.fourImages(dir);
        Files.writeString(dir.resolve("test.txt"), "");
        CaptionDataset ds = CaptionDataset.load(dir);
        UserInputException e = assertThrows(UserInputException.class, () -> ds.split("test"));
        assertTrue(e.getMessage().contains("split 'test'") && e.getMessage().contains("is empty"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> ds.split("dev"));
        assertTrue(e.getMessage().contains("unknown split 'dev'"), e.getMessage());
    }

    @Test
    void unreadableImagesAreLeftOutWithACount() throws Exception {
        TinyData.fourImages(dir);
        Files.writeString(dir.resolve("images/i3.png"), "not a png at all");
        CaptionDataset ds = CaptionDataset.load(dir);
        ImageSet set = ImageSet.load(ds.split("train"), 16, 0, "train");
        assertEquals(3, set.size());
        assertTrue(set.notes().stream().anyMatch(n -> n.contains("skipped 1 unreadable train images of 4")
                && n.contains("i3.png")), set.notes().toString());
    }
}
