package org.rnnsuite.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.rnnsuite.core.config.Configs;

/**
 * The result of a benchmark run: rows plus where and how they were measured, as a console table, a Markdown
 * section or JSON.
 *
 * @param rows    measured rows, in the order they were run
 * @param machine one line on the machine and both systems' settings
 * @param date    when the run finished (UTC, ISO-8601)
 * @param command the command line that produced the rows
 * @param notDone rows that were planned but not measured, with the reason
 */
public record BenchReport(List<BenchRow> rows, String machine, String date, String command, List<String> notDone) {

    public BenchReport {
        rows = List.copyOf(rows);
        notDone = List.copyOf(notDone);
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(command, "command");
    }

    /** The rows as one JSON array of {@code {"name", "unit", "rnnsuite", "peer", "ratio"}}. */
    public String json() {
        ArrayNode a = Configs.mapper().createArrayNode();
        rows.forEach(r -> a.add(r.toJson()));
        try {
            return Configs.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixed-width table for the console. */
    public String text() {
        int w = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        int u = Math.max(4, rows.stream().mapToInt(r -> r.unit().length()).max().orElse(4));
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w + "s  %-" + u + "s  %12s  %12s  %8s%n";
        sb.append(String.format(Locale.ROOT, fmt, "name", "unit", "rnnsuite", "pytorch", "ratio"));
        for (BenchRow r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.name(), r.unit(), number(r.rnnsuite()), number(r.peer()),
                    ratio(r.ratio())));
        }
        sb.append("ratio > 1: rnnsuite is better (faster, or lower latency/memory/loss)\n");
        sb.append(machine).append('\n');
        notDone.forEach(n -> sb.append("not measured: ").append(n).append('\n'));
        return sb.toString();
    }

    /** The Markdown that goes between the README's bench markers. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | unit | rnnsuite | PyTorch | ratio |\n");
        sb.append("|---|---|---:|---:|---:|\n");
        for (BenchRow r : rows) {
            sb.append("| ").append(r.name()).append(" | ").append(r.unit()).append(" | ").append(number(r.rnnsuite()))
                    .append(" | ").append(number(r.peer())).append(" | ").append(ratio(r.ratio())).append(" |\n");
        }
        sb.append('\n');
        sb.append("Ratio > 1 means rnnsuite is better (faster, or lower latency, memory or bits/char). ");
        sb.append("Medians over alternating runs, warm-up excluded.\n\n");
        sb.append("Machine: ").append(machine).append("  \n");
        sb.append("Date: ").append(date).append("  \n");
        sb.append("Command: `").append(command).append("`\n");
        if (!notDone.isEmpty()) {
            sb.append('\n').append("Not measured in this run:\n");
            notDone.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return sb.toString();
    }

    /** A value with as many digits as are meaningful for run-to-run noise of a few percent. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 0.1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String ratio(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2fx", r) : "-";
    }

    /** Collects a run's rows and the rows it left out, in the order they were measured. */
    public static final class Builder {
        private final List<BenchRow> rows = new ArrayList<>();
        private final List<String> notDone = new ArrayList<>();

        public Builder add(BenchRow row) {
            rows.add(row);
            return this;
        }

        public Builder notDone(String what) {
            notDone.add(what);
            return this;
        }

        public List<BenchRow> rows() {
            return List.copyOf(rows);
        }

        public BenchReport build(String machine, String date, String command) {
            return new BenchReport(rows, machine, date, command, notDone);
        }
    }
}
