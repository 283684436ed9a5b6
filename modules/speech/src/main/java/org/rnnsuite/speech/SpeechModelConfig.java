package org.rnnsuite.speech;

import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.config.Check;

/**
 * The recurrent classifier over feature frames.
 *
 * @param cell          recurrent cell: {@code lstm} (default), {@code gru}, {@code rnn}, {@code peephole}, {@code cifg}
 * @param layers        stacked recurrent layers; 1..4 (default 2)
 * @param hidden        units per layer and direction; 8..1024 (default 64)
 * @param bidirectional run each layer forwards and backwards and concatenate (default false); such a model cannot
 *                      stream, because the backward direction needs the end of the clip
 * @param dropout       probability of dropping a layer input during training; 0..0.8 (default 0.3)
 * @param readout       {@code mean}: classify the mean of the top layer's outputs over the valid frames (default);
 *                      {@code last}: classify the top layer's output at the last valid frame
 */
public record SpeechModelConfig(String cell, int layers, int hidden, boolean bidirectional, double dropout,
                                String readout) {
    public SpeechModelConfig {
        CellType.parse(cell);
        Check.range("model.layers", layers, 1, 4);
        Check.range("model.hidden", hidden, 8, 1024);
        Check.range("model.dropout", dropout, 0, 0.8);
        Check.oneOf("model.readout", readout, "mean", "last");
    }

    public static SpeechModelConfig defaults() {
        return new SpeechModelConfig("lstm", 2, 64, false, 0.3, "mean");
    }

    public CellType cellType() {
        return CellType.parse(cell);
    }
}
