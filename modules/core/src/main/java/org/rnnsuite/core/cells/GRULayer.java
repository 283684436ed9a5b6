package org.rnnsuite.core.cells;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The GRU layer that {@link GRU} configures; see there for the equations and parameter layout.
 *
 * <p>Per time step the forward pass is one matrix product (the recurrent term, written onto the pre-filled
 * recurrent bias) and eight element-wise ops; backprop is one product and six element-wise ops per step, because
 * every factor that does not depend on the incoming gradient (gate derivatives, {@code h_{t-1} - n}) is computed
 * for all steps at once before the loop.
 */
public class GRULayer extends RecurrentCellLayer<GRU> {

    /** Creates the layer; use {@link GRU#instantiate} rather than this constructor. */
    public GRULayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    static final class GruFwd extends Fwd {
        /** Gate activations [r, z, n], time-major {@code [T*mb, 3H]}. */
        INDArray gates;
        /** Recurrent products plus recurrent bias, {@code [T*mb, 3H]}; the n block is W_hn h + b_hn. */
        INDArray rec;

        @Override
        INDArray[] arrays() {
            return new INDArray[] {x, hs, mask, gates, rec};
        }
    }

    @Override
    protected Fwd newFwd() {
        return new GruFwd();
    }

    @Override
    protected void forwardKernel(Fwd fwd, Map<String, INDArray> state, boolean training, ArrayType store,
            LayerWorkspaceMgr mgr) {
        GruFwd f = (GruFwd) fwd;
        long mb = f.mb;
        long steps = f.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(GRUParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray b = getParamWithNoise(GRUParamInitializer.BIAS_KEY, training, mgr);
        INDArray rb = getParamWithNoise(GRUParamInitializer.RECURRENT_BIAS_KEY, training, mgr);

        INDArray gates = mgr.createUninitialized(store, dataType, new long[] {steps * mb, 3 * h}, 'c');
        Nd4j.gemm(f.x, w, gates, false, false, 1.0, 0.0);
        gates.addiRowVector(b);
        INDArray rec = mgr.createUninitialized(store, dataType, new long[] {steps * mb, 3 * h}, 'c');
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(rec, rb, rec, 1));
        INDArray hs = mgr.createUninitialized(store, dataType, new long[] {(steps + 1) * mb, h}, 'c');
        INDArray h0 = state == null ? null : state.get(STATE_KEY_PREV_ACTIVATION);
        initialState(rows(hs, 0, 1, mb), h0);
        INDArray tmp = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[] {mb, h}, 'c');
        for (long t = 0; t < steps; t++) {
            INDArray hPrev = rows(hs, t, t + 1, mb);
            INDArray hNext = rows(hs, t + 1, t + 2, mb);
            if (t > 0 || h0 != null) {
                Nd4j.gemm(hPrev, rw, rows(rec, t, t + 1, mb), false, false, 1.0, 1.0);
            }
            INDArray rz = block(gates, t, mb, 0, 2 * h);
            rz.addi(block(rec, t, mb, 0, 2 * h));
            Transforms.sigmoid(rz, false);
            INDArray r = block(gates, t, mb, 0, h);
            INDArray z = block(gates, t, mb, h, 2 * h);
            INDArray n = block(gates, t, mb, 2 * h, 3 * h);
            r.mul(block(rec, t, mb, 2 * h, 3 * h), tmp);
            n.addi(tmp);
            Transforms.tanh(n, false);
            // h' = (1 - z) n + z h = n + z (h - n)
            hPrev.sub(n, hNext);
            hNext.muli(z);
            hNext.addi(n);
            if (f.mask != null) {
                hNext.muliColumnVector(rows(f.mask, t, t + 1, mb));
            }
        }
        f.hs = hs;
        f.gates = gates;
        f.rec = rec;
    }

    @Override
    protected Map<String, INDArray> lastState(Fwd f) {
        return stateOf(STATE_KEY_PREV_ACTIVATION, rows(f.hs, f.steps, f.steps + 1, f.mb));
    }

    @Override
    protected Pair<Gradient, INDArray> backwardKernel(Fwd fwd, INDArray dh, long end, LayerWorkspaceMgr mgr) {
        GruFwd f = (GruFwd) fwd;
        long mb = f.mb;
        long steps = f.steps;
        long h = layerConf().getNOut();
        long nIn = layerConf().getNIn();
        long rowsTotal = steps * mb;
        INDArray w = getParamWithNoise(GRUParamInitializer.WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);

        INDArray r = cols(f.gates, 0, h);
        INDArray z = cols(f.gates, h, 2 * h);
        INDArray n = cols(f.gates, 2 * h, 3 * h);
        INDArray gn = cols(f.rec, 2 * h, 3 * h);
        INDArray hPrevAll = rows(f.hs, 0, steps, mb);

        // Factors independent of the incoming gradient, for all steps at once:
        // fn = (1 - z)(1 - n^2), fz = (h_prev - n) z (1 - z), fr = gn r (1 - r)
        long[] shape = {rowsTotal, h};
        INDArray oneMinusZ = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
        z.rsub(1.0, oneMinusZ);
        INDArray fn = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
        n.mul(n, fn);
        fn.rsubi(1.0);
        fn.muli(oneMinusZ);
        INDArray fz = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
        hPrevAll.sub(n, fz);
        fz.muli(z);
        fz.muli(oneMinusZ);
        INDArray fr = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
        r.rsub(1.0, fr);
        fr.muli(r);
        fr.muli(gn);

        // dRec: gradient wrt the pre-activations as seen by the recurrent product [a_r, a_z, gn];
        // dAn: gradient wrt the pre-activation of n (the input-side n block)
        INDArray dRec = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {rowsTotal, 3 * h}, 'c');
        INDArray dAn = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
        if (end > 0) {
            rows(dRec, 0, end, mb).assign(0);
            rows(dAn, 0, end, mb).assign(0);
        }
        INDArray tmp = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'c');
        for (long t = steps - 1; t >= end; t--) {
            INDArray dht = rows(dh, t, t + 1, mb);
            if (f.mask != null) {
                dht.muliColumnVector(rows(f.mask, t, t + 1, mb));
            }
            INDArray dan = rows(dAn, t, t + 1, mb);
            dht.mul(rows(fn, t, t + 1, mb), dan);
            dan.mul(block(f.gates, t, mb, 0, h), block(dRec, t, mb, 2 * h, 3 * h));
            dht.mul(rows(fz, t, t + 1, mb), block(dRec, t, mb, h, 2 * h));
            dan.mul(rows(fr, t, t + 1, mb), block(dRec, t, mb, 0, h));
            if (t > end) {
                INDArray dhPrev = rows(dh, t - 1, t, mb);
                dht.mul(block(f.gates, t, mb, h, 2 * h), tmp);
                dhPrev.addi(tmp);
                Nd4j.gemm(rows(dRec, t, t + 1, mb), rw, dhPrev, false, true, 1.0, 1.0);
            }
        }

        INDArray gW = gradientViews.get(GRUParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(GRUParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(GRUParamInitializer.BIAS_KEY);
        INDArray gRB = gradientViews.get(GRUParamInitializer.RECURRENT_BIAS_KEY);
        INDArray dRz = cols(dRec, 0, 2 * h);
        Nd4j.gemm(f.x, dRz, cols(gW, 0, 2 * h), true, false, 1.0, 0.0);
        Nd4j.gemm(f.x, dAn, cols(gW, 2 * h, 3 * h), true, false, 1.0, 0.0);
        Nd4j.gemm(hPrevAll, dRec, gRW, true, false, 1.0, 0.0);
        gRB.assign(dRec.sum(0));
        gB.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2 * h)).assign(dRz.sum(0));
        gB.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * h, 3 * h)).assign(dAn.sum(0));

        INDArray dx = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {rowsTotal, nIn}, 'c');
        Nd4j.gemm(dRz, cols(w, 0, 2 * h), dx, false, true, 1.0, 0.0);
        Nd4j.gemm(dAn, cols(w, 2 * h, 3 * h), dx, false, true, 1.0, 1.0);

        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(GRUParamInitializer.WEIGHT_KEY, gW);
        g.gradientForVariable().put(GRUParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        g.gradientForVariable().put(GRUParamInitializer.BIAS_KEY, gB);
        g.gradientForVariable().put(GRUParamInitializer.RECURRENT_BIAS_KEY, gRB);
        return new Pair<>(g, dx);
    }
}
