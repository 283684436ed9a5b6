package org.rnnsuite.core.cells;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Shared machinery of the gated cells implemented here ({@link GRULayer}, {@link CIFGLayer}): input layout, masks,
 * stored state for {@code rnnTimeStep} and truncated BPTT, and reuse of the training forward pass in backprop.
 *
 * <p>Internally every sequence is kept <em>time-major</em>: a {@code [T*mb, k]} C-order matrix whose rows
 * {@code [t*mb, (t+1)*mb)} hold time step {@code t}. That layout lets the input projection of all time steps be one
 * matrix product, makes each step's slice a contiguous block, and lets the weight gradients be accumulated by one
 * product over all steps after the backward loop. Per-op overhead, not arithmetic, dominates small recurrent nets
 * on CPU, so subclasses hoist everything that does not depend on the recurrence out of the time loop.
 *
 * <p>A training forward pass keeps its intermediate values (in the {@link ArrayType#ACTIVATIONS} workspace, which
 * DL4J keeps open until backprop of the same iteration ends), so backprop does not recompute it. The kept pass is
 * used only if input and mask are the very same arrays and its memory is still in scope; otherwise backprop
 * recomputes the forward pass in working memory, as DL4J's own LSTM does.
 *
 * @param <C> the layer configuration
 */
public abstract class RecurrentCellLayer<C extends org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer>
        extends BaseRecurrentLayer<C> {
    /** State key of the last hidden output, as in DL4J's recurrent layers. */
    public static final String STATE_KEY_PREV_ACTIVATION = "prevAct";

    private Fwd kept;

    protected RecurrentCellLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Everything a forward pass produced that backprop needs; subclasses add their gate arrays. */
    protected abstract static class Fwd {
        /** The layer input this pass was computed from (identity, for the reuse check). */
        INDArray sourceInput;
        /** The mask this pass was computed with (identity), or null. */
        INDArray sourceMask;
        long mb;
        long steps;
        /** Input, time-major {@code [T*mb, nIn]}. */
        INDArray x;
        /** Hidden states, time-major {@code [(T+1)*mb, H]}; block 0 is the initial state. */
        INDArray hs;
        /** Mask, time-major {@code [T*mb, 1]}, or null. */
        INDArray mask;
        /** Layer output {@code [mb, H, T]} (NCW). */
        INDArray out;

        /** All arrays whose memory must still be valid for reuse. */
        abstract INDArray[] arrays();

        boolean inScope() {
            for (INDArray a : arrays()) {
                if (a != null && (a.wasClosed() || !a.isInScope())) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Runs the recurrence.
     *
     * @param f        holds {@code x}, {@code mask}, {@code mb}, {@code steps}; the subclass fills {@code hs} and its
     *                 own arrays
     * @param state    initial state (keys as in {@link #rnnGetPreviousState()}), or null/empty for zeros
     * @param store    where arrays needed by backprop go
     */
    protected abstract void forwardKernel(Fwd f, Map<String, INDArray> state, boolean training, ArrayType store,
            LayerWorkspaceMgr mgr);

    /** A fresh forward record of the subclass type. */
    protected abstract Fwd newFwd();

    /**
     * Backprop through time.
     *
     * @param f       the forward pass
     * @param dh      gradient wrt the outputs, time-major {@code [T*mb, H]}, free to be overwritten
     * @param end     first time step to backprop into (0 for full BPTT)
     * @return gradient and dL/dx time-major {@code [T*mb, nIn]}
     */
    protected abstract Pair<Gradient, INDArray> backwardKernel(Fwd f, INDArray dh, long end, LayerWorkspaceMgr mgr);

    /** Detached copies of the last state of a forward pass. */
    protected abstract Map<String, INDArray> lastState(Fwd f);

    // ---------------------------------------------------------------- forward

    private Fwd forward(boolean training, Map<String, INDArray> state, ArrayType store, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        Preconditions.checkState(input.rank() == 3,
                "3D input expected by recurrent layer %s, got rank %s", layerId(), input.rank());
        applyDropOutIfNecessary(training, mgr);
        INDArray in = permuteIfNWC(input.castTo(dataType));
        long mb = in.size(0);
        long steps = in.size(2);
        long nIn = layerConf().getNIn();
        Preconditions.checkState(in.size(1) == nIn, "Layer %s expects input size %s, got input of shape %ndShape",
                layerId(), nIn, in);
        if (state != null) {
            INDArray h0 = state.get(STATE_KEY_PREV_ACTIVATION);
            Preconditions.checkState(h0 == null || h0.size(0) == mb,
                    "Stored state of layer %s has minibatch size %s but the input has %s: call rnnClearPreviousState()"
                            + " between sequences of different batch size", layerId(),
                    h0 == null ? 0 : h0.size(0), mb);
        }
        Fwd f = newFwd();
        f.sourceInput = input;
        f.sourceMask = maskArray;
        f.mb = mb;
        f.steps = steps;
        INDArray x = mgr.createUninitialized(store, dataType, new long[] {steps, mb, nIn}, 'c');
        x.assign(in.permute(2, 0, 1));
        f.x = x.reshape('c', steps * mb, nIn);
        if (maskArray != null) {
            INDArray m = mgr.createUninitialized(store, dataType, new long[] {steps, mb}, 'c');
            m.assign(maskArray.castTo(dataType).transpose());
            f.mask = m.reshape('c', steps * mb, 1);
        }
        forwardKernel(f, state, training, store, mgr);
        long h = layerConf().getNOut();
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {mb, h, steps}, 'f');
        out.assign(rows(f.hs, 1, steps + 1, mb).reshape('c', steps, mb, h).permute(1, 2, 0));
        f.out = out;
        return f;
    }

    private Fwd forwardAndKeep(boolean training, Map<String, INDArray> state, LayerWorkspaceMgr mgr) {
        kept = null;
        if (training) {
            Fwd f = forward(true, state, ArrayType.ACTIVATIONS, mgr);
            kept = f;
            return f;
        }
        return forward(false, state, ArrayType.FF_WORKING_MEM, mgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return permuteIfNWC(forwardAndKeep(training, null, workspaceMgr).out);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Fwd f = forwardAndKeep(false, stateMap, workspaceMgr);
        Map<String, INDArray> last = lastState(f);
        stateMap.clear();
        stateMap.putAll(last);
        return permuteIfNWC(f.out);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Fwd f = forwardAndKeep(training, tBpttStateMap, workspaceMgr);
        if (storeLastForTBPTT) {
            Map<String, INDArray> last = lastState(f);
            tBpttStateMap.clear();
            tBpttStateMap.putAll(last);
        }
        return permuteIfNWC(f.out);
    }

    // ---------------------------------------------------------------- backward

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, -1, null, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        // DL4J copies the TBPTT state into stateMap at the start of each segment (as its LSTM relies on)
        return backprop(epsilon, tbpttBackLength, stateMap, workspaceMgr);
    }

    private Pair<Gradient, INDArray> backprop(INDArray epsilon, int backLength, Map<String, INDArray> state,
            LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Fwd f = kept;
        kept = null;
        if (f == null || f.sourceInput != input || f.sourceMask != maskArray || !f.inScope()) {
            f = forward(true, state, ArrayType.BP_WORKING_MEM, mgr);
        }
        long mb = f.mb;
        long steps = f.steps;
        long h = layerConf().getNOut();
        INDArray eps = permuteIfNWC(epsilon).castTo(dataType);
        INDArray dh = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {steps, mb, h}, 'c');
        dh.assign(eps.permute(2, 0, 1));
        long end = backLength > 0 ? Math.max(0, steps - backLength) : 0;
        Pair<Gradient, INDArray> p = backwardKernel(f, dh.reshape('c', steps * mb, h), end, mgr);
        weightNoiseParams.clear();
        long nIn = layerConf().getNIn();
        INDArray epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {mb, nIn, steps},
                'f');
        epsOut.assign(p.getSecond().reshape('c', steps, mb, nIn).permute(1, 2, 0));
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(p.getFirst(), permuteIfNWC(epsOut));
    }

    // ---------------------------------------------------------------- helpers

    /** Rows {@code [from*mb, to*mb)} of a time-major matrix: time steps {@code from..to-1}. */
    static INDArray rows(INDArray a, long from, long to, long mb) {
        return a.get(NDArrayIndex.interval(from * mb, to * mb), NDArrayIndex.all());
    }

    /** Time step {@code t} of a time-major matrix, columns {@code [c0, c1)}: one view of the base array. */
    static INDArray block(INDArray a, long t, long mb, long c0, long c1) {
        return a.get(NDArrayIndex.interval(t * mb, (t + 1) * mb), NDArrayIndex.interval(c0, c1));
    }

    /** Writes the stored state, or zeros, into block 0 of a state matrix. */
    static void initialState(INDArray block0, INDArray stored) {
        if (stored != null) {
            block0.assign(stored);
        } else {
            block0.assign(0);
        }
    }

    /** Columns {@code [from, to)}. */
    static INDArray cols(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    /** A detached copy, outside any workspace, for stored state. */
    static INDArray detachedCopy(INDArray a) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.dup('c');
        }
    }

    static Map<String, INDArray> stateOf(String k1, INDArray v1) {
        Map<String, INDArray> m = new HashMap<>();
        m.put(k1, detachedCopy(v1));
        return m;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }
}
