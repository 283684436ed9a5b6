package org.rnnsuite.bench;

import org.rnnsuite.core.cells.CellType;

/**
 * Floating-point operations counted from model shapes. A weight used once per item costs one multiply and one add
 * forward (2 FLOPs) and twice that backward (input gradient and weight gradient), so training costs about
 * {@code 6 x weights touched} per item. Biases and element-wise gate arithmetic are left out: they are
 * {@code O(hidden)} against the {@code O(hidden^2)} matrix products.
 */
public final class Flops {
    private Flops() {
    }

    /** Gate blocks whose weights a cell multiplies per step: 4 (LSTM and variants), 3 (GRU, CIFG), 1 (RNN). */
    public static int gates(CellType cell) {
        return switch (cell) {
            case RNN -> 1;
            case LSTM, DL4J_LSTM, PEEPHOLE -> 4;
            case GRU, CIFG -> 3;
        };
    }

    /**
     * Weights a character LM touches per character: each recurrent layer's input and recurrent matrices, and the
     * output layer. The one-hot input is multiplied densely, as both systems do.
     */
    public static long charLmWeightsPerChar(CellType cell, int layers, int hidden, int vocab) {
        long w = 0;
        int nIn = vocab;
        for (int l = 0; l < layers; l++) {
            w += (long) gates(cell) * (nIn + hidden) * hidden;
            nIn = hidden;
        }
        return w + (long) hidden * vocab;
    }

    /** Training FLOPs per character (forward and backward): {@code 6 x weights touched}. */
    public static double charLmTrainFlopsPerChar(CellType cell, int layers, int hidden, int vocab) {
        return 6.0 * charLmWeightsPerChar(cell, layers, hidden, vocab);
    }

    /** FLOPs of one {@code n x n} by {@code n x n} matrix product: {@code 2 n^3}. */
    public static double sgemm(int n) {
        return 2.0 * n * n * n;
    }
}
