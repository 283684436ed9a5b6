package org.rnnsuite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnsuite.core.config.Configs;

class BenchRowTest {

    @Test
    void ratioAboveOneMeansRnnsuiteIsBetterWhicheverWayTheUnitPoints() {
        assertEquals(2.0, BenchRow.higher("train", "chars/s", 2000, 1000).ratio(), 1e-12);
        assertEquals(0.5, BenchRow.higher("train", "chars/s", 500, 1000).ratio(), 1e-12);
        // latency and memory: less is better, so half the latency is a ratio of 2
        assertEquals(2.0, BenchRow.lower("sample", "ms/char", 0.5, 1.0).ratio(), 1e-12);
        assertEquals(0.25, BenchRow.lower("memory", "MiB", 400, 100).ratio(), 1e-12);
    }

    @Test
    void missingOrNonPositiveValuesGiveNoRatio() {
        assertTrue(Double.isNaN(BenchRow.higher("x", "u", Double.NaN, 1).ratio()));
        assertTrue(Double.isNaN(BenchRow.lower("x", "u", 1, 0).ratio()));
    }

    @Test
    void jsonRowHasTheFiveFieldsAndNullForMissingValues() {
        JsonNode n = BenchRow.higher("train lstm", "chars/s", 300, Double.NaN).toJson();
        assertEquals(List.of("name", "unit", "rnnsuite", "peer", "ratio"), iterableNames(n));
        assertEquals("train lstm", n.get("name").asText());
        assertEquals(300.0, n.get("rnnsuite").asDouble());
        assertTrue(n.get("peer").isNull());
        assertTrue(n.get("ratio").isNull());
    }

    @Test
    void reportJsonIsOneArrayOfRowsInOrder() throws Exception {
        BenchReport r = new BenchReport.Builder()
                .add(BenchRow.higher("a", "chars/s", 3, 1))
                .add(BenchRow.lower("b", "ms/char", 1, 3))
                .build("machine", "2026-01-01T00:00:00Z", "rnnsuite bench --quick");
        String json = r.json();
        assertTrue(!json.contains("\n"), "one line: " + json);
        JsonNode a = Configs.mapper().readTree(json);
        assertTrue(a.isArray());
        assertEquals(2, a.size());
        assertEquals("a", a.get(0).get("name").asText());
        assertEquals(3.0, a.get(0).get("ratio").asDouble(), 1e-12);
        assertEquals(3.0, a.get(1).get("ratio").asDouble(), 1e-12);
    }

    @Test
    void markdownTableHasOneLinePerRowAndSaysWhereAndHowItWasMeasured() {
        BenchReport r = new BenchReport.Builder()
                .add(BenchRow.higher("char-LM train lstm 2x256 b32", "chars/s", 12345.6, 6200))
                .add(BenchRow.lower("char-LM sample lstm 2x256 b1", "ms/char", 0.8, 0.85))
                .notDone("captioning rows")
                .build("AMD EPYC, 2 cores", "2026-01-01T00:00:00Z", "rnnsuite bench");
        String md = r.markdown();
        assertTrue(md.contains("| char-LM train lstm 2x256 b32 | chars/s | 12,346 | 6,200 | 1.99x |"), md);
        assertTrue(md.contains("| char-LM sample lstm 2x256 b1 | ms/char | 0.800 | 0.850 | 1.06x |"), md);
        assertTrue(md.contains("Machine: AMD EPYC, 2 cores"), md);
        assertTrue(md.contains("Command: `rnnsuite bench`"), md);
        assertTrue(md.contains("- captioning rows"), md);
        assertTrue(r.text().contains("1.99x"), r.text());
    }

    @Test
    void numbersKeepMeaningfulDigits() {
        assertEquals("33,500", BenchReport.number(33500.4));
        assertEquals("56.3", BenchReport.number(56.3));
        assertEquals("1.800", BenchReport.number(1.8));
        assertEquals("0.0123", BenchReport.number(0.0123));
        assertEquals("-", BenchReport.number(Double.NaN));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Stats.median(3, 1, 2), 0);
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 2.0, 3.0)), 0);
        assertTrue(Double.isNaN(Stats.median()));
    }

    private static List<String> iterableNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
