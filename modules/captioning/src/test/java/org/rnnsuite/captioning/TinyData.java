package org.rnnsuite.captioning;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.rnnsuite.core.train.TrainerConfig;

/** Tiny fixtures drawn in Java: datasets in the Flickr8k layout and small model configs. */
final class TinyData {
    private TinyData() {
    }

    /** A 16x16 image of one colour with a square of another. */
    static BufferedImage picture(Color bg, Color fg, int type) {
        BufferedImage img = new BufferedImage(16, 16, type);
        Graphics2D g = img.createGraphics();
        g.setColor(bg);
        g.fillRect(0, 0, 16, 16);
        g.setColor(fg);
        g.fillRect(4, 4, 8, 8);
        g.dispose();
        return img;
    }

    static void png(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** Four distinct images, each with two captions, all in train; two also in val. */
    static Path fourImages(Path dir) throws IOException {
        Color[][] colours = {{Color.WHITE, Color.RED}, {Color.WHITE, Color.BLUE}, {Color.BLACK, Color.GREEN},
            {Color.YELLOW, Color.BLACK}};
        String[] captions = {"a red square", "a blue square", "a green square on black", "a black square"};
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            png(picture(colours[i][0], colours[i][1], BufferedImage.TYPE_INT_RGB), dir.resolve("images/i" + i
                    + ".png"));
            c.append("i").append(i).append(".png#0\t").append(captions[i]).append('\n');
            c.append("i").append(i).append(".png#1\t").append(captions[i].toUpperCase()).append(" .\n");
        }
        Files.writeString(dir.resolve("captions.txt"), c);
        Files.writeString(dir.resolve("train.txt"), "i0.png\ni1.png\ni2.png\ni3.png\n");
        Files.writeString(dir.resolve("val.txt"), "i0.png\ni2.png\n");
        Files.writeString(dir.resolve("test.txt"), "i1.png\ni3.png\n");
        return dir;
    }

    /** A small, fast configuration for 16x16 images. */
    static CaptionConfig config(int steps) {
        CaptionModelConfig m = new CaptionModelConfig(16, 2, 8, 32, "lstm", 64, 0.0, "first", 8, 0.0);
        TrainerConfig t = CaptionConfig.defaults().trainer();
        t = new TrainerConfig("adam", 1e-2, 0.9, "constant", 0.5, 1000, "l2", 5.0, 0, steps, 0, 0, 0, 7L, 60.0);
        return new CaptionConfig(m, new CaptionDataConfig(8, 1, 0, 0), t);
    }

    static List<String> words(String s) {
        return Captions.tokenize(s);
    }
}
