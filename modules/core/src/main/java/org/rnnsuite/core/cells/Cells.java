package org.rnnsuite.core.cells;

import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.Activation;

/** Builds any cell of the family as a DL4J recurrent layer configuration. */
public final class Cells {
    private Cells() {
    }

    /**
     * A recurrent layer of the given type.
     *
     * @param type    the cell
     * @param nIn     input size
     * @param nOut    hidden size
     * @param dropout probability of dropping an input unit during training, in [0, 1); 0 disables dropout
     */
    public static Layer layer(CellType type, int nIn, int nOut, double dropout) {
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        Layer layer = switch (type) {
            case RNN -> new SimpleRnn.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build();
            case LSTM -> new FusedLSTM.Builder().nIn(nIn).nOut(nOut).build();
            case DL4J_LSTM -> new LSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build();
            case PEEPHOLE -> new GravesLSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build();
            case CIFG -> new CIFG.Builder().nIn(nIn).nOut(nOut).build();
            case GRU -> new GRU.Builder().nIn(nIn).nOut(nOut).build();
        };
        if (dropout > 0) {
            // DL4J's dropOut takes the probability of *retaining* an activation
            layer.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - dropout));
        }
        return layer;
    }
}
