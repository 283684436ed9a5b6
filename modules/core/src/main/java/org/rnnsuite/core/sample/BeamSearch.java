package org.rnnsuite.core.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy and beam search over any left-to-right model that gives log-probabilities of the next token.
 *
 * <p>The model is seen through a {@link StepFunction} that works on a batch of hypotheses at once (one row per
 * live beam), so a recurrent network can keep its state per row and reorder it when beams are pruned: each call
 * says which previous row every new row continues. A hypothesis ends when it emits the end token or reaches the
 * length limit. Finished hypotheses compete on total log-probability, optionally divided by
 * {@code length^lengthPenalty} (0 = raw sum, which favours short outputs; 1 = mean per token).
 *
 * <p>Greedy search is beam search with width 1: the same code path, so "beam 1 equals greedy" holds by
 * construction and is tested.
 */
public final class BeamSearch {
    /**
     * A model that scores the next token for a batch of hypotheses.
     */
    public interface StepFunction {
        /**
         * Advances every row by one token and returns the log-probabilities of the token after it.
         *
         * @param parents row {@code i} of this call continues row {@code parents[i]} of the previous call (on the
         *                first call, every parent is 0: the single empty prefix, repeated)
         * @param tokens  the token row {@code i} appends; on the first call, the start token
         * @return {@code [rows][vocabulary]} natural-log probabilities
         */
        double[][] step(int[] parents, int[] tokens);
    }

    /**
     * A finished (or length-limited) hypothesis.
     *
     * @param tokens  emitted tokens, without the start token and without the end token
     * @param logProb sum of natural-log probabilities of every emitted token, the end token included
     * @param ended   true if it emitted the end token, false if it hit the length limit
     */
    public record Hypothesis(List<Integer> tokens, double logProb, boolean ended) {
        public Hypothesis {
            tokens = List.copyOf(tokens);
        }
    }

    private final int startToken;
    private final int endToken;
    private final int maxLength;
    private final double lengthPenalty;

    /**
     * @param startToken    token fed first
     * @param endToken      token that ends a hypothesis
     * @param maxLength     most tokens emitted per hypothesis, end token excluded (1..10000)
     * @param lengthPenalty exponent alpha of the length normalisation {@code score = logProb / length^alpha},
     *                      in [0, 2]; 0 ranks by raw log-probability
     */
    public BeamSearch(int startToken, int endToken, int maxLength, double lengthPenalty) {
        if (maxLength < 1 || maxLength > 10_000) {
            throw new IllegalArgumentException("maxLength must be in [1, 10000], got " + maxLength);
        }
        if (!(lengthPenalty >= 0 && lengthPenalty <= 2)) {
            throw new IllegalArgumentException("lengthPenalty must be in [0, 2], got " + lengthPenalty);
        }
        this.startToken = startToken;
        this.endToken = endToken;
        this.maxLength = maxLength;
        this.lengthPenalty = lengthPenalty;
    }

    /** The single most probable continuation at every step. */
    public Hypothesis greedy(StepFunction model) {
        return search(model, 1).get(0);
    }

    /**
     * The {@code beamWidth} best hypotheses, best first (by length-normalised score).
     *
     * @param beamWidth hypotheses kept alive per step, 1..1000
     */
    public List<Hypothesis> search(StepFunction model, int beamWidth) {
        if (beamWidth < 1 || beamWidth > 1000) {
            throw new IllegalArgumentException("beam width must be in [1, 1000], got " + beamWidth);
        }
        List<Live> live = List.of(new Live(new int[0], 0.0));
        double[][] logp = model.step(new int[]{0}, new int[]{startToken});
        List<Hypothesis> finished = new ArrayList<>();
        for (int len = 0; len < maxLength && !live.isEmpty(); len++) {
            int vocab = logp[0].length;
            // candidates: (row, token, total); keep the best beamWidth, counting finished ones too
            List<double[]> cands = new ArrayList<>();
            for (int r = 0; r < live.size(); r++) {
                double[] row = logp[r];
                if (row.length != vocab) {
                    throw new IllegalStateException("step function returned rows of different lengths");
                }
                for (int t = 0; t < vocab; t++) {
                    double lp = row[t];
                    if (lp > Double.NEGATIVE_INFINITY) {
                        cands.add(new double[]{r, t, live.get(r).logProb + lp});
                    }
                }
            }
            cands.sort(Comparator.comparingDouble((double[] c) -> -c[2]).thenComparingDouble(c -> c[0])
                    .thenComparingDouble(c -> c[1]));
            List<Live> next = new ArrayList<>();
            List<Integer> parents = new ArrayList<>();
            List<Integer> tokens = new ArrayList<>();
            boolean lastStep = len == maxLength - 1;
            // the best beamWidth candidates of this step, ended or not, share the beam
            int taken = 0;
            for (double[] c : cands) {
                if (taken++ >= beamWidth) {
                    break;
                }
                int r = (int) c[0];
                int t = (int) c[1];
                Live parent = live.get(r);
                if (t == endToken) {
                    finished.add(new Hypothesis(box(parent.tokens), c[2], true));
                } else {
                    int[] toks = Arrays.copyOf(parent.tokens, parent.tokens.length + 1);
                    toks[toks.length - 1] = t;
                    if (lastStep) {
                        finished.add(new Hypothesis(box(toks), c[2], false));
                    } else {
                        next.add(new Live(toks, c[2]));
                        parents.add(r);
                        tokens.add(t);
                    }
                }
            }
            // Stop once no live beam can beat the worst kept finished one (only exact without length penalty).
            live = next;
            if (live.isEmpty()) {
                break;
            }
            if (lengthPenalty == 0 && finished.size() >= beamWidth) {
                double worstKept = finished.stream().mapToDouble(Hypothesis::logProb).sorted()
                        .skip(finished.size() - beamWidth).findFirst().orElse(Double.NEGATIVE_INFINITY);
                double bestLive = live.stream().mapToDouble(l -> l.logProb).max().orElse(Double.NEGATIVE_INFINITY);
                if (bestLive <= worstKept) {
                    break; // log-probabilities only fall as tokens are added
                }
            }
            logp = model.step(parents.stream().mapToInt(Integer::intValue).toArray(),
                    tokens.stream().mapToInt(Integer::intValue).toArray());
        }
        finished.sort(Comparator.comparingDouble((Hypothesis h) -> -score(h)));
        return List.copyOf(finished.subList(0, Math.min(beamWidth, finished.size())));
    }

    /** The ranking score of a hypothesis under this search's length penalty. */
    public double score(Hypothesis h) {
        if (lengthPenalty == 0) {
            return h.logProb();
        }
        int length = h.tokens().size() + (h.ended() ? 1 : 0);
        return h.logProb() / Math.pow(Math.max(1, length), lengthPenalty);
    }

    private static List<Integer> box(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int x : a) {
            l.add(x);
        }
        return l;
    }

    private record Live(int[] tokens, double logProb) {
    }
}
