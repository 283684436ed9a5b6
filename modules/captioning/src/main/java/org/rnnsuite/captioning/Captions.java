package org.rnnsuite.captioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Caption text to tokens and back; one tokenizer for training, decoding and BLEU so they always agree. */
public final class Captions {
    private Captions() {
    }

    /** Lower-cased words; punctuation other than apostrophes and hyphens inside words is dropped. */
    public static List<String> tokenize(String caption) {
        String s = caption.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}'\\-]+", " ");
        List<String> out = new ArrayList<>();
        for (String w : s.trim().split("\\s+")) {
            String t = w.replaceAll("^['\\-]+|['\\-]+$", "");
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    public static String join(List<String> tokens) {
        return String.join(" ", tokens);
    }
}
