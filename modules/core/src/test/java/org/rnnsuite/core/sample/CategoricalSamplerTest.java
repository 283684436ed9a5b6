package org.rnnsuite.core.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CategoricalSamplerTest {
    private static final double[] P = {0.1, 0.5, 0.15, 0.25};

    private static int[] draw(SamplingConfig cfg, double[] p, int n) {
        CategoricalSampler s = new CategoricalSampler(cfg);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.next(p);
        }
        return out;
    }

    private static double[] frequencies(int[] ids, int k) {
        double[] f = new double[k];
        for (int id : ids) {
            f[id] += 1.0 / ids.length;
        }
        return f;
    }

    @Test
    void sameSeedSameSequenceOtherSeedOtherSequence() {
        int[] a = draw(new SamplingConfig(1.0, 0, 7), P, 200);
        int[] b = draw(new SamplingConfig(1.0, 0, 7), P, 200);
        int[] c = draw(new SamplingConfig(1.0, 0, 8), P, 200);
        assertArrayEquals(a, b);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
    }

    @Test
    void temperatureZeroIsArgmax() {
        int[] ids = draw(SamplingConfig.greedy(), P, 50);
        for (int id : ids) {
            assertEquals(1, id);
        }
    }

    @Test
    void temperatureOneFollowsTheDistribution() {
        double[] f = frequencies(draw(new SamplingConfig(1.0, 0, 1), P, 20000), 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(P[i], f[i], 0.015, "token " + i);
        }
    }

    @Test
    void lowTemperatureSharpensHighTemperatureFlattens() {
        double[] cold = frequencies(draw(new SamplingConfig(0.25, 0, 1), P, 5000), 4);
        double[] hot = frequencies(draw(new SamplingConfig(3.0, 0, 1), P, 5000), 4);
        assertTrue(cold[1] > 0.85, "cold sampling should pick the mode almost always: " + cold[1]);
        assertTrue(hot[1] < 0.4 && hot[0] > 0.15, "hot sampling should flatten: " + java.util.Arrays.toString(hot));
        // p^(1/T) renormalized at T = 0.5: probabilities proportional to squares
        double z = 0.01 + 0.25 + 0.0225 + 0.0625;
        double[] half = frequencies(draw(new SamplingConfig(0.5, 0, 3), P, 20000), 4);
        assertEquals(0.25 / z, half[1], 0.015);
    }

    @Test
    void topKDrawsOnlyAmongTheKMostProbable() {
        double[] f = frequencies(draw(new SamplingConfig(1.0, 2, 1), P, 5000), 4);
        assertEquals(0.0, f[0]);
        assertEquals(0.0, f[2]);
        assertEquals(0.5 / 0.75, f[1], 0.03);
        int[] top1 = draw(new SamplingConfig(2.0, 1, 5), P, 100);
        for (int id : top1) {
            assertEquals(1, id);
        }
    }

    @Test
    void zeroEntriesAreNeverDrawn() {
        double[] p = {0.0, 1e-9, 0.0, 0.0};
        for (int id : draw(new SamplingConfig(5.0, 0, 1), p, 100)) {
            assertEquals(1, id);
        }
        // tiny temperatures must not underflow to an empty distribution
        assertEquals(1, new CategoricalSampler(new SamplingConfig(1e-6, 0, 1)).next(P));
    }

    @Test
    void invalidDistributionsAndConfigsAreRejected() {
        CategoricalSampler s = new CategoricalSampler(SamplingConfig.defaults());
        assertThrows(IllegalArgumentException.class, () -> s.next(new double[]{0, 0}));
        assertThrows(IllegalArgumentException.class, () -> s.next(new double[]{0.5, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> s.next(new double[]{0.5, -0.1}));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, -2, 1));
    }
}
