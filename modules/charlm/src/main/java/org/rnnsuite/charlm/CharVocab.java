package org.rnnsuite.charlm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.rnnsuite.core.data.Vocabulary;

/**
 * Characters (Unicode code points) to ids and back. The id order is the sorted set of characters of the training
 * text after one unknown symbol at id 0, so the same text always gives the same ids. Characters not seen in training
 * map to the unknown symbol and are counted, never silently dropped.
 */
public final class CharVocab {
    /** The unknown symbol (U+FFFD, the Unicode replacement character). */
    public static final String UNKNOWN = "\uFFFD";
    /** Name of the vocabulary artifact in a model bundle. */
    public static final String ARTIFACT = "vocab.json";

    private final Vocabulary vocabulary;
    private final Map<Integer, Integer> idOfCodePoint = new HashMap<>();

    /** Wraps a stored vocabulary (its tokens must be single characters). */
    public CharVocab(Vocabulary vocabulary) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        for (int i = 0; i < vocabulary.size(); i++) {
            String t = vocabulary.token(i);
            if (t.codePointCount(0, t.length()) != 1) {
                throw new IllegalArgumentException("not a character vocabulary: token " + i + " is '" + t + "'");
            }
            idOfCodePoint.put(t.codePointAt(0), i);
        }
    }

    /** The vocabulary of a text: unknown symbol, then its distinct characters sorted. */
    public static CharVocab of(String text) {
        TreeSet<String> chars = new TreeSet<>();
        text.codePoints().forEach(cp -> chars.add(Character.toString(cp)));
        return new CharVocab(Vocabulary.build(chars, List.of(UNKNOWN), UNKNOWN));
    }

    /** Ids of a text and how many of its characters were unknown. */
    public record Encoded(int[] ids, int unknownCount) {
    }

    public Encoded encode(String text) {
        int[] cps = text.codePoints().toArray();
        int[] ids = new int[cps.length];
        int unknownId = unknownId();
        int unknown = 0;
        for (int i = 0; i < cps.length; i++) {
            Integer id = idOfCodePoint.get(cps[i]);
            if (id == null || (id == unknownId)) {
                ids[i] = unknownId;
                unknown++;
            } else {
                ids[i] = id;
            }
        }
        return new Encoded(ids, unknown);
    }

    public String decode(int id) {
        return vocabulary.token(id);
    }

    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.append(vocabulary.token(id));
        }
        return sb.toString();
    }

    public int size() {
        return vocabulary.size();
    }

    public int unknownId() {
        return vocabulary.unknownId();
    }

    /** The id of a character, or -1 if it is not in the vocabulary. */
    public int idOf(String character) {
        Integer id = idOfCodePoint.get(character.codePointAt(0));
        return id == null || id == unknownId() ? -1 : id;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocab v && v.vocabulary.equals(vocabulary);
    }

    @Override
    public int hashCode() {
        return vocabulary.hashCode();
    }
}
