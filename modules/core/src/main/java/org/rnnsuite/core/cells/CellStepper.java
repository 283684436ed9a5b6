package org.rnnsuite.core.cells;

import java.util.Arrays;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One time step of one sequence (batch 1) through a trained {@link GRU}, {@link FusedLSTM} or {@link CIFG} layer,
 * computed in plain Java arrays from a copy of the layer's parameters. Why: a step of a small cell is a few hundred
 * thousand multiply-adds, which Java does in tens of microseconds, while the same step through ND4J costs a dozen
 * native calls of 10-50 us each; live streaming feeds one frame at a time, so that overhead is the whole cost.
 * Inference only (no dropout, no mask, no gradients); the state lives in the stepper, not in the layer. The result
 * equals the layer's own forward pass to float rounding (tested against it for every supported cell).
 *
 * <p>Use {@link #of} and fall back to the layer's {@code rnnTimeStep} where it answers empty (other cells, e.g.
 * DL4J's LSTM, {@code SimpleRnn} and {@code GravesLSTM}, or a bidirectional wrapper).
 */
public abstract class CellStepper {
    /** Input size. */
    protected final int nIn;
    /** Hidden size. */
    protected final int h;
    /** Input weights, {@code [nIn][gates * h]}. */
    private final float[][] w;
    /** Recurrent weights, {@code [h][gates * h]}. */
    private final float[][] rw;
    /** Hidden state after the last step. */
    protected final float[] hidden;

    private CellStepper(Layer layer, int gates) {
        INDArray wArr = layer.getParam(GateBlockParamInitializer.WEIGHT_KEY);
        INDArray rwArr = layer.getParam(GateBlockParamInitializer.RECURRENT_WEIGHT_KEY);
        this.nIn = (int) wArr.size(0);
        this.h = (int) rwArr.size(0);
        if (wArr.size(1) != (long) gates * h || rwArr.size(1) != (long) gates * h) {
            throw new IllegalStateException("expected " + gates + " gate blocks of " + h + " units, got W "
                    + Arrays.toString(wArr.shape()) + ", RW " + Arrays.toString(rwArr.shape()));
        }
        this.w = rows(wArr);
        this.rw = rows(rwArr);
        this.hidden = new float[h];
    }

    /**
     * A stepper with a copy of {@code layer}'s current parameters, or empty where the layer is not a cell this class
     * computes. Later changes to the layer's parameters are not seen.
     */
    public static Optional<CellStepper> of(Layer layer) {
        if (layer instanceof GRULayer) {
            return Optional.of(new GruStepper(layer));
        }
        if (layer instanceof FusedLSTMLayer) {
            return Optional.of(new LstmStepper(layer));
        }
        if (layer instanceof CIFGLayer) {
            return Optional.of(new CifgStepper(layer));
        }
        return Optional.empty();
    }

    /** Input size of a step. */
    public int inputSize() {
        return nIn;
    }

    /** Hidden size, the length of {@link #step}'s result. */
    public int hiddenSize() {
        return h;
    }

    /** Back to the zero state, as at the start of a sequence. */
    public void reset() {
        Arrays.fill(hidden, 0f);
    }

    /**
     * Advances the state by input {@code x} (length {@link #inputSize()}) and returns the new hidden state: the
     * stepper's own array, overwritten by the next step.
     */
    public abstract float[] step(float[] x);

    /** The parameter as a row-major float array. */
    static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The matrix parameter's rows, each its own array. */
    static float[][] rows(INDArray a) {
        int n = (int) a.size(1);
        float[] flat = floats(a);
        float[][] rows = new float[(int) a.size(0)][];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = Arrays.copyOfRange(flat, j * n, (j + 1) * n);
        }
        return rows;
    }

    /**
     * {@code out = bias + x W}, {@code W} as rows {@code [x.length][out.length]}, summed as scaled rows. Each row its
     * own array indexed like {@code out} is what lets the JIT vectorize the inner loop (measured with Java 17 on
     * AVX2: 128 x 384 in 6 us; from one flat array, {@code w[j * n + k]}, it stays scalar: 100 us).
     */
    static void affine(float[] x, float[][] weights, float[] bias, float[] out) {
        System.arraycopy(bias, 0, out, 0, out.length);
        accumulate(x, weights, out);
    }

    /** {@code out += x W}, as {@link #affine}. */
    static void accumulate(float[] x, float[][] weights, float[] out) {
        int n = out.length;
        for (int j = 0; j < x.length; j++) {
            float xj = x[j];
            if (xj == 0f) {
                // one-hot inputs (characters, words): one row of the input weights instead of all
                continue;
            }
            float[] row = weights[j];
            for (int k = 0; k < n; k++) {
                out[k] += xj * row[k];
            }
        }
    }

    static float sigmoid(float a) {
        return (float) (1.0 / (1.0 + Math.exp(-a)));
    }

    /** {@code tanh} through {@code exp}, which the JIT makes an intrinsic ({@code Math.tanh} it does not, in Java 17). */
    static float tanh(float a) {
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0));
    }

    /** Input-side pre-activations for the new input, into {@code pre}. */
    final void input(float[] x, float[] bias, float[] pre) {
        if (x.length != nIn) {
            throw new IllegalArgumentException("expected an input of " + nIn + " values, got " + x.length);
        }
        affine(x, w, bias, pre);
    }

    /** Recurrent-side pre-activations from the current hidden state, into {@code rec}. */
    final void recurrent(float[] bias, float[] rec) {
        affine(hidden, rw, bias, rec);
    }

    /** Adds the recurrent-side pre-activations from the current hidden state to {@code pre}. */
    final void addRecurrent(float[] pre) {
        accumulate(hidden, rw, pre);
    }

    /** {@link GRU}: gate blocks r, z, n; the reset gate scales the recurrent term after its product. */
    private static final class GruStepper extends CellStepper {
        private final float[] b;
        private final float[] rb;
        private final float[] pre;
        private final float[] rec;

        GruStepper(Layer layer) {
            super(layer, 3);
            b = floats(layer.getParam(GateBlockParamInitializer.BIAS_KEY));
            rb = floats(layer.getParam(GRUParamInitializer.RECURRENT_BIAS_KEY));
            pre = new float[3 * h];
            rec = new float[3 * h];
        }

        @Override
        public float[] step(float[] x) {
            input(x, b, pre);
            recurrent(rb, rec);
            for (int k = 0; k < h; k++) {
                float r = sigmoid(pre[k] + rec[k]);
                float z = sigmoid(pre[h + k] + rec[h + k]);
                float n = tanh(pre[2 * h + k] + r * rec[2 * h + k]);
                hidden[k] = (1 - z) * n + z * hidden[k];
            }
            return hidden;
        }
    }

    /** Shared by the cells with a memory cell: the gates' pre-activations, input and recurrent side summed. */
    private abstract static class MemoryStepper extends CellStepper {
        final float[] cell;
        final float[] b;
        final float[] pre;

        MemoryStepper(Layer layer, int gates) {
            super(layer, gates);
            b = floats(layer.getParam(GateBlockParamInitializer.BIAS_KEY));
            cell = new float[h];
            pre = new float[gates * h];
        }

        @Override
        public void reset() {
            super.reset();
            Arrays.fill(cell, 0f);
        }

        /** {@code pre = b + W x + RW h}. */
        final void gates(float[] x) {
            input(x, b, pre);
            addRecurrent(pre);
        }
    }

    /** {@link FusedLSTM}: gate blocks i, f, g, o. */
    private static final class LstmStepper extends MemoryStepper {
        LstmStepper(Layer layer) {
            super(layer, 4);
        }

        @Override
        public float[] step(float[] x) {
            gates(x);
            for (int k = 0; k < h; k++) {
                float i = sigmoid(pre[k]);
                float f = sigmoid(pre[h + k]);
                float g = tanh(pre[2 * h + k]);
                float o = sigmoid(pre[3 * h + k]);
                cell[k] = f * cell[k] + i * g;
                hidden[k] = o * tanh(cell[k]);
            }
            return hidden;
        }
    }

    /** {@link CIFG}: gate blocks i, o, g; the forget gate is {@code 1 - i}. */
    private static final class CifgStepper extends MemoryStepper {
        CifgStepper(Layer layer) {
            super(layer, 3);
        }

        @Override
        public float[] step(float[] x) {
            gates(x);
            for (int k = 0; k < h; k++) {
                float i = sigmoid(pre[k]);
                float o = sigmoid(pre[h + k]);
                float g = tanh(pre[2 * h + k]);
                cell[k] = (1 - i) * cell[k] + i * g;
                hidden[k] = o * tanh(cell[k]);
            }
            return hidden;
        }
    }
}
