package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
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
    void melScaleRoundTrips() {
        for (double hz : new double[]{0, 100, 1000, 4000, 8000}) {
            assertEquals(hz, Mfcc.melToHz(Mfcc.hzToMel(hz)), 1e-6);
        }
        assertEquals(1000, Mfcc.hzToMel(1000), 0.5);
    }
}
