package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rnnsuite.core.config.Configs;

/** Holds {@link Mfcc} to fixtures computed by src/test/python/mfcc_reference.py with numpy and scipy. */
class MfccTest {
    @Test
    void agreesWithTheNumpyScipyReference() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/mfcc-fixtures.json")) {
            root = Configs.mapper().readTree(in);
        }
        assertTrue(root.path("cases").size() >= 3);
        for (JsonNode c : root.path("cases")) {
            String name = c.path("name").asText();
            FeatureConfig cfg = Configs.mapper().treeToValue(c.path("config"), FeatureConfig.class);
            JsonNode sig = c.path("signal");
            float[] x = new float[sig.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) sig.get(i).asDouble();
            }
            float[][] got = new Mfcc(cfg).compute(x);
            JsonNode want = c.path("mfcc");
            assertEquals(want.size(), got.length, name + ": frame count");
            for (int t = 0; t < got.length; t++) {
                assertEquals(want.get(t).size(), got[t].length, name + ": frame size");
                for (int k = 0; k < got[t].length; k++) {
                    double w = want.get(t).get(k).asDouble();
                    // float32 input and output: agreement to 1e-3 absolute or 1e-4 relative
                    assertEquals(w, got[t][k], Math.max(1e-3, 1e-4 * Math.abs(w)),
                            name + " frame " + t + " coefficient " + k);
                }
            }
        }
    }

    @Test
    void vtlpWarpScalesLowFrequenciesAndKeepsTheBandEdge() {
        double high = 8000;
        for (double alpha : new double[]{0.85, 0.95, 1.05, 1.15}) {
            assertEquals(0, Mfcc.vtlpWarp(0, alpha, high), 1e-9);
            assertEquals(high, Mfcc.vtlpWarp(high, alpha, high), 1e-9, "band edge stays at alpha " + alpha);
            assertEquals(1000 * alpha, Mfcc.vtlpWarp(1000, alpha, high), 1e-9, "formant range scaled");
            double prev = -1;
            for (double f = 0; f <= high; f += 10) {
                double w = Mfcc.vtlpWarp(f, alpha, high);
                assertTrue(w > prev, "monotonic at " + f);
                // continuous: no step larger than the steepest slope allows
                assertTrue(prev < 0 || w - prev < 10 * 1.5, "continuous at " + f);
                prev = w;
            }
        }
        assertEquals(3000, Mfcc.vtlpWarp(3000, 1.0, high), 0);
    }

    @Test
    void warpedFilterbankMovesATonesEnergyToLowerBandsWhenStretched() {
        FeatureConfig cfg = new FeatureConfig(16000, 25, 10, 512, 40, 40, 20, 0, 0, 0, 5, "none");
        float[] tone = new float[16000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 16000.0);
        }
        // with all 40 orthonormal DCT coefficients the log-mel energies can be recovered exactly
        int plain = peakBand(new Mfcc(cfg).compute(tone)[10]);
        int up = peakBand(new Mfcc(cfg, 1.2).compute(tone)[10]);
        int down = peakBand(new Mfcc(cfg, 0.8).compute(tone)[10]);
        assertTrue(up < plain && plain < down, "peak bands " + up + " < " + plain + " < " + down);
        float[][] same = new Mfcc(cfg, 1.0).compute(tone);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new Mfcc(cfg).compute(tone)[10], same[10]);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Mfcc(cfg, 3.0));
    }

    @Test
    void logMelFeaturesAreTheBandEnergiesWhoseDctIsTheMfcc() {
        FeatureConfig mfcc = new FeatureConfig(16000, 25, 10, 512, 24, 13, 20, 0, 0.97, 2, 5, "none");
        FeatureConfig logMel = TestAudio.logMel(mfcc);
        assertEquals(24 * 3, logMel.frameSize());
        Random r = new Random(5);
        float[] x = new float[8000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0) + 0.05 * r.nextGaussian());
        }
        float[][] c = new Mfcc(mfcc).compute(x);
        float[][] e = new Mfcc(logMel).compute(x);
        assertEquals(c.length, e.length);
        for (int t = 0; t < c.length; t += 7) {
            for (int k = 0; k < 13; k++) {
                // orthonormal DCT-II of the 24 log energies (statics), of their deltas, of their delta-deltas
                for (int part = 0; part < 3; part++) {
                    double v = 0;
                    for (int i = 0; i < 24; i++) {
                        v += Math.sqrt((k == 0 ? 1.0 : 2.0) / 24) * Math.cos(Math.PI * k * (2 * i + 1) / 48.0)
                                * e[t][part * 24 + i];
                    }
                    assertEquals(c[t][part * 13 + k], v, 1e-3 * Math.max(1, Math.abs(v)), "frame " + t + " coef " + k);
                }
            }
        }
    }

    /** Band with the largest log-mel energy, from a frame of all DCT coefficients (inverse orthonormal DCT-II). */
    private static int peakBand(float[] c) {
        int m = c.length;
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            double v = 0;
            for (int k = 0; k < m; k++) {
                v += Math.sqrt((k == 0 ? 1.0 : 2.0) / m) * Math.cos(Math.PI * k * (2 * i + 1) / (2.0 * m)) * c[k];
            }
            if (v > bestV) {
                bestV = v;
                best = i;
            }
        }
        return best;
    }

    @Test
    void melScaleRoundTrips() {
        for (double hz : new double[]{0, 100, 1000, 4000, 8000}) {
            assertEquals(hz, Mfcc.melToHz(Mfcc.hzToMel(hz)), 1e-6);
        }
        assertEquals(1000, Mfcc.hzToMel(1000), 0.5);
    }
}
