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
 * @param convFilters   0 (default; absent in older models: 0): the recurrent layers read the feature frames;
 *                      otherwise a convolutional front end over frequency with this many filters, 1..256, in front of
 *                      them: each frame's log mel bands (static, delta, delta-delta as channels; needs
 *                      {@code features.kind=logmel}) are convolved along frequency with {@code convKernel}-band
 *                      filters (ReLU) and max-pooled over {@code convPool} adjacent positions. Pooling over
 *                      frequency makes the features tolerate small shifts of the formants, the main difference between
 *                      speakers of one word. It looks at one frame at a time, so streaming is unchanged. On the
 *                      spoken digits it did not beat the GRU on MFCC (figures in modules/speech/README.md).
 * @param convKernel    filter height in mel bands, 2..melBands (default 8; absent in older models: 8)
 * @param convPool      max-pooling size and stride along frequency, 1..8 (default 3; absent in older models: 3)
 */
public record SpeechModelConfig(String cell, int layers, int hidden, boolean bidirectional, double dropout,
                                String readout, Integer convFilters, Integer convKernel, Integer convPool) {
    public SpeechModelConfig {
        // absent in models saved before the front end existed: none, and the defaults
        convFilters = convFilters == null ? 0 : convFilters;
        convKernel = convKernel == null ? 8 : convKernel;
        convPool = convPool == null ? 3 : convPool;
        CellType.parse(cell);
        Check.range("model.layers", layers, 1, 4);
        Check.range("model.hidden", hidden, 8, 1024);
        Check.range("model.dropout", dropout, 0, 0.8);
        Check.oneOf("model.readout", readout, "mean", "last");
        Check.range("model.convFilters", convFilters, 0, 256);
        if (convFilters > 0) {
            Check.range("model.convKernel", convKernel, 2, 128);
            Check.range("model.convPool", convPool, 1, 8);
        }
    }

    /** A model without a convolutional front end. */
    public SpeechModelConfig(String cell, int layers, int hidden, boolean bidirectional, double dropout,
                             String readout) {
        this(cell, layers, hidden, bidirectional, dropout, readout, 0, 8, 3);
    }

    public static SpeechModelConfig defaults() {
        return new SpeechModelConfig("lstm", 2, 64, false, 0.3, "mean", 0, 8, 3);
    }

    /** Whether the recurrent layers are preceded by a convolution over frequency. */
    public boolean convolutional() {
        return convFilters > 0;
    }

    /** Layers of the front end in the network: 2 (convolution, pooling) or 0. */
    public int frontLayers() {
        return convolutional() ? 2 : 0;
    }

    public CellType cellType() {
        return CellType.parse(cell);
    }
}
