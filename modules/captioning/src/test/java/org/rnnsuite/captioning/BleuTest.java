package org.rnnsuite.captioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {
    private static double[] bleu(String hyp, String... refs) {
        return Bleu.corpus(List.of(TinyData.words(hyp)),
                List.of(java.util.Arrays.stream(refs).map(TinyData::words).toList()), 4);
    }

    @Test
    void perfectMatchIsOne() {
        assertArrayEquals(new double[]{1, 1, 1, 1}, bleu("the cat sat on the mat", "the cat sat on the mat"), 1e-12);
    }

    @Test
    void noOverlapIsZero() {
        assertArrayEquals(new double[]{0, 0, 0, 0}, bleu("a b c d", "e f g h"), 0);
    }

    @Test
    void brevityPenaltyOfAShortHypothesis() {
        // c = 2, r = 6: BP = exp(1 - 6/2) = exp(-2); unigram and bigram precision 1; no trigram in the hypothesis
        double[] b = bleu("the cat", "the cat sat on the mat");
        assertEquals(Math.exp(-2), b[0], 1e-12);
        assertEquals(Math.exp(-2), b[1], 1e-12);
        assertEquals(0, b[2], 0);
    }

    @Test
    void countsAreClippedByTheMostInAnyOneReference() {
        // Papineni et al.'s example: "the" occurs at most twice in a reference -> 2/7; c = 7 matches r = 7
        double[] b = bleu("the the the the the the the", "the cat is on the mat", "there is a cat on the mat");
        assertEquals(2.0 / 7, b[0], 1e-12);
        assertEquals(0, b[1], 0);
    }

    @Test
    void closestReferenceLengthPrefersTheShorterOnTies() {
        // hypothesis length 5; references 4 and 6 are equally close: r = 4, so no brevity penalty
        assertEquals(1.0, bleu("a b c d e", "a b c d", "a b c d e f")[0], 1e-12);
    }

    @Test
    void precisionsArePooledOverTheCorpus() {
        // unigrams 3/3 + 1/2 -> 4/5; bigrams 2/2 + 0/1 -> 2/3; c = r = 5
        double[] b = Bleu.corpus(List.of(TinyData.words("a b c"), TinyData.words("a x")),
                List.of(List.of(TinyData.words("a b c")), List.of(TinyData.words("a y"))), 2);
        assertEquals(0.8, b[0], 1e-12);
        assertEquals(Math.sqrt(0.8 * 2 / 3), b[1], 1e-12);
    }

    @Test
    void mismatchedInputsThrow() {
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of(List.of("a")), List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of(List.of("a")),
                List.of(List.of()), 4));
    }
}
