package org.rnnsuite.captioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnsuite.core.UserInputException;

/**
 * A captioning dataset in the Flickr8k layout: an image folder and a caption file of {@code image#k<TAB>caption}
 * lines, plus optional split lists (one image name per line).
 *
 * <p>Recognised names, so the original Flickr8k release works unchanged: caption file {@code captions.txt} or
 * {@code Flickr8k.token.txt}; image folder {@code images/}, {@code Images/}, {@code Flicker8k_Dataset/} or
 * {@code Flickr8k_Dataset/}; splits {@code train.txt}/{@code val.txt}/{@code test.txt} or
 * {@code Flickr_8k.trainImages.txt}/{@code Flickr_8k.devImages.txt}/{@code Flickr_8k.testImages.txt}. The Kaggle
 * variant of {@code captions.txt} (CSV with an {@code image,caption} header) is read too. Without split lists,
 * images are split 80/10/10 by a hash of their name, which is stable across runs and machines.
 *
 * <p>Captions of images that are not in the image folder, and split entries without captions, are skipped and
 * counted in {@link #notes()}; a malformed line is an error naming the file and line.
 */
public final class CaptionDataset {
    /** Split names accepted everywhere. */
    public static final List<String> SPLITS = List.of("train", "val", "test");

    /**
     * One image with its reference captions.
     *
     * @param name     file name inside the image folder
     * @param file     full path of the image
     * @param captions reference captions as written in the caption file
     */
    public record Item(String name, Path file, List<String> captions) {
        public Item {
            captions = List.copyOf(captions);
        }

        /** The captions tokenized with {@link Captions#tokenize}. */
        public List<List<String>> tokenized() {
            return captions.stream().map(Captions::tokenize).toList();
        }
    }

    private final Path dir;
    private final Path captionFile;
    private final Path imageDir;
    private final Map<String, Item> items;
    private final Map<String, List<String>> splits;
    private final List<String> notes;

    private CaptionDataset(Path dir, Path captionFile, Path imageDir, Map<String, Item> items,
                           Map<String, List<String>> splits, List<String> notes) {
        this.dir = dir;
        this.captionFile = captionFile;
        this.imageDir = imageDir;
        this.items = items;
        this.splits = splits;
        this.notes = notes;
    }

    /** Reads the dataset in {@code dir}; throws {@link UserInputException} naming what is missing or malformed. */
    public static CaptionDataset load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("dataset directory " + dir + " does not exist");
        }
        Path captionFile = first(dir, "captions.txt", "Flickr8k.token.txt");
        if (captionFile == null) {
            throw new UserInputException("dataset " + dir + " has no caption file (captions.txt or "
                    + "Flickr8k.token.txt with lines 'image#k<TAB>caption')");
        }
        Path imageDir = first(dir, "images", "Images", "Flicker8k_Dataset", "Flickr8k_Dataset");
        if (imageDir == null || !Files.isDirectory(imageDir)) {
            throw new UserInputException("dataset " + dir + " has no image folder (images/, Images/ or "
                    + "Flicker8k_Dataset/)");
        }
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> captions = readCaptions(captionFile);
        Map<String, Item> items = new LinkedHashMap<>();
        int missing = 0;
        int missingCaptions = 0;
        String firstMissing = null;
        for (Map.Entry<String, List<String>> e : captions.entrySet()) {
            Path f = imageDir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                missing++;
                missingCaptions += e.getValue().size();
                if (firstMissing == null) {
                    firstMissing = e.getKey();
                }
                continue;
            }
            items.put(e.getKey(), new Item(e.getKey(), f, e.getValue()));
        }
        if (missing > 0) {
            notes.add(String.format("skipped %d captions of %d images named in %s but absent from %s (first: %s)",
                    missingCaptions, missing, captionFile.getFileName(), imageDir, firstMissing));
        }
        if (items.isEmpty()) {
            throw new UserInputException("dataset " + dir + ": none of the " + captions.size() + " images named in "
                    + captionFile + " exists in " + imageDir);
        }
        Map<String, List<String>> splits = new LinkedHashMap<>();
        String[][] names = {{"train.txt", "Flickr_8k.trainImages.txt"}, {"val.txt", "Flickr_8k.devImages.txt"},
            {"test.txt", "Flickr_8k.testImages.txt"}};
        boolean anySplitFile = false;
        for (int s = 0; s < SPLITS.size(); s++) {
            Path f = first(dir, names[s]);
            if (f != null) {
                anySplitFile = true;
                splits.put(SPLITS.get(s), readSplit(f, items, notes));
            }
        }
        if (!anySplitFile) {
            for (String s : SPLITS) {
                splits.put(s, new ArrayList<>());
            }
            for (String name : items.keySet()) {
                int bucket = Math.floorMod(name.hashCode() * 0x9E3779B9, 10);
                splits.get(bucket < 8 ? "train" : bucket < 9 ? "val" : "test").add(name);
            }
            notes.add("no split lists in " + dir + ": split the images 80/10/10 by a hash of their names");
        }
        splits.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return new CaptionDataset(dir, captionFile, imageDir, Collections.unmodifiableMap(items),
                Collections.unmodifiableMap(splits), List.copyOf(notes));
    }

    private static Path first(Path dir, String... names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    private static Map<String, List<String>> readCaptions(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException("cannot read caption file " + file + ": " + e.getMessage(), e);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        boolean csv = !lines.isEmpty() && lines.get(0).trim().equalsIgnoreCase("image,caption");
        for (int i = csv ? 1 : 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String image;
            String caption;
            if (csv) {
                int comma = line.indexOf(',');
                if (comma <= 0) {
                    throw new UserInputException(file + " line " + (i + 1) + ": expected 'image,caption'");
                }
                image = line.substring(0, comma).trim();
                caption = line.substring(comma + 1).trim();
                if (caption.length() >= 2 && caption.startsWith("\"") && caption.endsWith("\"")) {
                    caption = caption.substring(1, caption.length() - 1).replace("\"\"", "\"");
                }
            } else {
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    throw new UserInputException(file + " line " + (i + 1) + ": expected 'image#k<TAB>caption', got '"
                            + abbreviate(line) + "'");
                }
                String key = line.substring(0, tab).trim();
                int hash = key.lastIndexOf('#');
                image = hash > 0 ? key.substring(0, hash) : key;
                caption = line.substring(tab + 1).trim();
            }
            if (image.contains("/") || image.contains("\\") || image.equals("..")) {
                throw new UserInputException(file + " line " + (i + 1) + ": image name '" + image
                        + "' must be a plain file name inside the image folder");
            }
            if (Captions.tokenize(caption).isEmpty()) {
                throw new UserInputException(file + " line " + (i + 1) + ": empty caption for image " + image);
            }
            out.computeIfAbsent(image, k -> new ArrayList<>()).add(caption);
        }
        if (out.isEmpty()) {
            throw new UserInputException("caption file " + file + " holds no captions");
        }
        return out;
    }

    private static List<String> readSplit(Path file, Map<String, Item> items, List<String> notes) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int unknown = 0;
        String firstUnknown = null;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String n = line.trim();
                if (n.isEmpty() || !seen.add(n)) {
                    continue;
                }
                if (items.containsKey(n)) {
                    names.add(n);
                } else {
                    unknown++;
                    if (firstUnknown == null) {
                        firstUnknown = n;
                    }
                }
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read split list " + file + ": " + e.getMessage(), e);
        }
        if (unknown > 0) {
            notes.add(String.format("skipped %d entries of %s without an image or captions (first: %s)", unknown,
                    file.getFileName(), firstUnknown));
        }
        return names;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    public Path dir() {
        return dir;
    }

    public Path captionFile() {
        return captionFile;
    }

    public Path imageDir() {
        return imageDir;
    }

    /** Every image with captions that exists, in caption-file order. */
    public Map<String, Item> items() {
        return items;
    }

    /** What was skipped while reading, with counts; empty if nothing was. */
    public List<String> notes() {
        return notes;
    }

    /** Names of the images of a split (possibly empty). */
    public List<String> splitNames(String split) {
        if (!SPLITS.contains(split)) {
            throw new UserInputException("unknown split '" + split + "'; use one of " + String.join(", ", SPLITS));
        }
        return splits.getOrDefault(split, List.of());
    }

    /** The items of a split; throws if the split is empty, since nothing could be trained or measured on it. */
    public List<Item> split(String split) {
        List<String> names = splitNames(split);
        if (names.isEmpty()) {
            throw new UserInputException("split '" + split + "' of dataset " + dir + " is empty");
        }
        return names.stream().map(items::get).toList();
    }
}
