package org.rnnsuite.captioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;

class StampSetBuilderTest {
    @TempDir
    Path tmp;

    @Test
    void writesCaptionedStampsAndCountsTheRest() throws Exception {
        Path stamps = tmp.resolve("src/tuxpaint/usr/share/tuxpaint/stamps");
        String[] names = {"animals/cat", "animals/dog", "food/apple", "food/pear", "vehicles/car"};
        for (String n : names) {
            BufferedImage big = new BufferedImage(300, 150, BufferedImage.TYPE_INT_ARGB);
            big.setRGB(10, 10, Color.RED.getRGB());
            TinyData.png(big, stamps.resolve(n + ".png"));
            if (!n.endsWith("car")) {
                Files.writeString(stamps.resolve(n + ".txt"), "A " + n.substring(n.indexOf('/') + 1)
                        + ".\nxx.utf8=translated\n");
            }
        }
        Files.writeString(stamps.resolve("food/broken.png"), "no picture");
        Files.writeString(stamps.resolve("food/broken.txt"), "A broken picture.\n");

        StampSetBuilder.Result r = StampSetBuilder.build(tmp.resolve("src"), tmp.resolve("out"), 1);
        assertEquals(4, r.images());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("skipped 1 stamps without a caption")), r.notes()
                .toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("skipped 1 unreadable")), r.notes().toString());
        CaptionDataset ds = CaptionDataset.load(tmp.resolve("out"));
        assertEquals("A cat.", ds.items().get("animals_cat.png").captions().get(0));
        BufferedImage written = ImageLoader.read(ds.items().get("animals_cat.png").file(), 128);
        assertEquals(128, written.getWidth());
        assertEquals(64, written.getHeight());
        assertEquals(4, r.perSplit().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void missingSourcesSayWhatToRun() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> StampSetBuilder.build(tmp.resolve("none"), tmp.resolve("out"), 1));
        assertTrue(e.getMessage().contains("build-caption-sources.sh"), e.getMessage());
    }
}
