package org.rnnsuite.core.cells;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The recurrent cell family, named as in configs ({@code "lstm"}, {@code "gru"}, ...). */
public enum CellType {
    /** Vanilla tanh RNN: h_t = tanh(W x_t + R h_{t-1} + b) (DL4J SimpleRnn). */
    RNN,
    /** LSTM without peepholes (DL4J LSTM). */
    LSTM,
    /** LSTM with peephole connections, Gers and Schmidhuber 2000 (DL4J GravesLSTM). */
    PEEPHOLE,
    /** LSTM with coupled input and forget gates: f = 1 - i. */
    CIFG,
    /** Gated recurrent unit, Cho et al. 2014. */
    GRU;

    /** The config name, e.g. {@code "lstm"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config name; the error lists the valid names. */
    public static CellType parse(String s) {
        for (CellType t : values()) {
            if (t.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("cell must be one of " + names() + ", got '" + s + "'");
    }

    /** "rnn|lstm|peephole|cifg|gru". */
    public static String names() {
        return Arrays.stream(values()).map(CellType::id).collect(Collectors.joining("|"));
    }
}
