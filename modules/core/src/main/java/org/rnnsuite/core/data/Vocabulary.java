package org.rnnsuite.core.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A fixed, ordered set of tokens (characters or words) with integer ids. Built from training data in sorted order,
 * so the same data always gives the same ids. Optional special tokens (unknown, start, end, padding) come first.
 * Stored in model bundles as JSON.
 */
public final class Vocabulary {
    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final String unknown;

    /**
     * @param tokens  tokens in id order; no duplicates
     * @param unknown the token that unseen inputs map to, or null if unseen inputs are errors
     */
    @JsonCreator
    public Vocabulary(@JsonProperty("tokens") List<String> tokens, @JsonProperty("unknown") String unknown) {
        if (tokens == null || tokens.isEmpty()) {
            throw new IllegalArgumentException("a vocabulary needs at least one token");
        }
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            if (m.put(this.tokens.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate token in vocabulary: '" + this.tokens.get(i) + "'");
            }
        }
        if (unknown != null && !m.containsKey(unknown)) {
            throw new IllegalArgumentException("unknown token '" + unknown + "' is not in the vocabulary");
        }
        this.ids = Collections.unmodifiableMap(m);
        this.unknown = unknown;
    }

    /** Specials first (in the given order), then the distinct observed tokens sorted. */
    public static Vocabulary build(Collection<String> observed, List<String> specials, String unknown) {
        List<String> t = new ArrayList<>(specials);
        TreeSet<String> sorted = new TreeSet<>(observed);
        sorted.removeAll(specials);
        t.addAll(sorted);
        return new Vocabulary(t, unknown);
    }

    @JsonProperty("tokens")
    public List<String> tokens() {
        return tokens;
    }

    @JsonProperty("unknown")
    public String unknown() {
        return unknown;
    }

    public int size() {
        return tokens.size();
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of {@code token}; unseen tokens map to the unknown token, or throw if there is none. */
    public int id(String token) {
        Integer i = ids.get(token);
        if (i != null) {
            return i;
        }
        if (unknown != null) {
            return ids.get(unknown);
        }
        throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary");
    }

    /** The id of the unknown token, or -1. */
    public int unknownId() {
        return unknown == null ? -1 : ids.get(unknown);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.tokens.equals(tokens) && java.util.Objects.equals(v.unknown, unknown);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode() * 31 + java.util.Objects.hashCode(unknown);
    }

    @Override
    public String toString() {
        return "Vocabulary(" + tokens.size() + " tokens)";
    }
}
