package org.rnnsuite.core.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BeamSearchTest {
    static final int START = 0;
    static final int END = 1;
    static final int A = 2;
    static final int B = 3;
    static final int C = 4;

    /**
     * A toy first-order model: after the start token A is likelier (0.6) than B (0.4), but after A every token is
     * equally likely (0.25) while B almost surely ends (0.9). Greedy takes A and ends with probability 0.15;
     * B-then-end has 0.36.
     */
    static double[] next(int last) {
        double[] p = switch (last) {
            case START -> new double[]{0, 0, 0.6, 0.4, 0};
            case A -> new double[]{0, 0.25, 0.25, 0.25, 0.25};
            case B -> new double[]{0, 0.9, 0.05, 0.03, 0.02};
            default -> new double[]{0, 0.5, 0.2, 0.2, 0.1};
        };
        double[] lp = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            lp[i] = Math.log(p[i]);
        }
        return lp;
    }

    /** Stateless model: the state per row is just the last token, so parents need not be tracked. */
    static final class Toy implements BeamSearch.StepFunction {
        int calls;
        final List<int[]> parentLog = new ArrayList<>();

        @Override
        public double[][] step(int[] parents, int[] tokens) {
            calls++;
            parentLog.add(parents.clone());
            double[][] out = new double[tokens.length][];
            for (int i = 0; i < tokens.length; i++) {
                out[i] = next(tokens[i]);
            }
            return out;
        }
    }

    @Test
    void beamFindsABetterSequenceThanGreedy() {
        BeamSearch bs = new BeamSearch(START, END, 10, 0);
        BeamSearch.Hypothesis greedy = bs.greedy(new Toy());
        assertEquals(List.of(A), greedy.tokens());
        assertEquals(Math.log(0.6 * 0.25), greedy.logProb(), 1e-12);

        List<BeamSearch.Hypothesis> beam = bs.search(new Toy(), 2);
        assertEquals(List.of(B), beam.get(0).tokens());
        assertEquals(Math.log(0.4 * 0.9), beam.get(0).logProb(), 1e-12);
        assertTrue(beam.get(0).logProb() > greedy.logProb());
    }

    @Test
    void beamOfOneEqualsGreedy() {
        BeamSearch bs = new BeamSearch(START, END, 10, 0);
        List<BeamSearch.Hypothesis> one = bs.search(new Toy(), 1);
        assertEquals(1, one.size());
        assertEquals(bs.greedy(new Toy()), one.get(0));
    }

    @Test
    void resultsAreSortedByScoreAndEndTokenStopsABeam() {
        BeamSearch bs = new BeamSearch(START, END, 6, 0);
        List<BeamSearch.Hypothesis> beam = bs.search(new Toy(), 4);
        assertEquals(4, beam.size());
        for (int i = 1; i < beam.size(); i++) {
            assertTrue(bs.score(beam.get(i - 1)) >= bs.score(beam.get(i)), "sorted at " + i);
        }
        for (BeamSearch.Hypothesis h : beam) {
            assertTrue(h.ended());
            assertFalse(h.tokens().contains(END), "the end token is not part of the output");
            // the log-probability is that of the tokens emitted, recomputed independently
            double lp = 0;
            int last = START;
            for (int t : h.tokens()) {
                lp += next(last)[t];
                last = t;
            }
            lp += next(last)[END];
            assertEquals(lp, h.logProb(), 1e-12);
        }
    }

    @Test
    void lengthLimitEndsHypothesesWithoutEndToken() {
        // a model that never ends
        BeamSearch.StepFunction never = (parents, tokens) -> {
            double[][] out = new double[tokens.length][];
            for (int i = 0; i < tokens.length; i++) {
                out[i] = new double[]{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Math.log(0.5),
                        Math.log(0.5)};
            }
            return out;
        };
        BeamSearch.Hypothesis h = new BeamSearch(START, END, 3, 0).greedy(never);
        assertEquals(3, h.tokens().size());
        assertFalse(h.ended());
        assertEquals(3 * Math.log(0.5), h.logProb(), 1e-12);
    }

    @Test
    void parentsPointAtSurvivingRows() {
        Toy toy = new Toy();
        new BeamSearch(START, END, 5, 0).search(toy, 3);
        assertEquals(1, toy.parentLog.get(0).length);
        for (int[] parents : toy.parentLog) {
            assertTrue(parents.length <= 3);
        }
        // step 2 continues the two first-step beams (A and B) that did not end
        int[] second = toy.parentLog.get(1);
        assertTrue(second.length >= 2);
    }

    @Test
    void invalidArgumentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(0, 1, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(0, 1, 5, 0).search(new Toy(), 0));
    }
}
