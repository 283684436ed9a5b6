package org.rnnsuite.core.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work: rate, ETA and loss. On a terminal one line is redrawn in place; otherwise (logs, CI) a
 * plain line is printed every few seconds.
 */
public final class ProgressLine {
    private final PrintStream out;
    private final boolean terminal;
    private final double intervalSec;
    private long lastPrintNanos;
    private int lastLength;

    /**
     * @param out         where to print (standard error by convention, so standard output stays machine-readable)
     * @param intervalSec seconds between plain lines when not on a terminal
     */
    public ProgressLine(PrintStream out, double intervalSec) {
        this(out, System.console() != null && System.getenv("RNNSUITE_PLAIN_PROGRESS") == null, intervalSec);
    }

    public ProgressLine(PrintStream out, boolean terminal, double intervalSec) {
        this.out = out;
        this.terminal = terminal;
        this.intervalSec = intervalSec;
    }

    /** Shows {@code text} if enough time has passed (or {@code force}); returns whether it printed. */
    public boolean update(String text, boolean force) {
        long now = System.nanoTime();
        double since = (now - lastPrintNanos) / 1e9;
        double interval = terminal ? 0.25 : intervalSec;
        if (!force && lastPrintNanos != 0 && since < interval) {
            return false;
        }
        lastPrintNanos = now;
        if (terminal) {
            String pad = text.length() < lastLength ? " ".repeat(lastLength - text.length()) : "";
            out.print("\r" + text + pad);
            lastLength = text.length();
        } else {
            out.println(text);
        }
        out.flush();
        return true;
    }

    /** Ends the in-place line (terminal only). */
    public void finish() {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }

    /** Prints a line of its own (e.g. a validation result) without garbling the in-place line. */
    public void message(String text) {
        finish();
        out.println(text);
        out.flush();
    }

    /** "1h02m", "3m05s", "12s". */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }

    /** "12,345" style with thousands separators. */
    public static String count(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
