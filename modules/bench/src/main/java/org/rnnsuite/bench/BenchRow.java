package org.rnnsuite.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.rnnsuite.core.config.Configs;

/**
 * One measured quantity of both systems.
 *
 * @param name           what was measured, e.g. {@code char-LM train lstm 2x256 b32}
 * @param unit           unit of both values, e.g. {@code chars/s}
 * @param rnnsuite       rnnsuite's value (NaN if not measured)
 * @param peer           the PyTorch peer's value (NaN if not measured)
 * @param higherIsBetter whether a larger value is better (throughput) or worse (latency, memory, loss)
 */
public record BenchRow(String name, String unit, double rnnsuite, double peer, boolean higherIsBetter) {

    public BenchRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
    }

    /** A row where more is better (throughput, share of peak). */
    public static BenchRow higher(String name, String unit, double rnnsuite, double peer) {
        return new BenchRow(name, unit, rnnsuite, peer, true);
    }

    /** A row where less is better (latency, memory, bits per character). */
    public static BenchRow lower(String name, String unit, double rnnsuite, double peer) {
        return new BenchRow(name, unit, rnnsuite, peer, false);
    }

    /**
     * How much better rnnsuite is: above 1 means rnnsuite is better (faster, or lower latency, memory or loss),
     * whichever way the unit points; NaN if either value is missing or not positive.
     */
    public double ratio() {
        if (!(rnnsuite > 0) || !(peer > 0) || Double.isInfinite(rnnsuite) || Double.isInfinite(peer)) {
            return Double.NaN;
        }
        return higherIsBetter ? rnnsuite / peer : peer / rnnsuite;
    }

    /** The row as {@code {"name", "unit", "rnnsuite", "peer", "ratio"}}; missing values are null. */
    public ObjectNode toJson() {
        ObjectNode n = Configs.mapper().createObjectNode();
        n.put("name", name);
        n.put("unit", unit);
        putNumber(n, "rnnsuite", rnnsuite);
        putNumber(n, "peer", peer);
        putNumber(n, "ratio", ratio());
        return n;
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }
}
