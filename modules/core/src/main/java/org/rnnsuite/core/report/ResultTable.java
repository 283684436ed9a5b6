package org.rnnsuite.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small table of results: printed aligned for people, and as CSV for tools. */
public final class ResultTable {
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public ResultTable(String... columns) {
        this.columns = List.of(columns);
    }

    /** Adds a row; numbers are formatted with 4 significant digits. */
    public ResultTable row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells, got " + cells.length);
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c instanceof Double d ? format(d) : c instanceof Float f ? format(f) : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** The cell at (row, column name). */
    public String cell(int row, String column) {
        return rows.get(row).get(columns.indexOf(column));
    }

    public static String format(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (d != 0 && (Math.abs(d) < 1e-3 || Math.abs(d) >= 1e5)) {
            return String.format(Locale.ROOT, "%.3e", d);
        }
        return String.format(Locale.ROOT, "%.4g", d);
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (List<String> r : rows) {
            sb.append(String.join(",", r)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        int[] w = new int[columns.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = columns.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, columns, w);
        for (int i = 0; i < w.length; i++) {
            sb.append("-".repeat(w[i])).append(i + 1 < w.length ? "  " : "\n");
        }
        for (List<String> r : rows) {
            appendRow(sb, r, w);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(c).append(" ".repeat(w[i] - c.length())).append(i + 1 < w.length ? "  " : "\n");
        }
    }
}
