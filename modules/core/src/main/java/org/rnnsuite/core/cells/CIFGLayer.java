package org.rnnsuite.core.cells;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The coupled-gate LSTM layer that {@link CIFG} configures; see there for the equations and parameter layout.
 *
 * <p>Per time step: one matrix product (added onto the precomputed input projection) and seven element-wise ops
 * forward; one product and eleven element-wise ops backward, with all gate derivatives computed for the
 * whole sequence before the backward loop. Memory layout: see {@link RecurrentCellLayer}.
 */
public class CIFGLayer extends RecurrentCellLayer<CIFG> {
    /** State key of the last cell state, as in DL4J's LSTM. */
    public static final String STATE_KEY_PREV_MEMCELL = "prevMem";

    /** Creates the layer; use {@link CIFG#instantiate} rather than this constructor. */
    public CIFGLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    static final class CifgBuffers extends MemoryCellBuffers {
        /** Views of the gate blocks i, o, g (3H gate rows per step). */
        INDArray[] io;
        INDArray[] i;
        INDArray[] o;
        INDArray[] g;
        // backward: whole-sequence derivatives, computed on contiguous arrays before the loop
        /** 1 - gates; its i block is the forget gate. */
        INDArray om;
        /** gates (1 - gates), the sigmoid derivatives. */
        INDArray dsig;
        /** 1 - gates^2, the tanh derivatives. */
        INDArray dtanh;
        /** 1 - tanh(c)^2. */
        INDArray dtc;
        INDArray[] omI;
        INDArray[] dsigI;
        INDArray[] dsigO;
        INDArray[] dtanhG;
        INDArray[] dtcV;
        INDArray[] dI;
        INDArray[] dO;
        INDArray[] dG;
        INDArray dc;
        INDArray dcNext;

        CifgBuffers(long mb, long steps, DataType dataType) {
            super(mb, steps, dataType);
        }
    }

    @Override
    protected Buffers newBuffers(long mb, long steps, long nIn, long h) {
        CifgBuffers b = new CifgBuffers(mb, steps, dataType);
        b.allocateForward(3 * h, h);
        b.io = Buffers.steps(b.gates, steps, 3 * h, 0, 2 * h);
        b.i = Buffers.steps(b.gates, steps, 3 * h, 0, h);
        b.o = Buffers.steps(b.gates, steps, 3 * h, h, 2 * h);
        b.g = Buffers.steps(b.gates, steps, 3 * h, 2 * h, 3 * h);
        return b;
    }

    @Override
    protected void allocateBackward(Buffers buf, long nIn, long h) {
        CifgBuffers b = (CifgBuffers) buf;
        long steps = b.steps;
        long mb = b.mb;
        b.om = b.matrix(steps * 3 * h, mb);
        b.dsig = b.matrix(steps * 3 * h, mb);
        b.dtanh = b.matrix(steps * 3 * h, mb);
        b.dtc = b.matrix(steps * h, mb);
        b.omI = Buffers.steps(b.om, steps, 3 * h, 0, h);
        b.dsigI = Buffers.steps(b.dsig, steps, 3 * h, 0, h);
        b.dsigO = Buffers.steps(b.dsig, steps, 3 * h, h, 2 * h);
        b.dtanhG = Buffers.steps(b.dtanh, steps, 3 * h, 2 * h, 3 * h);
        b.dtcV = Buffers.steps(b.dtc, steps, h, 0, h);
        b.allocateGateGradients(3 * h);
        b.dI = Buffers.steps(b.dA, steps, 3 * h, 0, h);
        b.dO = Buffers.steps(b.dA, steps, 3 * h, h, 2 * h);
        b.dG = Buffers.steps(b.dA, steps, 3 * h, 2 * h, 3 * h);
        b.dc = b.matrix(h, mb);
        b.dcNext = b.matrix(h, mb);
    }

    @Override
    protected void forwardKernel(Buffers buf, Map<String, INDArray> state, boolean masked, boolean training,
            LayerWorkspaceMgr mgr) {
        CifgBuffers b = (CifgBuffers) buf;
        long mb = b.mb;
        long steps = b.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(CIFGParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(CIFGParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray bias = getParamWithNoise(CIFGParamInitializer.BIAS_KEY, training, mgr);

        Projection projection = project(b, w, bias, b.gates, 3 * h);
        INDArray h0 = state == null ? null : state.get(STATE_KEY_PREV_ACTIVATION);
        INDArray c0 = state == null ? null : state.get(STATE_KEY_PREV_MEMCELL);
        initialState(b.h[0], h0);
        initialState(b.c[0], c0);
        for (int t = 0; t < steps; t++) {
            // the recurrent product adds onto the step's projected gates
            projection.await(t);
            if (t > 0 || h0 != null) {
                stepGemm(b.hT[t], rw, b.allT[t], false);
            }
            Transforms.sigmoid(b.io[t], false);
            INDArray g = b.g[t];
            Transforms.tanh(g, false);
            INDArray cPrev = b.c[t];
            INDArray c = b.c[t + 1];
            // c = (1 - i) c_prev + i g = c_prev + i (g - c_prev)
            g.sub(cPrev, b.tmp);
            b.tmp.muli(b.i[t]);
            add(b.tmp, cPrev, c);
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

    @Override
    protected Map<String, INDArray> lastState(Buffers buf) {
        CifgBuffers b = (CifgBuffers) buf;
        Map<String, INDArray> m = new HashMap<>();
        m.put(STATE_KEY_PREV_ACTIVATION, detachedCopy(b.h[(int) b.steps]));
        m.put(STATE_KEY_PREV_MEMCELL, detachedCopy(b.c[(int) b.steps]));
        return m;
    }

    @Override
    protected Gradient backwardKernel(Buffers buf, boolean masked, long end, LayerWorkspaceMgr mgr) {
        CifgBuffers b = (CifgBuffers) buf;
        long mb = b.mb;
        long steps = b.steps;
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(CIFGParamInitializer.WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(CIFGParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);

        // Derivatives for all steps at once, on whole contiguous arrays (strided per-gate views would hit ND4J's
        // slow generic loops); per step, only the products with the incoming gradient remain.
        b.gates.rsub(1.0, b.om);
        b.gates.mul(b.om, b.dsig);
        b.gates.mul(b.gates, b.dtanh);
        b.dtanh.rsubi(1.0);
        b.tc.mul(b.tc, b.dtc);
        b.dtc.rsubi(1.0);

        if (end > 0) {
            b.dA.get(NDArrayIndex.interval(0, end * 3 * h), NDArrayIndex.all()).assign(0);
        }
        INDArray dc = b.dc;
        INDArray dcNext = b.dcNext;
        dcNext.assign(0);
        INDArray gW = gradientViews.get(CIFGParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(CIFGParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(CIFGParamInitializer.BIAS_KEY);
        BackwardChunks chunks = backwardChunks(b, b.dA, 3 * h, w, gW, gRW);
        for (int t = (int) steps - 1; t >= end; t--) {
            INDArray dh = b.dh[t];
            if (masked) {
                dh.muliRowVector(b.m[t]);
                dcNext.muliRowVector(b.m[t]);
            }
            // d a_o = dh tanh(c) o (1 - o); dc = dh o (1 - tanh(c)^2) + dc_next;
            // d a_i = dc (g - c_prev) i (1 - i); d a_g = dc i (1 - g^2); dc_prev = dc (1 - i)
            dh.mul(b.tcV[t], b.dO[t]);
            b.dO[t].muli(b.dsigO[t]);
            dh.mul(b.o[t], dc);
            dc.muli(b.dtcV[t]);
            add(dcNext, dc, dc);
            b.g[t].sub(b.c[t], b.tmp);
            b.tmp.muli(b.dsigI[t]);
            dc.mul(b.tmp, b.dI[t]);
            dc.mul(b.i[t], b.dG[t]);
            b.dG[t].muli(b.dtanhG[t]);
            chunks.stepDone(t);
            if (t > end) {
                dc.mul(b.omI[t], dcNext);
                stepGemm(b.dAllT[t], rw, b.dhT[t - 1], true);
            }
        }

        chunks.finish();
        awaitOffloaded();
        columnSums(b, b.dRows, gB);

        Gradient grad = new DefaultGradient(gradientsFlattened);
        grad.gradientForVariable().put(CIFGParamInitializer.WEIGHT_KEY, gW);
        grad.gradientForVariable().put(CIFGParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        grad.gradientForVariable().put(CIFGParamInitializer.BIAS_KEY, gB);
        return grad;
    }
}
