package org.rnnsuite.core.cells;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Working memory shared by the cells with a cell state ({@link FusedLSTMLayer}, {@link CIFGLayer}): {@code k} gate
 * rows per step (4H for the LSTM, 3H for the coupled-gate one), the cell states, their tanh, and the gradient wrt
 * the gate pre-activations. Each cell adds its own per-gate views and backward arrays.
 */
abstract class MemoryCellBuffers extends RecurrentCellLayer.Buffers {
    /** Gate pre-activations, then activations, {@code [T*k, mb]}. */
    INDArray gates;
    INDArray[] all;
    INDArray[] allT;
    /** Cell states {@code [(T+1)*H, mb]}; block 0 is the initial cell. */
    INDArray cs;
    INDArray[] c;
    /** tanh of the (unmasked) cell state, {@code [T*H, mb]}. */
    INDArray tc;
    INDArray[] tcV;
    INDArray tmp;
    /** Gradient wrt the gate pre-activations, {@code [T*k, mb]}. */
    INDArray dA;
    INDArray[] dAll;
    INDArray[] dAllT;

    MemoryCellBuffers(long mb, long steps, DataType dataType) {
        super(mb, steps, dataType);
    }

    /** The forward arrays for {@code k} gate rows per step and {@code h} hidden units. */
    void allocateForward(long k, long h) {
        proj = matrix(steps * mb, k);
        gates = matrix(steps * k, mb);
        all = steps(gates, steps, k, 0, k);
        allT = transposed(all);
        cs = matrix((steps + 1) * h, mb);
        c = steps(cs, steps + 1, h, 0, h);
        tc = matrix(steps * h, mb);
        tcV = steps(tc, steps, h, 0, h);
        tmp = matrix(h, mb);
    }

    /** The gradient wrt the gate pre-activations and its time-major rows, for {@code k} gate rows per step. */
    void allocateGateGradients(long k) {
        dA = matrix(steps * k, mb);
        dAll = steps(dA, steps, k, 0, k);
        dAllT = transposed(dAll);
        dRows = matrix(steps * mb, k);
    }
}
