package org.rnnsuite.captioning;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.rnnsuite.core.UserInputException;

/**
 * The Tux Paint stamps as a small captioning set with human-written captions: each stamp picture (mostly
 * photographs cut out with alpha) with the first line of its {@code NAME.txt} ("A Sumatran tiger."). Pictures are
 * scaled to at most {@value #MAX_SIDE} pixels on their longer side; a seeded 80/10/10 split. Stamps without a
 * caption file, or whose picture cannot be read, are skipped and counted.
 */
public final class StampSetBuilder {
    /** Longer side of the written pictures, in pixels. */
    public static final int MAX_SIDE = 128;

    /**
     * What was written.
     *
     * @param images   stamps written
     * @param perSplit images per split
     * @param notes    what was skipped, with counts
     */
    public record Result(int images, Map<String, Integer> perSplit, List<String> notes) {
    }

    private StampSetBuilder() {
    }

    /**
     * @param sources folder made by {@code data/build-caption-sources.sh} (holds {@code tuxpaint/})
     * @param out     dataset directory to write
     * @param seed    seed of the split
     */
    public static Result build(Path sources, Path out, long seed) {
        Path stamps = sources.resolve("tuxpaint/usr/share/tuxpaint/stamps");
        if (!Files.isDirectory(stamps)) {
            throw new UserInputException("sources folder " + sources + " has no tuxpaint/usr/share/tuxpaint/stamps; "
                    + "run data/build-caption-sources.sh " + sources + " first");
        }
        List<Path> pngs;
        try (Stream<Path> s = Files.walk(stamps)) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + stamps, e);
        }
        List<String> notes = new ArrayList<>();
        int noCaption = 0;
        int unreadable = 0;
        String firstUnreadable = null;
        Map<String, String> captions = new LinkedHashMap<>();
        try {
            Files.createDirectories(out.resolve("images"));
            for (Path png : pngs) {
                Path txt = png.resolveSibling(png.getFileName().toString().replaceAll("\\.png$", ".txt"));
                if (!Files.isRegularFile(txt)) {
                    noCaption++;
                    continue;
                }
                String caption = Files.readAllLines(txt, StandardCharsets.UTF_8).stream().findFirst().orElse("")
                        .trim();
                if (Captions.tokenize(caption).isEmpty()) {
                    noCaption++;
                    continue;
                }
                BufferedImage img;
                try {
                    img = ImageLoader.read(png, MAX_SIDE);
                } catch (UserInputException e) {
                    unreadable++;
                    firstUnreadable = firstUnreadable == null ? e.getMessage() : firstUnreadable;
                    continue;
                }
                String name = stamps.relativize(png).toString().replace('/', '_').replace('\\', '_')
                        .toLowerCase(Locale.ROOT);
                ImageIO.write(shrink(img), "png", out.resolve("images").resolve(name).toFile());
                captions.put(name, caption.replace('\t', ' '));
            }
            if (noCaption > 0) {
                notes.add("skipped " + noCaption + " stamps without a caption file or with an empty caption");
            }
            if (unreadable > 0) {
                notes.add("skipped " + unreadable + " unreadable stamp pictures (first: " + firstUnreadable + ")");
            }
            if (captions.isEmpty()) {
                throw new UserInputException("no captioned stamp found under " + stamps);
            }
            StringBuilder c = new StringBuilder();
            captions.forEach((k, v) -> c.append(k).append("#0\t").append(v).append('\n'));
            Files.writeString(out.resolve("captions.txt"), c, StandardCharsets.UTF_8);
            List<String> names = new ArrayList<>(captions.keySet());
            Collections.shuffle(names, new Random(seed));
            int nTest = Math.max(1, names.size() / 10);
            int nVal = Math.max(1, names.size() / 10);
            Map<String, List<String>> split = new LinkedHashMap<>();
            split.put("test", names.subList(0, nTest));
            split.put("val", names.subList(nTest, nTest + nVal));
            split.put("train", names.subList(nTest + nVal, names.size()));
            Map<String, Integer> perSplit = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : split.entrySet()) {
                List<String> sorted = new ArrayList<>(e.getValue());
                Collections.sort(sorted);
                Files.writeString(out.resolve(e.getKey() + ".txt"), String.join("\n", sorted) + "\n",
                        StandardCharsets.UTF_8);
                perSplit.put(e.getKey(), sorted.size());
            }
            Files.writeString(out.resolve("README.txt"), "Tux Paint stamps (Debian tuxpaint-stamps-default, GPL-2) "
                    + "with the first line of each stamp's caption file; built by 'rnnsuite caption build-stamps' "
                    + "(seed " + seed + ").\n" + String.join("\n", notes) + "\n", StandardCharsets.UTF_8);
            return new Result(captions.size(), perSplit, List.copyOf(notes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stamp set in " + out, e);
        }
    }

    private static BufferedImage shrink(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        double f = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        int nw = Math.max(1, (int) Math.round(w * f));
        int nh = Math.max(1, (int) Math.round(h * f));
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src.getScaledInstance(nw, nh, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return out;
    }
}
