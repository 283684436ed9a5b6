package org.rnnsuite.captioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;

class ImageLoaderTest {
    @TempDir
    Path dir;

    @Test
    void grayscaleBecomesRgb() throws Exception {
        Path f = dir.resolve("gray.png");
        TinyData.png(TinyData.picture(Color.GRAY, Color.WHITE, BufferedImage.TYPE_BYTE_GRAY), f);
        float[] px = ImageLoader.load(f, 8);
        assertEquals(3 * 8 * 8, px.length);
        for (int i = 0; i < 64; i++) {
            assertEquals(px[i], px[64 + i], 1e-6);
            assertEquals(px[i], px[128 + i], 1e-6);
        }
        assertEquals(128 / 255f, px[0], 0.02);
    }

    @Test
    void transparentPixelsBecomeWhite() throws Exception {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB); // all transparent
        img.setRGB(8, 8, 0xffff0000);
        Path f = dir.resolve("alpha.png");
        TinyData.png(img, f);
        float[] px = ImageLoader.load(f, 16);
        assertEquals(1f, px[0], 1e-6);
        assertEquals(1f, px[16 * 16 + 1], 1e-6);
        assertEquals(1f, px[8 * 16 + 8], 1e-6, "red channel of the opaque red pixel");
        assertEquals(0f, px[16 * 16 + 8 * 16 + 8], 1e-6, "its green channel");
    }

    @Test
    void hugeImagesAreSubsampledWhileDecoding() throws Exception {
        BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_BYTE_GRAY);
        Path f = dir.resolve("big.png");
        TinyData.png(big, f);
        BufferedImage read = ImageLoader.read(f, 16);
        assertTrue(read.getWidth() <= 4 * 16 * 2 && read.getWidth() >= 16, "decoded at " + read.getWidth());
        assertEquals(3 * 16 * 16, ImageLoader.load(f, 16).length);
    }

    @Test
    void badFilesNameTheFile() throws Exception {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "hello, I am text");
        UserInputException e = assertThrows(UserInputException.class, () -> ImageLoader.load(text, 16));
        assertTrue(e.getMessage().contains("notes.png") && e.getMessage().contains("not in a format"),
                e.getMessage());

        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        e = assertThrows(UserInputException.class, () -> ImageLoader.load(empty, 16));
        assertTrue(e.getMessage().contains("empty.jpg"), e.getMessage());

        Path good = dir.resolve("good.png");
        TinyData.png(TinyData.picture(Color.WHITE, Color.RED, BufferedImage.TYPE_INT_RGB), good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(UserInputException.class, () -> ImageLoader.load(truncated, 16));
        assertTrue(e.getMessage().contains("truncated.png"), e.getMessage());

        e = assertThrows(UserInputException.class, () -> ImageLoader.load(dir.resolve("missing.png"), 16));
        assertTrue(e.getMessage().contains("missing.png") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }
}
