package org.rnnsuite.captioning;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al., 2002): modified n-gram precisions clipped by the most times an n-gram occurs in any
 * one reference, pooled over the corpus, combined by a geometric mean with uniform weights, times the brevity
 * penalty {@code exp(1 - r/c)} when the total hypothesis length c is below the effective reference length r (for
 * each sentence the reference length closest to the hypothesis length, the shorter one on ties). No smoothing:
 * an order with no matching n-gram makes that and every higher BLEU 0, as in the paper and in the usual tools.
 */
public final class Bleu {
    private Bleu() {
    }

    /**
     * BLEU-1 .. BLEU-{@code maxOrder} of a corpus, as fractions in [0, 1].
     *
     * @param hypotheses one token list per item
     * @param references per item, one or more reference token lists
     */
    public static double[] corpus(List<List<String>> hypotheses, List<List<List<String>>> references, int maxOrder) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size()
                    + " reference sets");
        }
        if (maxOrder < 1) {
            throw new IllegalArgumentException("maxOrder must be >= 1, got " + maxOrder);
        }
        long[] matched = new long[maxOrder];
        long[] total = new long[maxOrder];
        long hypLen = 0;
        long refLen = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hyp = hypotheses.get(i);
            List<List<String>> refs = references.get(i);
            if (refs.isEmpty()) {
                throw new IllegalArgumentException("item " + i + " has no reference");
            }
            hypLen += hyp.size();
            refLen += closestLength(hyp.size(), refs);
            for (int n = 1; n <= maxOrder; n++) {
                Map<List<String>, Integer> h = ngrams(hyp, n);
                Map<List<String>, Integer> maxRef = new HashMap<>();
                for (List<String> r : refs) {
                    ngrams(r, n).forEach((g, c) -> maxRef.merge(g, c, Math::max));
                }
                for (Map.Entry<List<String>, Integer> e : h.entrySet()) {
                    matched[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                    total[n - 1] += e.getValue();
                }
            }
        }
        double[] bleu = new double[maxOrder];
        if (hypLen == 0) {
            return bleu;
        }
        double bp = hypLen >= refLen ? 1.0 : Math.exp(1.0 - (double) refLen / hypLen);
        double logSum = 0;
        for (int n = 1; n <= maxOrder; n++) {
            if (matched[n - 1] == 0 || total[n - 1] == 0) {
                break; // this and all higher orders stay 0
            }
            logSum += Math.log((double) matched[n - 1] / total[n - 1]);
            bleu[n - 1] = bp * Math.exp(logSum / n);
        }
        return bleu;
    }

    private static int closestLength(int hypLen, List<List<String>> refs) {
        int best = refs.get(0).size();
        for (List<String> r : refs) {
            int d = Math.abs(r.size() - hypLen);
            int bd = Math.abs(best - hypLen);
            if (d < bd || (d == bd && r.size() < best)) {
                best = r.size();
            }
        }
        return best;
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            m.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return m;
    }
}
