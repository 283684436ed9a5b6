package org.rnnsuite.core.cells;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The LSTM layer that {@link FusedLSTM} configures; see there for the equations and parameter layout.
 *
 * <p>Built as {@link GRULayer}: one input projection for all steps; per step of the forward pass one matrix product,
 * four ND4J element-wise calls (sigmoid of i and f, tanh of g, sigmoid of o, tanh of the cell; ND4J's kernels beat
 * Java's {@code Math.exp}/{@code tanh}) and two short Java loops over the layer's own memory for the arithmetic
 * between them; backprop is one product and one Java loop per step; weight gradients are one product each after
 * the loop, the bias gradient a matrix-vector product with ones. Without direct memory access (other backends) the
 * same maths runs as plain ND4J calls. {@code rnnTimeStep} with a single step has its own path without
 * sequence buffers, with matrix-vector products for batch 1. Memory layout: see {@link RecurrentCellLayer}.
 */
public class FusedLSTMLayer extends RecurrentCellLayer<FusedLSTM> {
    /** State key of the last cell state, as in DL4J's LSTM. */
    public static final String STATE_KEY_PREV_MEMCELL = "prevMem";

    /** Creates the layer; use {@link FusedLSTM#instantiate} rather than this constructor. */
    public FusedLSTMLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    static final class LstmBuffers extends MemoryCellBuffers {
        /** Views of the gate blocks i, f, g, o (4H gate rows per step). */
        INDArray[] ifg;
        INDArray[] i;
        INDArray[] f;
        INDArray[] g;
        INDArray[] o;
        // backward without direct memory access: whole-sequence derivatives (allocated only on that path)
        /** gates (1 - gates), the sigmoid derivatives. */
        INDArray dsig;
        /** 1 - gates^2, the tanh derivatives. */
        INDArray dtanh;
        /** 1 - tanh(c)^2. */
        INDArray dtc;
        INDArray[] dsigI;
        INDArray[] dsigF;
        INDArray[] dsigO;
        INDArray[] dtanhG;
        INDArray[] dtcV;
        INDArray[] dI;
        INDArray[] dF;
        INDArray[] dG;
        INDArray[] dO;
        INDArray dc;
        INDArray dcNext;
        /** The cell-state gradient carried between backward steps of the Java loop. */
        double[] dcCarry;
        /** Direct views of the sequence arrays for the per-step Java loops; null where unsupported. */
        NativeMem gatesM;
        NativeMem csM;
        NativeMem tcM;
        NativeMem hsM;
        NativeMem maskM;
        NativeMem dhsM;
        NativeMem dAM;

        LstmBuffers(long mb, long steps, DataType dataType) {
            super(mb, steps, dataType);
        }

        boolean directForward() {
            if (gatesM == null) {
                gatesM = NativeMem.of(gates);
                csM = NativeMem.of(cs);
                tcM = NativeMem.of(tc);
                hsM = NativeMem.of(hs);
                maskM = NativeMem.of(mask);
            }
            return gatesM != null && csM != null && tcM != null && hsM != null && maskM != null;
        }
    }

    @Override
    protected Buffers newBuffers(long mb, long steps, long nIn, long h) {
        LstmBuffers b = new LstmBuffers(mb, steps, dataType);
        b.allocateForward(4 * h, h);
        b.ifg = Buffers.steps(b.gates, steps, 4 * h, 0, 2 * h);
        b.i = Buffers.steps(b.gates, steps, 4 * h, 0, h);
        b.f = Buffers.steps(b.gates, steps, 4 * h, h, 2 * h);
        b.g = Buffers.steps(b.gates, steps, 4 * h, 2 * h, 3 * h);
        b.o = Buffers.steps(b.gates, steps, 4 * h, 3 * h, 4 * h);
        return b;
    }

    @Override
    protected void allocateBackward(Buffers buf, long nIn, long h) {
        LstmBuffers b = (LstmBuffers) buf;
        long steps = b.steps;
        long mb = b.mb;
        b.allocateGateGradients(4 * h);
        b.dcCarry = new double[(int) (h * mb)];
    }

    private void allocatePlainBackward(LstmBuffers b, long h) {
        long steps = b.steps;
        long mb = b.mb;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            b.dsig = b.matrix(steps * 4 * h, mb);
            b.dtanh = b.matrix(steps * 4 * h, mb);
            b.dtc = b.matrix(steps * h, mb);
            b.dsigI = Buffers.steps(b.dsig, steps, 4 * h, 0, h);
            b.dsigF = Buffers.steps(b.dsig, steps, 4 * h, h, 2 * h);
            b.dtanhG = Buffers.steps(b.dtanh, steps, 4 * h, 2 * h, 3 * h);
            b.dsigO = Buffers.steps(b.dsig, steps, 4 * h, 3 * h, 4 * h);
            b.dtcV = Buffers.steps(b.dtc, steps, h, 0, h);
            b.dI = Buffers.steps(b.dA, steps, 4 * h, 0, h);
            b.dF = Buffers.steps(b.dA, steps, 4 * h, h, 2 * h);
            b.dG = Buffers.steps(b.dA, steps, 4 * h, 2 * h, 3 * h);
            b.dO = Buffers.steps(b.dA, steps, 4 * h, 3 * h, 4 * h);
            b.dc = b.matrix(h, mb);
            b.dcNext = b.matrix(h, mb);
        }
    }

    @Override
    protected void forwardKernel(Buffers buf, Map<String, INDArray> state, boolean masked, boolean training,
            LayerWorkspaceMgr mgr) {
        LstmBuffers b = (LstmBuffers) buf;
        long mb = b.mb;
        long steps = b.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(FusedLSTMParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(FusedLSTMParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray bias = getParamWithNoise(FusedLSTMParamInitializer.BIAS_KEY, training, mgr);

        Projection projection = project(b, w, bias, b.gates, 4 * h);
        INDArray h0 = state == null ? null : state.get(STATE_KEY_PREV_ACTIVATION);
        INDArray c0 = state == null ? null : state.get(STATE_KEY_PREV_MEMCELL);
        initialState(b.h[0], h0);
        initialState(b.c[0], c0);
        boolean direct = b.directForward();
        for (int t = 0; t < steps; t++) {
            // the recurrent product adds onto the step's projected gates
            projection.await(t);
            if (t > 0 || h0 != null) {
                stepGemm(b.hT[t], rw, b.allT[t], false);
            }
            if (direct) {
                // ND4J's tanh is ~2.5x slower than its sigmoid: tanh(a) = 2 sigmoid(2a) - 1, with the doubling and
                // the correction in the Java loops, so one sigmoid covers all four gates and one the cell output
                doubleG(b, t, (int) h, (int) mb);
                Transforms.sigmoid(b.all[t], false);
                forwardStepC(b, t, (int) h, (int) mb);
                Transforms.sigmoid(b.tcV[t], false);
                forwardStepH(b, t, (int) h, (int) mb, masked);
                continue;
            }
            Transforms.sigmoid(b.ifg[t], false);
            Transforms.tanh(b.g[t], false);
            Transforms.sigmoid(b.o[t], false);
            INDArray c = b.c[t + 1];
            b.f[t].mul(b.c[t], c);
            b.i[t].mul(b.g[t], b.tmp);
            add(b.tmp, c, c);
            INDArray tct = b.tcV[t];
            Nd4j.getExecutioner().exec(new Tanh(c, tct));
            INDArray hNext = b.h[t + 1];
            b.o[t].mul(tct, hNext);
            if (masked) {
                hNext.muliRowVector(b.m[t]);
                c.muliRowVector(b.m[t]);
            }
        }
    }

    /** Doubles the pre-activation of g, so that the sigmoid over the step's gates gives {@code (tanh + 1) / 2}. */
    private static void doubleG(LstmBuffers b, int t, int hh, int mb) {
        NativeMem gm = b.gatesM;
        int block = hh * mb;
        int g0 = t * 4 * block + 2 * block;
        for (int k = 0; k < block; k++) {
            gm.set(g0 + k, 2 * gm.get(g0 + k));
        }
    }

    /**
     * {@code g = 2 s - 1} from its sigmoid (stored for backprop), {@code c = f c_prev + i g} (unmasked), and
     * {@code 2 c} into the cell-output block for the sigmoid that gives {@code (tanh(c) + 1) / 2}.
     */
    private static void forwardStepC(LstmBuffers b, int t, int hh, int mb) {
        NativeMem gm = b.gatesM;
        NativeMem cs = b.csM;
        NativeMem tc = b.tcM;
        int block = hh * mb;
        int i0 = t * 4 * block;
        int f0 = i0 + block;
        int g0 = f0 + block;
        int cPrev0 = t * block;
        int cNext0 = cPrev0 + block;
        int tc0 = t * block;
        for (int k = 0; k < block; k++) {
            double g = 2 * gm.get(g0 + k) - 1;
            gm.set(g0 + k, g);
            double c = gm.get(f0 + k) * cs.get(cPrev0 + k) + gm.get(i0 + k) * g;
            cs.set(cNext0 + k, c);
            tc.set(tc0 + k, 2 * c);
        }
    }

    /** {@code tanh(c) = 2 s - 1} from its sigmoid (stored for backprop), {@code h = o tanh(c)}; a masked step zeroes h and c. */
    private static void forwardStepH(LstmBuffers b, int t, int hh, int mb, boolean masked) {
        NativeMem gm = b.gatesM;
        NativeMem hs = b.hsM;
        NativeMem tc = b.tcM;
        int block = hh * mb;
        int o0 = t * 4 * block + 3 * block;
        int tc0 = t * block;
        int next0 = (t + 1) * block;
        if (!masked) {
            for (int k = 0; k < block; k++) {
                double th = 2 * tc.get(tc0 + k) - 1;
                tc.set(tc0 + k, th);
                hs.set(next0 + k, gm.get(o0 + k) * th);
            }
            return;
        }
        NativeMem m = b.maskM;
        NativeMem cs = b.csM;
        for (int j = 0; j < hh; j++) {
            for (int i = 0; i < mb; i++) {
                int k = j * mb + i;
                double mk = m.get(t * mb + i);
                double th = 2 * tc.get(tc0 + k) - 1;
                tc.set(tc0 + k, th);
                hs.set(next0 + k, gm.get(o0 + k) * th * mk);
                cs.set(next0 + k, cs.get(next0 + k) * mk);
            }
        }
    }

    /**
     * Per step: the input and the recurrent product (two BLAS calls, matrix-vector ones for batch 1, see {@link Gemv})
     * and all gate arithmetic in one Java loop over the native memory, instead of the sequence path's copies and
     * element-wise calls.
     */
    @Override
    protected Step singleStep(INDArray in, Map<String, INDArray> state, LayerWorkspaceMgr mgr) {
        long mbL = in.size(0);
        int hh = (int) layerConf().getNOut();
        StepBuffers s = stepBuffers(mbL, hh, 4, true);
        if (s == null) {
            return null;
        }
        int mb = (int) mbL;
        INDArray w = getParamWithNoise(FusedLSTMParamInitializer.WEIGHT_KEY, false, mgr);
        INDArray rw = getParamWithNoise(FusedLSTMParamInitializer.RECURRENT_WEIGHT_KEY, false, mgr);
        double[] bias = NativeMem.copyOf(getParamWithNoise(FusedLSTMParamInitializer.BIAS_KEY, false, mgr));
        projectStep(s, in, w);
        boolean hasH = recurStep(s, state == null ? null : state.get(STATE_KEY_PREV_ACTIVATION), rw, hh);
        NativeMem cp = cellStep(s, state == null ? null : state.get(STATE_KEY_PREV_MEMCELL));
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {mbL, hh, 1}, 'f');
        INDArray nextH;
        INDArray nextC;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            nextH = Nd4j.createUninitialized(dataType, new long[] {mbL, hh}, 'c');
            nextC = Nd4j.createUninitialized(dataType, new long[] {mbL, hh}, 'c');
        }
        NativeMem o = NativeMem.of(out);
        NativeMem nh = NativeMem.of(nextH);
        NativeMem nc = NativeMem.of(nextC);
        if (nh == null || nc == null) {
            return null;
        }
        NativeMem p = s.proj;
        NativeMem r = s.rec;
        int block = hh * mb;
        for (int j = 0; j < hh; j++) {
            for (int i = 0; i < mb; i++) {
                int ki = j * mb + i;
                int kf = ki + block;
                int kg = kf + block;
                int ko = kg + block;
                double ai = p.get(ki) + bias[j];
                double af = p.get(kf) + bias[hh + j];
                double ag = p.get(kg) + bias[2 * hh + j];
                double ao = p.get(ko) + bias[3 * hh + j];
                if (hasH) {
                    ai += r.get(ki);
                    af += r.get(kf);
                    ag += r.get(kg);
                    ao += r.get(ko);
                }
                double c = sigmoid(ai) * Math.tanh(ag);
                if (cp != null) {
                    c += sigmoid(af) * cp.get(i * hh + j);
                }
                double hn = sigmoid(ao) * Math.tanh(c);
                nh.set(i * hh + j, hn);
                nc.set(i * hh + j, c);
                if (o != null) {
                    o.set(ki, hn);
                }
            }
        }
        if (o == null) {
            out.assign(nextH.reshape('c', mbL, hh, 1));
        }
        s.lastH = nextH;
        s.lastC = nextC;
        Map<String, INDArray> st = new HashMap<>();
        st.put(STATE_KEY_PREV_ACTIVATION, nextH);
        st.put(STATE_KEY_PREV_MEMCELL, nextC);
        return new Step(out, st);
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    @Override
    protected Map<String, INDArray> lastState(Buffers buf) {
        LstmBuffers b = (LstmBuffers) buf;
        Map<String, INDArray> m = new HashMap<>();
        m.put(STATE_KEY_PREV_ACTIVATION, detachedCopy(b.h[(int) b.steps]));
        m.put(STATE_KEY_PREV_MEMCELL, detachedCopy(b.c[(int) b.steps]));
        return m;
    }

    /**
     * The element-wise part of backward step {@code t} as one Java loop: the gradients wrt the four pre-activations
     * and the cell-state gradient carried to step {@code t - 1}; derivatives come from the stored gate values.
     */
    private static void backwardStep(LstmBuffers b, int t, int hh, int mb, boolean masked) {
        NativeMem gm = b.gatesM;
        NativeMem cs = b.csM;
        NativeMem tcm = b.tcM;
        NativeMem m = b.maskM;
        NativeMem dhs = b.dhsM;
        NativeMem dA = b.dAM;
        double[] carry = b.dcCarry;
        int block = hh * mb;
        int i0 = t * 4 * block;
        int f0 = i0 + block;
        int g0 = f0 + block;
        int o0 = g0 + block;
        int s0 = t * block;
        for (int j = 0; j < hh; j++) {
            for (int i = 0; i < mb; i++) {
                int k = j * mb + i;
                double dh = dhs.get(s0 + k);
                double dcNext = carry[k];
                if (masked) {
                    double mk = m.get(t * mb + i);
                    dh *= mk;
                    dcNext *= mk;
                }
                double ig = gm.get(i0 + k);
                double fg = gm.get(f0 + k);
                double gg = gm.get(g0 + k);
                double og = gm.get(o0 + k);
                double tc = tcm.get(s0 + k);
                // dc = dh o (1 - tanh(c)^2) + dc_next; d a_o = dh tanh(c) o (1 - o); d a_i = dc g i (1 - i);
                // d a_f = dc c_prev f (1 - f); d a_g = dc i (1 - g^2); dc_prev = dc f
                double dc = dh * og * (1 - tc * tc) + dcNext;
                dA.set(i0 + k, dc * gg * (ig * (1 - ig)));
                dA.set(f0 + k, dc * cs.get(s0 + k) * (fg * (1 - fg)));
                dA.set(g0 + k, dc * ig * (1 - gg * gg));
                dA.set(o0 + k, dh * tc * (og * (1 - og)));
                carry[k] = dc * fg;
            }
        }
    }

    @Override
    protected Gradient backwardKernel(Buffers buf, boolean masked, long end, LayerWorkspaceMgr mgr) {
        LstmBuffers b = (LstmBuffers) buf;
        long mb = b.mb;
        long steps = b.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(FusedLSTMParamInitializer.WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(FusedLSTMParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);

        if (b.dhsM == null) {
            b.dhsM = NativeMem.of(b.dhs);
            b.dAM = NativeMem.of(b.dA);
        }
        boolean direct = b.directForward() && b.dhsM != null && b.dAM != null;
        if (end > 0) {
            b.dA.get(NDArrayIndex.interval(0, end * 4 * h), NDArrayIndex.all()).assign(0);
        }
        INDArray gW = gradientViews.get(FusedLSTMParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(FusedLSTMParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(FusedLSTMParamInitializer.BIAS_KEY);
        BackwardChunks chunks = backwardChunks(b, b.dA, 4 * h, w, gW, gRW);
        if (direct) {
            java.util.Arrays.fill(b.dcCarry, 0);
            for (int t = (int) steps - 1; t >= end; t--) {
                backwardStep(b, t, (int) h, (int) mb, masked);
                chunks.stepDone(t);
                if (t > end) {
                    stepGemm(b.dAllT[t], rw, b.dhT[t - 1], true);
                }
            }
        } else {
            plainBackward(b, rw, masked, end, h, chunks);
        }

        chunks.finish();
        awaitOffloaded();
        columnSums(b, b.dRows, gB);

        Gradient grad = new DefaultGradient(gradientsFlattened);
        grad.gradientForVariable().put(FusedLSTMParamInitializer.WEIGHT_KEY, gW);
        grad.gradientForVariable().put(FusedLSTMParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        grad.gradientForVariable().put(FusedLSTMParamInitializer.BIAS_KEY, gB);
        return grad;
    }

    /** The backward loop as plain ND4J calls, for backends without direct memory access. */
    private void plainBackward(LstmBuffers b, INDArray rw, boolean masked, long end, long h, BackwardChunks chunks) {
        if (b.dsig == null) {
            allocatePlainBackward(b, h);
        }
        // derivatives for all steps at once, on whole contiguous arrays (strided per-gate views would hit ND4J's
        // slow generic loops); per step, only the products with the incoming gradient remain
        b.gates.rsub(1.0, b.dsig);
        b.dsig.muli(b.gates);
        b.gates.mul(b.gates, b.dtanh);
        b.dtanh.rsubi(1.0);
        b.tc.mul(b.tc, b.dtc);
        b.dtc.rsubi(1.0);
        INDArray dc = b.dc;
        INDArray dcNext = b.dcNext;
        dcNext.assign(0);
        for (int t = (int) b.steps - 1; t >= end; t--) {
            INDArray dh = b.dh[t];
            if (masked) {
                dh.muliRowVector(b.m[t]);
                dcNext.muliRowVector(b.m[t]);
            }
            dh.mul(b.tcV[t], b.dO[t]);
            b.dO[t].muli(b.dsigO[t]);
            dh.mul(b.o[t], dc);
            dc.muli(b.dtcV[t]);
            add(dcNext, dc, dc);
            dc.mul(b.g[t], b.dI[t]);
            b.dI[t].muli(b.dsigI[t]);
            dc.mul(b.c[t], b.dF[t]);
            b.dF[t].muli(b.dsigF[t]);
            dc.mul(b.i[t], b.dG[t]);
            b.dG[t].muli(b.dtanhG[t]);
            chunks.stepDone(t);
            if (t > end) {
                dc.mul(b.f[t], dcNext);
                stepGemm(b.dAllT[t], rw, b.dhT[t - 1], true);
            }
        }
    }
}
