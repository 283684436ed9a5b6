package org.rnnsuite.captioning;

import java.util.ArrayList;
import java.util.List;
import org.rnnsuite.core.UserInputException;

/**
 * The images of a split decoded into network input once, with their captions. Images that cannot be read are
 * left out and counted in {@link #notes()}, never dropped silently; a split where none can be read is an error.
 *
 * @param items  the readable items, in split order
 * @param pixels per item, {@code 3 * size * size} floats in [0, 1], channels first
 * @param size   image side in pixels
 * @param notes  what was left out, with counts
 */
public record ImageSet(List<CaptionDataset.Item> items, List<float[]> pixels, int size, List<String> notes) {

    /** Loads the given items at {@code size x size}; at most {@code max} of them (0 = all). */
    public static ImageSet load(List<CaptionDataset.Item> items, int size, int max, String what) {
        List<CaptionDataset.Item> kept = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int bad = 0;
        String firstBad = null;
        List<CaptionDataset.Item> todo = max > 0 && items.size() > max ? items.subList(0, max) : items;
        if (todo.size() < items.size()) {
            notes.add(String.format("used %d of the %d %s images (the configured cap)", todo.size(), items.size(),
                    what));
        }
        for (CaptionDataset.Item it : todo) {
            try {
                pixels.add(ImageLoader.load(it.file(), size));
                kept.add(it);
            } catch (UserInputException e) {
                bad++;
                if (firstBad == null) {
                    firstBad = e.getMessage();
                }
            }
        }
        if (bad > 0) {
            notes.add(String.format("skipped %d unreadable %s images of %d (first: %s)", bad, what, todo.size(),
                    firstBad));
        }
        if (kept.isEmpty()) {
            throw new UserInputException("none of the " + todo.size() + " " + what + " images could be read"
                    + (firstBad == null ? "" : " (first: " + firstBad + ")"));
        }
        return new ImageSet(List.copyOf(kept), List.copyOf(pixels), size, List.copyOf(notes));
    }

    public int size() {
        return items.size();
    }
}
