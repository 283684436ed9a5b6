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
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The GRU layer that {@link GRU} configures; see there for the equations and parameter layout.
 *
 * <p>Per time step the forward pass is one matrix product (the recurrent term, added onto the pre-filled
 * recurrent bias), three ND4J element-wise calls (an add, sigmoid, tanh) and two short Java loops over the layer's
 * own memory for the arithmetic between them; backprop is one product and one Java loop per step. ND4J calls cost
 * tens of microseconds each here whatever their size, a Java loop over one step's few thousand elements a few.
 * {@code rnnTimeStep} with a single step has its own path without sequence buffers. Memory layout:
 * see {@link RecurrentCellLayer}.
 */
public class GRULayer extends RecurrentCellLayer<GRU> {

    /** Creates the layer; use {@link GRU#instantiate} rather than this constructor. */
    public GRULayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    static final class GruBuffers extends Buffers {
        /** Gate activations r, z, n per step, {@code [T*3H, mb]}. */
        INDArray gates;
        INDArray[] rz;
        INDArray[] r;
        INDArray[] z;
        INDArray[] n;
        /** Recurrent products plus recurrent bias, {@code [T*3H, mb]}; the n block is W_hn h + b_hn. */
        INDArray rec;
        INDArray[] recAll;
        INDArray[] recAllT;
        INDArray[] recRz;
        INDArray[] recN;
        INDArray tmp;
        /** The recurrent bias repeated over the minibatch, {@code [3H, mb]}. */
        INDArray rbBlock;
        // backward without direct memory access: whole-sequence gate derivatives, computed on the contiguous gate
        // array before the loop (allocated only on that path)
        /** 1 - gates. */
        INDArray om;
        /** gates (1 - gates), the sigmoid derivatives. */
        INDArray dsig;
        /** 1 - gates^2, the tanh derivatives. */
        INDArray dtanh;
        INDArray[] omZ;
        INDArray[] dsigR;
        INDArray[] dsigZ;
        INDArray[] dtanhN;
        INDArray tmp2;
        INDArray tmp3;
        /** Gradient wrt the recurrent product's output [r, z, n] per step, {@code [T*3H, mb]}. */
        INDArray dRec;
        INDArray[] dRecAll;
        INDArray[] dRecAllT;
        INDArray[] dRecR;
        INDArray[] dRecZ;
        INDArray[] dRecN;
        /** Gradient wrt the pre-activation of n (input side), {@code [T*H, mb]}. */
        INDArray dAn;
        INDArray[] dan;
        INDArray dRecRows;
        /** Direct views of the sequence arrays for the per-step Java loops; null where unsupported. */
        NativeMem gatesM;
        NativeMem recM;
        NativeMem hsM;
        NativeMem maskM;
        NativeMem dhsM;
        NativeMem dRecM;
        NativeMem dAnM;

        GruBuffers(long mb, long steps, DataType dataType) {
            super(mb, steps, dataType);
        }
    }

    @Override
    protected Buffers newBuffers(long mb, long steps, long nIn, long h) {
        GruBuffers b = new GruBuffers(mb, steps, dataType);
        b.proj = b.matrix(steps * mb, 3 * h);
        b.gates = b.matrix(steps * 3 * h, mb);
        b.rz = Buffers.steps(b.gates, steps, 3 * h, 0, 2 * h);
        b.r = Buffers.steps(b.gates, steps, 3 * h, 0, h);
        b.z = Buffers.steps(b.gates, steps, 3 * h, h, 2 * h);
        b.n = Buffers.steps(b.gates, steps, 3 * h, 2 * h, 3 * h);
        b.rec = b.matrix(steps * 3 * h, mb);
        b.recAll = Buffers.steps(b.rec, steps, 3 * h, 0, 3 * h);
        b.recAllT = Buffers.transposed(b.recAll);
        b.recRz = Buffers.steps(b.rec, steps, 3 * h, 0, 2 * h);
        b.recN = Buffers.steps(b.rec, steps, 3 * h, 2 * h, 3 * h);
        b.tmp = b.matrix(h, mb);
        b.rbBlock = b.matrix(3 * h, mb);
        return b;
    }

    @Override
    protected void allocateBackward(Buffers buf, long nIn, long h) {
        GruBuffers b = (GruBuffers) buf;
        long steps = b.steps;
        long mb = b.mb;
        b.tmp2 = b.matrix(h, mb);
        b.tmp3 = b.matrix(h, mb);
        b.dRec = b.matrix(steps * 3 * h, mb);
        b.dRecAll = Buffers.steps(b.dRec, steps, 3 * h, 0, 3 * h);
        b.dRecAllT = Buffers.transposed(b.dRecAll);
        b.dRecR = Buffers.steps(b.dRec, steps, 3 * h, 0, h);
        b.dRecZ = Buffers.steps(b.dRec, steps, 3 * h, h, 2 * h);
        b.dRecN = Buffers.steps(b.dRec, steps, 3 * h, 2 * h, 3 * h);
        b.dAn = b.matrix(steps * h, mb);
        b.dan = Buffers.steps(b.dAn, steps, h, 0, h);
        b.dRows = b.matrix(steps * mb, 3 * h);
        b.dRecRows = b.matrix(steps * mb, 3 * h);
    }

    @Override
    protected void forwardKernel(Buffers buf, Map<String, INDArray> state, boolean masked, boolean training,
            LayerWorkspaceMgr mgr) {
        GruBuffers b = (GruBuffers) buf;
        long mb = b.mb;
        long steps = b.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(GRUParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray bias = getParamWithNoise(GRUParamInitializer.BIAS_KEY, training, mgr);
        INDArray rb = getParamWithNoise(GRUParamInitializer.RECURRENT_BIAS_KEY, training, mgr);

        Projection projection = project(b, w, bias, b.gates, 3 * h);
        // pre-fill every step with the recurrent bias; broadcasting a whole [3H, mb] block along contiguous rows
        // is ~10x faster than broadcasting rb along the middle axis of [T, 3H, mb]
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(b.rbBlock, rb.reshape(3 * h), b.rbBlock, 0));
        INDArray rec2 = b.rec.reshape('c', steps, 3 * h * mb);
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(rec2, b.rbBlock.reshape(3 * h * mb), rec2, 1));
        INDArray h0 = state == null ? null : state.get(STATE_KEY_PREV_ACTIVATION);
        initialState(b.h[0], h0);
        if (b.gatesM == null) {
            b.gatesM = NativeMem.of(b.gates);
            b.recM = NativeMem.of(b.rec);
            b.hsM = NativeMem.of(b.hs);
            b.maskM = NativeMem.of(b.mask);
        }
        boolean direct = b.gatesM != null && b.recM != null && b.hsM != null && b.maskM != null;
        for (int t = 0; t < steps; t++) {
            if (t > 0 || h0 != null) {
                stepGemm(b.hT[t], rw, b.recAllT[t], false);
            }
            projection.await(t);
            if (direct) {
                // the activations stay with ND4J, whose sigmoid over a block beats Java's Math.exp by ~2x here; its
                // tanh is ~2.5x slower than its sigmoid, so n = tanh(a) is computed as 2 sigmoid(2a) - 1, the
                // doubling and the correction folded into the Java loops around it (which replace six ND4J calls)
                INDArray rz = b.rz[t];
                add(b.recRz[t], rz, rz);
                Transforms.sigmoid(rz, false);
                forwardStepN(b, t, (int) h, (int) mb);
                Transforms.sigmoid(b.n[t], false);
                forwardStepH(b, t, (int) h, (int) mb, masked);
                continue;
            }
            INDArray rz = b.rz[t];
            add(b.recRz[t], rz, rz);
            Transforms.sigmoid(rz, false);
            INDArray n = b.n[t];
            b.r[t].mul(b.recN[t], b.tmp);
            add(b.tmp, n, n);
            Transforms.tanh(n, false);
            // h' = (1 - z) n + z h = n + z (h - n)
            INDArray hNext = b.h[t + 1];
            b.h[t].sub(n, hNext);
            hNext.muli(b.z[t]);
            add(n, hNext, hNext);
            if (masked) {
                hNext.muliRowVector(b.m[t]);
            }
        }
    }

    /**
     * Per step: the input and the recurrent product (two BLAS calls, matrix-vector ones for batch 1, see {@link Gemv})
     * and the gate arithmetic in one Java loop over the native memory, in place of about twenty ND4J calls and their
     * sequence-sized copies. Measured on a loaded 2-core machine, 2x256 char-LM sampling at batch 1: about 2.2x
     * fewer milliseconds per character than the sequence path.
     */
    @Override
    protected Step singleStep(INDArray in, Map<String, INDArray> state, LayerWorkspaceMgr mgr) {
        long mbL = in.size(0);
        int hh = (int) layerConf().getNOut();
        StepBuffers s = stepBuffers(mbL, hh, 3, false);
        if (s == null) {
            return null;
        }
        int mb = (int) mbL;
        INDArray w = getParamWithNoise(GRUParamInitializer.WEIGHT_KEY, false, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, false, mgr);
        double[] bias = NativeMem.copyOf(getParamWithNoise(GRUParamInitializer.BIAS_KEY, false, mgr));
        double[] rb = NativeMem.copyOf(getParamWithNoise(GRUParamInitializer.RECURRENT_BIAS_KEY, false, mgr));
        projectStep(s, in, w);
        boolean hasState = recurStep(s, state == null ? null : state.get(STATE_KEY_PREV_ACTIVATION), rw, hh);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {mbL, hh, 1}, 'f');
        INDArray next;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            next = Nd4j.createUninitialized(dataType, new long[] {mbL, hh}, 'c');
        }
        NativeMem o = NativeMem.of(out);
        NativeMem nx = NativeMem.of(next);
        if (nx == null) {
            return null;
        }
        NativeMem p = s.proj;
        NativeMem r = s.rec;
        NativeMem hp = s.hPrev;
        for (int j = 0; j < hh; j++) {
            for (int i = 0; i < mb; i++) {
                int kr = j * mb + i;
                int kz = (hh + j) * mb + i;
                int kn = (2 * hh + j) * mb + i;
                double recR = hasState ? r.get(kr) + rb[j] : rb[j];
                double recZ = hasState ? r.get(kz) + rb[hh + j] : rb[hh + j];
                double recN = hasState ? r.get(kn) + rb[2 * hh + j] : rb[2 * hh + j];
                double rg = sigmoid((p.get(kr) + bias[j]) + recR);
                double zg = sigmoid((p.get(kz) + bias[hh + j]) + recZ);
                double n = Math.tanh((p.get(kn) + bias[2 * hh + j]) + rg * recN);
                double prev = hasState ? hp.get(kr) : 0;
                // h' = (1 - z) n + z h = n + z (h - n), as in the sequence kernel
                double hn = n + zg * (prev - n);
                nx.set(i * hh + j, hn);
                if (o != null) {
                    o.set(kr, hn);
                }
            }
        }
        if (o == null) {
            out.assign(next.reshape('c', mbL, hh, 1));
        }
        s.lastH = next;
        Map<String, INDArray> st = new HashMap<>();
        st.put(STATE_KEY_PREV_ACTIVATION, next);
        return new Step(out, st);
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * Twice the pre-activation of n from the activated r, {@code 2 (a_n + r (W_hn h + b_hn))}: the sigmoid that
     * follows gives {@code (tanh(a) + 1) / 2}.
     */
    private static void forwardStepN(GruBuffers b, int t, int hh, int mb) {
        NativeMem g = b.gatesM;
        NativeMem rc = b.recM;
        int block = hh * mb;
        int r0 = t * 3 * block;
        int n0 = r0 + 2 * block;
        for (int k = 0; k < block; k++) {
            g.set(n0 + k, 2 * (g.get(n0 + k) + g.get(r0 + k) * rc.get(n0 + k)));
        }
    }

    /** {@code n = 2 s - 1} from the sigmoid {@code s} (stored for backprop), then {@code h' = n + z (h - n)}, masked. */
    private static void forwardStepH(GruBuffers b, int t, int hh, int mb, boolean masked) {
        NativeMem g = b.gatesM;
        NativeMem hs = b.hsM;
        NativeMem m = b.maskM;
        int block = hh * mb;
        int z0 = t * 3 * block + block;
        int n0 = z0 + block;
        int hPrev0 = t * block;
        int hNext0 = (t + 1) * block;
        for (int j = 0; j < hh; j++) {
            for (int i = 0; i < mb; i++) {
                int k = j * mb + i;
                double n = 2 * g.get(n0 + k) - 1;
                g.set(n0 + k, n);
                double hn = n + g.get(z0 + k) * (hs.get(hPrev0 + k) - n);
                if (masked) {
                    hn *= m.get(t * mb + i);
                }
                hs.set(hNext0 + k, hn);
            }
        }
    }

    /**
     * The element-wise part of backward step {@code t} as one Java loop: the gradients wrt the pre-activations and
     * the direct part of dL/dh_{t-1}; the gate derivatives come from the stored gate values.
     */
    private static void backwardStep(GruBuffers b, int t, int hh, int mb, boolean masked, boolean intoPrev) {
        NativeMem g = b.gatesM;
        NativeMem rc = b.recM;
        NativeMem hs = b.hsM;
        NativeMem m = b.maskM;
        NativeMem dhs = b.dhsM;
        NativeMem dRec = b.dRecM;
        NativeMem dAn = b.dAnM;
        int block = hh * mb;
        int g0 = t * 3 * block;
        int h0 = t * block;
        int dPrev0 = (t - 1) * block;
        for (int j = 0; j < hh; j++) {
            for (int i = 0; i < mb; i++) {
                int k = j * mb + i;
                int kr = g0 + k;
                int kz = kr + block;
                int kn = kz + block;
                double dh = dhs.get(h0 + k);
                if (masked) {
                    dh *= m.get(t * mb + i);
                }
                double r = g.get(kr);
                double z = g.get(kz);
                double n = g.get(kn);
                // d a_n = dh (1 - z)(1 - n^2); d gn = d a_n r; d a_z = dh (h_prev - n) z (1 - z);
                // d a_r = d a_n gn r (1 - r); dh_prev = dh z + RW d[a_r, a_z, gn]
                double dan = dh * (1 - z) * (1 - n * n);
                dAn.set(h0 + k, dan);
                dRec.set(kn, dan * r);
                dRec.set(kz, (hs.get(h0 + k) - n) * (z * (1 - z)) * dh);
                dRec.set(kr, dan * rc.get(kn) * (r * (1 - r)));
                if (intoPrev) {
                    dhs.set(dPrev0 + k, dhs.get(dPrev0 + k) + dh * z);
                }
            }
        }
    }

    @Override
    protected Map<String, INDArray> lastState(Buffers b) {
        return stateOf(STATE_KEY_PREV_ACTIVATION, b.h[(int) b.steps]);
    }

    @Override
    protected Gradient backwardKernel(Buffers buf, boolean masked, long end, LayerWorkspaceMgr mgr) {
        GruBuffers b = (GruBuffers) buf;
        long mb = b.mb;
        long steps = b.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(GRUParamInitializer.WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);

        if (b.dhsM == null) {
            b.dhsM = NativeMem.of(b.dhs);
            b.dRecM = NativeMem.of(b.dRec);
            b.dAnM = NativeMem.of(b.dAn);
        }
        boolean direct = b.gatesM != null && b.recM != null && b.hsM != null && b.maskM != null
                && b.dhsM != null && b.dRecM != null && b.dAnM != null;
        if (!direct) {
            if (b.om == null) {
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    b.om = b.matrix(steps * 3 * h, mb);
                    b.dsig = b.matrix(steps * 3 * h, mb);
                    b.dtanh = b.matrix(steps * 3 * h, mb);
                    b.omZ = Buffers.steps(b.om, steps, 3 * h, h, 2 * h);
                    b.dsigR = Buffers.steps(b.dsig, steps, 3 * h, 0, h);
                    b.dsigZ = Buffers.steps(b.dsig, steps, 3 * h, h, 2 * h);
                    b.dtanhN = Buffers.steps(b.dtanh, steps, 3 * h, 2 * h, 3 * h);
                }
            }
            // Gate derivatives for all steps at once, on the whole contiguous gate array (strided per-gate views of
            // it would hit ND4J's slow generic loops); per step, only the products with the incoming gradient remain.
            b.gates.rsub(1.0, b.om);
            b.gates.mul(b.om, b.dsig);
            b.gates.mul(b.gates, b.dtanh);
            b.dtanh.rsubi(1.0);
        }

        if (end > 0) {
            b.dRec.get(NDArrayIndex.interval(0, end * 3 * h), NDArrayIndex.all()).assign(0);
            b.dAn.get(NDArrayIndex.interval(0, end * h), NDArrayIndex.all()).assign(0);
        }
        INDArray gW = gradientViews.get(GRUParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(GRUParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(GRUParamInitializer.BIAS_KEY);
        INDArray gRB = gradientViews.get(GRUParamInitializer.RECURRENT_BIAS_KEY);
        // input side sees [d r, d z] from dRec and d n from dAn; the recurrent side sees dRec
        BackwardChunks chunks = backwardChunks(b, w, (s0, s1, first) -> {
            long n = s1 - s0;
            INDArray dRows = rows(b.dRows, s0 * mb, s1 * mb);
            INDArray dRec = rows(b.dRec, s0 * 3 * h, s1 * 3 * h);
            toRows(dRec, 3 * h, 0, 2 * h, dRows, 0, n, mb);
            toRows(rows(b.dAn, s0 * h, s1 * h), h, 0, h, dRows, 2 * h, n, mb);
            toRows(dRec, 3 * h, 0, 3 * h, rows(b.dRecRows, s0 * mb, s1 * mb), 0, n, mb);
        }, (s0, s1, first) -> {
            double beta = first ? 0.0 : 1.0;
            INDArray dRows = rows(b.dRows, s0 * mb, s1 * mb);
            INDArray dRecRows = rows(b.dRecRows, s0 * mb, s1 * mb);
            Nd4j.gemm(rows(b.xRows, s0 * mb, s1 * mb), dRows, gW, true, false, 1.0, beta);
            Nd4j.gemm(rows(b.hPrevRows, s0 * mb, s1 * mb), dRecRows, gRW, true, false, 1.0, beta);
        });
        for (int t = (int) steps - 1; t >= end; t--) {
            if (direct) {
                backwardStep(b, t, (int) h, (int) mb, masked, t > end);
                chunks.stepDone(t);
                if (t > end) {
                    stepGemm(b.dRecAllT[t], rw, b.dhT[t - 1], true);
                }
                continue;
            }
            INDArray dh = b.dh[t];
            if (masked) {
                dh.muliRowVector(b.m[t]);
            }
            // d a_n = dh (1 - z)(1 - n^2); d gn = d a_n r; d a_z = dh (h_prev - n) z (1 - z);
            // d a_r = d a_n gn r (1 - r); dh_prev = dh z + RW d[a_r, a_z, gn]
            INDArray dan = b.dan[t];
            dh.mul(b.omZ[t], dan);
            dan.muli(b.dtanhN[t]);
            dan.mul(b.r[t], b.dRecN[t]);
            b.h[t].sub(b.n[t], b.tmp2);
            b.tmp2.muli(b.dsigZ[t]);
            b.tmp2.mul(dh, b.dRecZ[t]);
            dan.mul(b.recN[t], b.tmp3);
            b.tmp3.mul(b.dsigR[t], b.dRecR[t]);
            chunks.stepDone(t);
            if (t > end) {
                INDArray dhPrev = b.dh[t - 1];
                dh.mul(b.z[t], b.tmp);
                add(b.tmp, dhPrev, dhPrev);
                stepGemm(b.dRecAllT[t], rw, b.dhT[t - 1], true);
            }
        }

        chunks.finish();
        awaitOffloaded();
        columnSums(b, b.dRows, gB);
        columnSums(b, b.dRecRows, gRB);

        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(GRUParamInitializer.WEIGHT_KEY, gW);
        g.gradientForVariable().put(GRUParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        g.gradientForVariable().put(GRUParamInitializer.BIAS_KEY, gB);
        g.gradientForVariable().put(GRUParamInitializer.RECURRENT_BIAS_KEY, gRB);
        return g;
    }
}
