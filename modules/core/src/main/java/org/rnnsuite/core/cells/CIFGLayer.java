package org.rnnsuite.core.cells;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The coupled-gate LSTM layer that {@link CIFG} configures; see there for the equations and parameter layout.
 *
 * <p>Per time step: one matrix product (added onto the precomputed input projection) and seven element-wise ops
 * forward; one product and six element-wise ops backward, with all gate derivatives computed for the whole
 * sequence before the backward loop.
 */
public class CIFGLayer extends RecurrentCellLayer<CIFG> {
    /** State key of the last cell state, as in DL4J's LSTM. */
    public static final String STATE_KEY_PREV_MEMCELL = "prevMem";

    /** Creates the layer; use {@link CIFG#instantiate} rather than this constructor. */
    public CIFGLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    static final class CifgFwd extends Fwd {
        /** Gate activations [i, o, g], time-major {@code [T*mb, 3H]}. */
        INDArray gates;
        /** Cell states {@code [(T+1)*mb, H]}; block 0 is the initial cell. */
        INDArray cs;
        /** tanh of the (unmasked) cell state, {@code [T*mb, H]}. */
        INDArray tc;

        @Override
        INDArray[] arrays() {
            return new INDArray[] {x, hs, mask, gates, cs, tc};
        }
    }

    @Override
    protected Fwd newFwd() {
        return new CifgFwd();
    }

    @Override
    protected void forwardKernel(Fwd fwd, Map<String, INDArray> state, boolean training, ArrayType store,
            LayerWorkspaceMgr mgr) {
        CifgFwd f = (CifgFwd) fwd;
        long mb = f.mb;
        long steps = f.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(CIFGParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(CIFGParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray b = getParamWithNoise(CIFGParamInitializer.BIAS_KEY, training, mgr);

        INDArray gates = mgr.createUninitialized(store, dataType, new long[] {steps * mb, 3 * h}, 'c');
        Nd4j.gemm(f.x, w, gates, false, false, 1.0, 0.0);
        gates.addiRowVector(b);
        INDArray hs = mgr.createUninitialized(store, dataType, new long[] {(steps + 1) * mb, h}, 'c');
        INDArray cs = mgr.createUninitialized(store, dataType, new long[] {(steps + 1) * mb, h}, 'c');
        INDArray tc = mgr.createUninitialized(store, dataType, new long[] {steps * mb, h}, 'c');
        INDArray h0 = state == null ? null : state.get(STATE_KEY_PREV_ACTIVATION);
        INDArray c0 = state == null ? null : state.get(STATE_KEY_PREV_MEMCELL);
        initialState(rows(hs, 0, 1, mb), h0);
        initialState(rows(cs, 0, 1, mb), c0);
        INDArray tmp = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'c');
        for (long t = 0; t < steps; t++) {
            INDArray hPrev = rows(hs, t, t + 1, mb);
            INDArray a = rows(gates, t, t + 1, mb);
            if (t > 0 || h0 != null) {
                Nd4j.gemm(hPrev, rw, a, false, false, 1.0, 1.0);
            }
            Transforms.sigmoid(block(gates, t, mb, 0, 2 * h), false);
            INDArray g = block(gates, t, mb, 2 * h, 3 * h);
            Transforms.tanh(g, false);
            INDArray i = block(gates, t, mb, 0, h);
            INDArray o = block(gates, t, mb, h, 2 * h);
            INDArray cPrev = rows(cs, t, t + 1, mb);
            INDArray c = rows(cs, t + 1, t + 2, mb);
            // c = (1 - i) c_prev + i g = c_prev + i (g - c_prev)
            g.sub(cPrev, tmp);
            tmp.muli(i);
            cPrev.add(tmp, c);
            INDArray tct = rows(tc, t, t + 1, mb);
            Nd4j.getExecutioner().exec(new Tanh(c, tct));
            INDArray hNext = rows(hs, t + 1, t + 2, mb);
            o.mul(tct, hNext);
            if (f.mask != null) {
                INDArray m = rows(f.mask, t, t + 1, mb);
                hNext.muliColumnVector(m);
                c.muliColumnVector(m);
            }
        }
        f.hs = hs;
        f.cs = cs;
        f.tc = tc;
        f.gates = gates;
    }

    @Override
    protected Map<String, INDArray> lastState(Fwd fwd) {
        CifgFwd f = (CifgFwd) fwd;
        Map<String, INDArray> m = new HashMap<>();
        m.put(STATE_KEY_PREV_ACTIVATION, detachedCopy(rows(f.hs, f.steps, f.steps + 1, f.mb)));
        m.put(STATE_KEY_PREV_MEMCELL, detachedCopy(rows(f.cs, f.steps, f.steps + 1, f.mb)));
        return m;
    }

    @Override
    protected Pair<Gradient, INDArray> backwardKernel(Fwd fwd, INDArray dh, long end, LayerWorkspaceMgr mgr) {
        CifgFwd f = (CifgFwd) fwd;
        long mb = f.mb;
        long steps = f.steps;
        long h = layerConf().getNOut();
        long nIn = layerConf().getNIn();
        long rowsTotal = steps * mb;
        INDArray w = getParamWithNoise(CIFGParamInitializer.WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(CIFGParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);

        INDArray i = cols(f.gates, 0, h);
        INDArray o = cols(f.gates, h, 2 * h);
        INDArray g = cols(f.gates, 2 * h, 3 * h);
        INDArray cPrevAll = rows(f.cs, 0, steps, mb);
        INDArray hPrevAll = rows(f.hs, 0, steps, mb);

        // Factors independent of the incoming gradient, for all steps at once:
        // fo = tanh(c) o (1 - o); fc = o (1 - tanh(c)^2); fi = (g - c_prev) i (1 - i); fg = i (1 - g^2); ff = 1 - i
        long[] shape = {rowsTotal, h};
        INDArray fo = bp(mgr, shape);
        o.rsub(1.0, fo);
        fo.muli(o);
        fo.muli(f.tc);
        INDArray fc = bp(mgr, shape);
        f.tc.mul(f.tc, fc);
        fc.rsubi(1.0);
        fc.muli(o);
        INDArray ff = bp(mgr, shape);
        i.rsub(1.0, ff);
        INDArray fi = bp(mgr, shape);
        g.sub(cPrevAll, fi);
        fi.muli(i);
        fi.muli(ff);
        INDArray fg = bp(mgr, shape);
        g.mul(g, fg);
        fg.rsubi(1.0);
        fg.muli(i);

        INDArray dA = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {rowsTotal, 3 * h}, 'c');
        if (end > 0) {
            rows(dA, 0, end, mb).assign(0);
        }
        INDArray dc = bp(mgr, new long[] {mb, h});
        INDArray dcNext = bp(mgr, new long[] {mb, h});
        dcNext.assign(0);
        for (long t = steps - 1; t >= end; t--) {
            INDArray dht = rows(dh, t, t + 1, mb);
            if (f.mask != null) {
                INDArray m = rows(f.mask, t, t + 1, mb);
                dht.muliColumnVector(m);
                dcNext.muliColumnVector(m);
            }
            dht.mul(rows(fo, t, t + 1, mb), block(dA, t, mb, h, 2 * h));
            dht.mul(rows(fc, t, t + 1, mb), dc);
            dc.addi(dcNext);
            dc.mul(rows(fi, t, t + 1, mb), block(dA, t, mb, 0, h));
            dc.mul(rows(fg, t, t + 1, mb), block(dA, t, mb, 2 * h, 3 * h));
            if (t > end) {
                dc.mul(rows(ff, t, t + 1, mb), dcNext);
                Nd4j.gemm(rows(dA, t, t + 1, mb), rw, rows(dh, t - 1, t, mb), false, true, 1.0, 1.0);
            }
        }

        INDArray gW = gradientViews.get(CIFGParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(CIFGParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(CIFGParamInitializer.BIAS_KEY);
        Nd4j.gemm(f.x, dA, gW, true, false, 1.0, 0.0);
        Nd4j.gemm(hPrevAll, dA, gRW, true, false, 1.0, 0.0);
        gB.assign(dA.sum(0));
        INDArray dx = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {rowsTotal, nIn}, 'c');
        Nd4j.gemm(dA, w, dx, false, true, 1.0, 0.0);

        Gradient grad = new DefaultGradient(gradientsFlattened);
        grad.gradientForVariable().put(CIFGParamInitializer.WEIGHT_KEY, gW);
        grad.gradientForVariable().put(CIFGParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        grad.gradientForVariable().put(CIFGParamInitializer.BIAS_KEY, gB);
        return new Pair<>(grad, dx);
    }

    private INDArray bp(LayerWorkspaceMgr mgr, long[] shape) {
        return mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
    }
}
