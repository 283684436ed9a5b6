package org.rnnsuite.core.cells;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The recurrent cell family, named as in configs ({@code "lstm"}, {@code "gru"}, ...). */
public enum CellType {
    /** Vanilla tanh RNN: h_t = tanh(W x_t + R h_{t-1} + b) (DL4J SimpleRnn). */
    RNN,
    /**
     * LSTM without peepholes, {@code "lstm"}: this project's {@link FusedLSTM} (PyTorch {@code nn.LSTM} maths and
     * weight layout, few native calls per step).
     */
    LSTM,
    /**
     * DL4J's own LSTM layer ({@code org.deeplearning4j.nn.conf.layers.LSTM}), {@code "dl4j-lstm"}: the same maths as
     * {@link #LSTM} with gate blocks ordered g, f, o, i; slower, kept as a reference for comparisons.
     */
    DL4J_LSTM,
    /** LSTM with peephole connections, Gers and Schmidhuber 2000 (DL4J GravesLSTM). */
    PEEPHOLE,
    /** LSTM with coupled input and forget gates: f = 1 - i. */
    CIFG,
    /** Gated recurrent unit, Cho et al. 2014. */
    GRU;

    /** The config name, e.g. {@code "lstm"}, {@code "dl4j-lstm"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
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

    /** "rnn|lstm|dl4j-lstm|peephole|cifg|gru". */
    public static String names() {
        return Arrays.stream(values()).map(CellType::id).collect(Collectors.joining("|"));
    }
}
