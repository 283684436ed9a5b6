package org.rnnsuite.charlm;

import java.util.Arrays;
import org.rnnsuite.core.UserInputException;

/**
 * The text as ids, cut into a training part and a held-out part taken from its end, so no validation character is
 * ever trained on (the vocabulary is built from the whole training text, which tells the model nothing about
 * the held-out sequence).
 *
 * @param train      ids {@code [0, n - v)}
 * @param validation ids {@code [n - v, n)} with {@code v = floor(n * valFraction)}; empty when valFraction is 0
 */
public record TextSplit(int[] train, int[] validation) {

    /**
     * Splits {@code ids}; each non-empty part must hold at least one sequence ({@code seqLength + 1} characters:
     * inputs and the next-character targets).
     *
     * @throws UserInputException naming {@code source} if the text is too short
     */
    public static TextSplit of(int[] ids, double valFraction, int seqLength, String source) {
        int n = ids.length;
        int v = (int) Math.floor(n * valFraction);
        int need = seqLength + 1;
        if (n - v < need || (valFraction > 0 && v < need)) {
            int total = valFraction > 0 ? (int) Math.ceil(Math.max(need / valFraction, need / (1 - valFraction)))
                    : need;
            throw new UserInputException("text in " + source + " has " + n + " characters, fewer than one sequence "
                    + "needs: data.seqLength=" + seqLength + (valFraction > 0 ? " with data.valFraction="
                    + valFraction : "") + " requires at least " + total + " characters");
        }
        return new TextSplit(Arrays.copyOfRange(ids, 0, n - v), Arrays.copyOfRange(ids, n - v, n));
    }
}
