package org.rnnsuite.captioning;

import java.awt.Color;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.rnnsuite.core.config.Check;

/**
 * Composes captioned scenes: 1 to 3 objects from an {@link ObjectLibrary}, each small or big and, if colourable,
 * painted in a named colour, placed in a row or a column on a varied background (plain, gradient, stripes, noise),
 * with several reference captions from a small grammar ("a small dog to the left of a red seven", "a red seven
 * to the right of a small dog", "a small dog and a red seven").
 *
 * <p>Splits measure composition, not memory: a seeded fraction of ordered object pairs on each axis ("dog left of
 * seven", "cat above tree") is held out; every scene that contains a held-out pair goes to the test split, and no
 * training or validation scene contains one. Everything is a function of the seed: the same seed writes the same
 * bytes.
 */
public final class SceneBuilder {
    /** Colours painted on colourable objects; all read well on the light backgrounds. */
    static final Map<String, Color> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("red", new Color(220, 30, 30));
        COLOURS.put("green", new Color(20, 150, 40));
        COLOURS.put("blue", new Color(30, 60, 220));
        COLOURS.put("purple", new Color(130, 40, 170));
        COLOURS.put("orange", new Color(245, 130, 0));
        COLOURS.put("black", new Color(20, 20, 20));
    }

    /**
     * An object as placed in a scene.
     *
     * @param noun   its noun
     * @param colour colour name, or null if it keeps its own colours
     * @param size   "small" or "big"
     * @param cx     centre x in pixels
     * @param cy     centre y in pixels
     * @param width  drawn size in pixels
     */
    public record Placed(String noun, String colour, String size, int cx, int cy, int width) {
    }

    /**
     * One scene.
     *
     * @param file     image file name
     * @param objects  objects in reading order (left to right, or top to bottom)
     * @param vertical true if arranged in a column
     * @param captions reference captions
     * @param pairs    ordered pair keys it contains (see {@link #pairKey})
     * @param split    train, val or test
     */
    public record Scene(String file, List<Placed> objects, boolean vertical, List<String> captions,
                        Set<String> pairs, String split) {
    }

    /**
     * What a build wrote.
     *
     * @param dir      dataset directory
     * @param scenes   every scene
     * @param heldOut  held-out pair keys
     * @param perSplit image count per split
     */
    public record Result(Path dir, List<Scene> scenes, Set<String> heldOut, Map<String, Integer> perSplit) {
    }

    private final ObjectLibrary library;
    private final int imageSize;
    private final long seed;
    private final double heldOutFraction;
    private final double valFraction;
    private final int captionsPerImage;

    /**
     * @param library          objects to compose
     * @param imageSize        side of the square images in pixels (32..512)
     * @param seed             seed of every choice
     * @param heldOutFraction  fraction of ordered pairs held out of training, in [0, 0.9]
     * @param valFraction      fraction of the remaining scenes used for validation, in [0, 0.5]
     * @param captionsPerImage reference captions per image (1..10)
     */
    public SceneBuilder(ObjectLibrary library, int imageSize, long seed, double heldOutFraction, double valFraction,
                        int captionsPerImage) {
        Check.range("imageSize", imageSize, 32, 512);
        Check.range("heldOutFraction", heldOutFraction, 0, 0.9);
        Check.range("valFraction", valFraction, 0, 0.5);
        Check.range("captionsPerImage", captionsPerImage, 1, 10);
        this.library = library;
        this.imageSize = imageSize;
        this.seed = seed;
        this.heldOutFraction = heldOutFraction;
        this.valFraction = valFraction;
        this.captionsPerImage = captionsPerImage;
    }

    /** The key of "{@code first} left of (or above) {@code second}". */
    public static String pairKey(boolean vertical, String first, String second) {
        return (vertical ? "v:" : "h:") + first + ">" + second;
    }

    /** True if this builder holds the pair key out of training. */
    public boolean isHeldOut(String key) {
        long h = seed * 0x9E3779B97F4A7C15L ^ key.hashCode();
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return Math.floorMod(h, 10_000) < heldOutFraction * 10_000;
    }

    /** Every held-out pair key of this library. */
    public Set<String> heldOutKeys() {
        Set<String> out = new TreeSet<>();
        for (ObjectLibrary.Entry a : library.entries()) {
            for (ObjectLibrary.Entry b : library.entries()) {
                for (boolean v : new boolean[]{false, true}) {
                    String k = pairKey(v, a.noun(), b.noun());
                    if (isHeldOut(k)) {
                        out.add(k);
                    }
                }
            }
        }
        return out;
    }

    /** Composes {@code count} scenes and writes them in the Flickr8k layout under {@code out}. */
    public Result build(Path out, int count) {
        Check.positive("images", count);
        Path images = out.resolve("images");
        try {
            Files.createDirectories(images);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + images, e);
        }
        Random rnd = new Random(seed);
        List<Scene> scenes = new ArrayList<>();
        StringBuilder captions = new StringBuilder();
        Map<String, StringBuilder> splitLists = new LinkedHashMap<>();
        Map<String, Integer> perSplit = new LinkedHashMap<>();
        for (String s : CaptionDataset.SPLITS) {
            splitLists.put(s, new StringBuilder());
            perSplit.put(s, 0);
        }
        int digits = Math.max(5, String.valueOf(count - 1).length());
        for (int i = 0; i < count; i++) {
            String file = String.format(Locale.ROOT, "scene-%0" + digits + "d.png", i);
            Scene scene = compose(rnd, file);
            BufferedImage img = render(rnd, scene);
            try {
                ImageIO.write(img, "png", images.resolve(file).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + images.resolve(file), e);
            }
            for (int k = 0; k < scene.captions().size(); k++) {
                captions.append(file).append('#').append(k).append('\t').append(scene.captions().get(k)).append('\n');
            }
            splitLists.get(scene.split()).append(file).append('\n');
            perSplit.merge(scene.split(), 1, Integer::sum);
            scenes.add(scene);
        }
        Set<String> heldOut = heldOutKeys();
        try {
            Files.writeString(out.resolve("captions.txt"), captions, StandardCharsets.UTF_8);
            for (Map.Entry<String, StringBuilder> e : splitLists.entrySet()) {
                Files.writeString(out.resolve(e.getKey() + ".txt"), e.getValue(), StandardCharsets.UTF_8);
            }
            StringBuilder h = new StringBuilder();
            for (String k : heldOut) {
                String[] ab = k.substring(2).split(">");
                h.append(ab[0]).append(k.startsWith("v:") ? " above " : " left of ").append(ab[1]).append('\n');
            }
            Files.writeString(out.resolve("heldout.txt"), h, StandardCharsets.UTF_8);
            Files.writeString(out.resolve("README.txt"), String.format(Locale.ROOT,
                    "Synthetic captioning scenes built by 'rnnsuite caption build-data' (seed %d, %d images of "
                            + "%dx%d, %d captions each).%nObjects: %s.%nSplits: train %d, val %d, test %d. The test "
                            + "split holds every scene with an object pair listed in heldout.txt (%d of the ordered "
                            + "pairs); training and validation never show those pairs in that arrangement.%n"
                            + "Layout: images/, captions.txt (image#k<TAB>caption), train.txt, val.txt, test.txt.%n",
                    seed, count, imageSize, imageSize, captionsPerImage, library.description(), perSplit.get("train"),
                    perSplit.get("val"), perSplit.get("test"), heldOut.size()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dataset files in " + out, e);
        }
        return new Result(out, List.copyOf(scenes), heldOut, Collections.unmodifiableMap(perSplit));
    }

    private Scene compose(Random rnd, String file) {
        double u = rnd.nextDouble();
        int n = u < 0.3 ? 1 : u < 0.7 ? 2 : 3;
        boolean vertical = rnd.nextBoolean();
        List<ObjectLibrary.Entry> all = library.entries();
        List<Placed> objects = new ArrayList<>();
        double slot = (double) imageSize / n;
        int small = (int) Math.round(imageSize * 0.24);
        int big = (int) Math.round(Math.min(imageSize * 0.40, slot * 0.95));
        if (big - small < imageSize * 0.08) {
            small = (int) Math.round(big * 0.62);
        }
        for (int i = 0; i < n; i++) {
            ObjectLibrary.Entry e = all.get(rnd.nextInt(all.size()));
            boolean isBig = rnd.nextBoolean();
            int w = isBig ? big : small;
            String colour = e.colourable() ? new ArrayList<>(COLOURS.keySet()).get(rnd.nextInt(COLOURS.size())) : null;
            double along = (i + 0.5) * slot + (rnd.nextDouble() - 0.5) * Math.max(0, slot - w) * 0.8;
            double across = w / 2.0 + 1 + rnd.nextDouble() * Math.max(0, imageSize - w - 2);
            int cx = (int) Math.round(vertical ? across : along);
            int cy = (int) Math.round(vertical ? along : across);
            objects.add(new Placed(e.noun(), colour, isBig ? "big" : "small", cx, cy, w));
        }
        Set<String> pairs = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairs.add(pairKey(vertical, objects.get(i).noun(), objects.get(j).noun()));
            }
        }
        boolean held = pairs.stream().anyMatch(this::isHeldOut);
        String split = held ? "test" : rnd.nextDouble() < valFraction ? "val" : "train";
        List<String> captions = captions(rnd, objects, vertical);
        return new Scene(file, List.copyOf(objects), vertical, captions, Collections.unmodifiableSet(pairs), split);
    }

    /** Noun phrases: full ("a small red seven"), size only, colour only, bare. */
    private static List<String> nounPhrases(Placed p) {
        List<String> out = new ArrayList<>();
        String size = p.size();
        if (p.colour() != null) {
            out.add(article(size + " " + p.colour() + " " + p.noun()));
            out.add(article(p.colour() + " " + p.noun()));
        } else {
            out.add(article(size + " " + p.noun()));
        }
        out.add(article((size.equals("big") ? "large" : "little") + " " + (p.colour() == null ? ""
                : p.colour() + " ") + p.noun()));
        out.add(article(p.noun()));
        return out;
    }

    private static String article(String phrase) {
        char c = phrase.charAt(0);
        return ("aeiou".indexOf(c) >= 0 ? "an " : "a ") + phrase;
    }

    private List<String> captions(Random rnd, List<Placed> objects, boolean vertical) {
        int n = objects.size();
        List<List<String>> nps = objects.stream().map(SceneBuilder::nounPhrases).toList();
        // Templates over noun phrases $0, $1, $2 in reading order; the first is the canonical description.
        List<String> templates = new ArrayList<>();
        String before = vertical ? "above" : "to the left of";
        String after = vertical ? "below" : "to the right of";
        String order = vertical ? "from top to bottom" : "from left to right";
        switch (n) {
            case 1 -> templates.addAll(List.of("$0", "a picture of $0", "there is $0", "$0 in the picture"));
            case 2 -> templates.addAll(List.of("$0 " + before + " $1", "$1 " + after + " $0", "$0 and $1",
                    "$0 " + before + " $1 " + (vertical ? "in a column" : "in a row")));
            default -> templates.addAll(List.of("$0 , $1 and $2 " + order, "$1 between $0 and $2",
                    "$0 " + before + " $1 and $2", "$2 " + after + " $0 and $1"));
        }
        List<String> candidates = new ArrayList<>();
        for (String t : templates) {
            for (int variant = 0; variant < 3; variant++) {
                String s = t;
                for (int i = 0; i < n; i++) {
                    List<String> phrases = nps.get(i);
                    // variant 0: every object fully described; then the builder's random choice of phrases
                    String np = variant == 0 ? phrases.get(0) : phrases.get(rnd.nextInt(phrases.size()));
                    s = s.replace("$" + i, np);
                }
                s = s.replace(" ,", ",");
                if (!candidates.contains(s)) {
                    candidates.add(s);
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add(candidates.remove(0));
        // keep the other templates' full forms first, so references differ in structure, not only in wording
        List<String> rest = new ArrayList<>(candidates);
        Collections.shuffle(rest, rnd);
        rest.sort(Comparator.comparingInt(s -> isFull(s, nps) ? 0 : 1));
        for (String s : rest) {
            if (out.size() >= captionsPerImage) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    private static boolean isFull(String caption, List<List<String>> nps) {
        for (List<String> p : nps) {
            if (!caption.contains(p.get(0))) {
                return false;
            }
        }
        return true;
    }

    private BufferedImage render(Random rnd, Scene scene) {
        int s = imageSize;
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color a = light(rnd);
        Color b = light(rnd);
        int kind = rnd.nextInt(4);
        switch (kind) {
            case 0 -> {
                g.setColor(a);
                g.fillRect(0, 0, s, s);
            }
            case 1 -> {
                boolean horizontal = rnd.nextBoolean();
                for (int i = 0; i < s; i++) {
                    g.setColor(mix(a, b, i / (double) (s - 1)));
                    if (horizontal) {
                        g.fillRect(i, 0, 1, s);
                    } else {
                        g.fillRect(0, i, s, 1);
                    }
                }
            }
            case 2 -> {
                int w = 3 + rnd.nextInt(Math.max(1, s / 8));
                for (int i = 0; i < 2 * s; i += w) {
                    g.setColor((i / w) % 2 == 0 ? a : b);
                    g.fillPolygon(new int[]{i, i + w, i + w - s, i - s}, new int[]{0, 0, s, s}, 4);
                }
            }
            default -> {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        int j = rnd.nextInt(41) - 20;
                        img.setRGB(x, y, new Color(clamp(a.getRed() + j), clamp(a.getGreen() + j),
                                clamp(a.getBlue() + j)).getRGB());
                    }
                }
            }
        }
        Map<String, ObjectLibrary.Entry> byNoun = new LinkedHashMap<>();
        for (ObjectLibrary.Entry e : library.entries()) {
            byNoun.put(e.noun(), e);
        }
        for (Placed p : scene.objects()) {
            ObjectLibrary.Entry e = byNoun.get(p.noun());
            BufferedImage src = e.variants().get(rnd.nextInt(e.variants().size()));
            if (p.colour() != null) {
                src = tint(src, COLOURS.get(p.colour()));
            }
            g.drawImage(src, p.cx() - p.width() / 2, p.cy() - p.width() / 2, p.width(), p.width(), null);
        }
        g.dispose();
        return img;
    }

    private static Color light(Random rnd) {
        return new Color(170 + rnd.nextInt(86), 170 + rnd.nextInt(86), 170 + rnd.nextInt(86));
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** The picture's alpha with every pixel in {@code colour}. */
    private static BufferedImage tint(BufferedImage src, Color colour) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_ARGB);
        int rgb = colour.getRGB() & 0xffffff;
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int alpha = (src.getRGB(x, y) >>> 24);
                out.setRGB(x, y, (alpha << 24) | rgb);
            }
        }
        return out;
    }
}
