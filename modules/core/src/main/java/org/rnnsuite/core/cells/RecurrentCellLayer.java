package org.rnnsuite.core.cells;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Shared machinery of the gated cells implemented here ({@link FusedLSTMLayer}, {@link GRULayer},
 * {@link CIFGLayer}): memory layout, masks, stored state for {@code rnnTimeStep} and truncated BPTT, and reuse of the training forward pass in
 * backprop.
 *
 * <p>Why it is built this way: on CPU, small recurrent nets are bound by per-operation overhead (tens to hundreds
 * of microseconds per ND4J call, including creating an array view), not by arithmetic. So:
 * <ul>
 *   <li>The input projection of all time steps is one matrix product; weight gradients are one product over all
 *       steps after the backward loop; the gate derivatives are computed for the whole sequence before the loop, on
 *       whole contiguous arrays (ND4J's element-wise loops over strided views are many times slower).</li>
 *   <li>Per time step, arrays are <em>feature-major</em> blocks {@code [k, mb]}: a sequence is a C-order
 *       {@code [T*k, mb]} matrix whose rows {@code [t*k, (t+1)*k)} hold step {@code t}. Each gate of a step is
 *       then a contiguous block, which ND4J's element-wise kernels process several times faster than strided
 *       column slices. DL4J's NCW layout {@code [mb, k, T]} in F order is the same memory as C-order
 *       {@code [T, k, mb]}, so outputs and incoming gradients need no reshuffling.</li>
 *   <li>The working arrays belong to the layer (outside DL4J's workspaces) and are reused while minibatch size
 *       and sequence length stay the same, together with their per-step views, so the time loop creates no
 *       arrays and no views at all. Because they are the layer's own, a subclass may also read and write their
 *       memory from Java ({@link NativeMem}): one Java loop over a step's few thousand elements costs a few
 *       microseconds, one ND4J call tens.</li>
 *   <li>{@code rnnTimeStep} with a single step (sampling one token at a time) may take a subclass's
 *       {@link #singleStep} path, which needs no sequence-sized arrays at all.</li>
 *   <li>The whole-sequence products run on a second core, chunk by chunk, next to the time loop: the input
 *       projection ahead of it, the weight gradients behind it ({@link #offload}, {@link Projection},
 *       {@link BackwardChunks}). The per-step recurrent product goes straight to BLAS ({@link Gemm}).</li>
 * </ul>
 * A training forward pass leaves its values in those arrays; backprop uses them if no other forward pass ran in
 * between and the input and mask are the very same arrays, and otherwise recomputes the forward pass.
 *
 * @param <C> the layer configuration
 */
public abstract class RecurrentCellLayer<C extends org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer>
        extends BaseRecurrentLayer<C> {
    /**
     * What a cell's configuration does in {@code instantiate}: wires the new layer to listeners, index and parameter
     * view, and initializes (or views) its parameters.
     */
    static Layer setUp(RecurrentCellLayer<?> layer, NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index,
            INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** State key of the last hidden output, as in DL4J's recurrent layers. */
    public static final String STATE_KEY_PREV_ACTIVATION = "prevAct";

    /** Layer-owned working memory for one (minibatch, length) shape; subclasses add their arrays. */
    protected abstract static class Buffers {
        final long mb;
        final long steps;
        final DataType dataType;
        /** Input, time-major rows {@code [T*mb, nIn]} (for the all-steps products). */
        INDArray xRows;
        /** Input projection {@code [T*mb, k]}, before it is rearranged feature-major. */
        INDArray proj;
        /** Hidden states {@code [(T+1)*H, mb]}; block 0 is the initial state. */
        INDArray hs;
        INDArray[] h;
        /** The same blocks as F-order {@code [mb, H]} views, for the per-step products. */
        INDArray[] hT;
        /** Mask {@code [T, mb]} and its per-step rows. */
        INDArray mask;
        INDArray[] m;
        /** Gradient wrt the hidden outputs, {@code [T*H, mb]}, accumulated in the backward loop. */
        INDArray dhs;
        INDArray[] dh;
        INDArray[] dhT;
        /** Gradient wrt the pre-activations in time-major rows, for the weight products. */
        INDArray dRows;
        /** Previous hidden states in time-major rows {@code [T*mb, H]}. */
        INDArray hPrevRows;
        /** Gradient wrt the input, time-major rows {@code [T*mb, nIn]}. */
        INDArray dxRows;
        /** {@code T*mb} ones, for bias gradients as products ({@link #columnSums}). */
        INDArray ones;

        Buffers(long mb, long steps, DataType dataType) {
            this.mb = mb;
            this.steps = steps;
            this.dataType = dataType;
        }

        boolean fits(long mb, long steps, DataType dataType) {
            return this.mb == mb && this.steps == steps && this.dataType == dataType;
        }

        INDArray matrix(long rows, long cols) {
            return Nd4j.createUninitialized(dataType, new long[] {rows, cols}, 'c');
        }

        /** Views of rows {@code [t*k + r0, t*k + r1)} of a feature-major sequence, one per step. */
        static INDArray[] steps(INDArray seq, long count, long k, long r0, long r1) {
            INDArray[] v = new INDArray[(int) count];
            for (int t = 0; t < count; t++) {
                v[t] = seq.get(NDArrayIndex.interval(t * k + r0, t * k + r1), NDArrayIndex.all());
            }
            return v;
        }

        /** Transposed views: a C-order {@code [k, mb]} block is the F-order {@code [mb, k]} matrix BLAS wants. */
        static INDArray[] transposed(INDArray[] v) {
            INDArray[] out = new INDArray[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i].transpose();
            }
            return out;
        }

        /** The {@code [T, k, mb]} view of a feature-major sequence, rows {@code [r0, r1)} of every step. */
        static INDArray seq3(INDArray seq, long count, long k, long r0, long r1) {
            INDArray s = seq.reshape('c', count, k, seq.size(1));
            return r0 == 0 && r1 == k ? s
                    : s.get(NDArrayIndex.all(), NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
        }
    }

    private Buffers buffers;
    private boolean keptValid;
    private INDArray keptInput;
    private INDArray keptMask;
    /** Whether the last forward pass used a mask. */
    private boolean masked;

    protected RecurrentCellLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** New working memory for the shape; called outside any workspace. */
    protected abstract Buffers newBuffers(long mb, long steps, long nIn, long h);

    /** Allocates the arrays and views backprop needs; called once per buffer set, outside any workspace. */
    protected abstract void allocateBackward(Buffers b, long nIn, long h);

    /**
     * Runs the recurrence on {@code b.xRows}, leaving everything backprop needs in {@code b}.
     *
     * @param state  initial state (keys as in {@link #rnnGetPreviousState()}), or null/empty for zeros
     * @param masked whether {@code b.m} holds this pass's mask
     */
    protected abstract void forwardKernel(Buffers b, Map<String, INDArray> state, boolean masked, boolean training,
            LayerWorkspaceMgr mgr);

    /**
     * Backprop through time from {@code b.dh}; writes the parameter gradients into the gradient views and dL/dx into
     * {@code b.dxRows}.
     *
     * @param end first time step to backprop into (0 for full BPTT)
     */
    protected abstract Gradient backwardKernel(Buffers b, boolean masked, long end, LayerWorkspaceMgr mgr);

    /** Detached copies of the last state of the forward pass in {@code b}. */
    protected abstract Map<String, INDArray> lastState(Buffers b);

    // ---------------------------------------------------------------- forward

    private INDArray forward(boolean training, Map<String, INDArray> state, LayerWorkspaceMgr mgr) {
        keptValid = false;
        assertInputSet(false);
        Preconditions.checkState(input.rank() == 3,
                "3D input expected by recurrent layer %s, got rank %s", layerId(), input.rank());
        applyDropOutIfNecessary(training, mgr);
        INDArray in = permuteIfNWC(input.castTo(dataType));
        long mb = in.size(0);
        long steps = in.size(2);
        long nIn = layerConf().getNIn();
        long h = layerConf().getNOut();
        Preconditions.checkState(in.size(1) == nIn, "Layer %s expects input size %s, got input of shape %ndShape",
                layerId(), nIn, in);
        checkStateBatch(state, mb);
        awaitOffloaded();
        Buffers b = buffers(mb, steps, nIn, h);
        b.xRows.reshape('c', steps, mb, nIn).assign(in.permute(2, 0, 1));
        masked = maskArray != null;
        if (masked) {
            b.mask.assign(maskArray.castTo(dataType).transpose());
        }
        try {
            forwardKernel(b, state, masked, training, mgr);
        } finally {
            awaitOffloaded();
        }
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {mb, h, steps}, 'f');
        // F-order [mb, H, T] is the memory of C-order [T, H, mb]: a plain copy of steps 1..T
        out.permute(2, 1, 0).assign(Buffers.seq3(b.hs, steps + 1, h, 0, h).get(NDArrayIndex.interval(1, steps + 1),
                NDArrayIndex.all(), NDArrayIndex.all()));
        if (training) {
            keptValid = true;
            keptInput = input;
            keptMask = maskArray;
        }
        return permuteIfNWC(out);
    }

    private Buffers buffers(long mb, long steps, long nIn, long h) {
        if (buffers == null || !buffers.fits(mb, steps, dataType)) {
            discard(buffers);
            buffers = null;
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                Buffers b = newBuffers(mb, steps, nIn, h);
                b.xRows = b.matrix(steps * mb, nIn);
                b.hs = b.matrix((steps + 1) * h, mb);
                b.h = Buffers.steps(b.hs, steps + 1, h, 0, h);
                b.hT = Buffers.transposed(b.h);
                b.mask = b.matrix(steps, mb);
                b.m = Buffers.steps(b.mask, steps, 1, 0, 1);
                buffers = b;
            }
        }
        return buffers;
    }

    /**
     * Inference with unusual shapes (a big evaluation batch, a very long sequence) should not leave its working
     * memory attached to the layer; training shapes repeat, and their memory is kept for the next minibatch.
     */
    private void releaseIfLarge(boolean training) {
        if (!training && buffers != null) {
            // estimate: input copy plus about eight hidden-sized sequences (gates, products, states)
            long elements = buffers.xRows.length() + 8 * buffers.hs.length();
            if (elements * buffers.dataType.width() > RETAIN_LIMIT_BYTES) {
                discard(buffers);
                buffers = null;
                keptValid = false;
            }
        }
    }

    /** Off-heap bytes of working memory dropped since the last requested collection, all layers together. */
    private static final AtomicLong DISCARDED = new AtomicLong();
    /** Dropped working memory that makes the layer ask for a garbage collection. */
    private static final long COLLECT_AFTER_BYTES = 1L << 30;

    /**
     * Counts working memory that is no longer used. ND4J frees an array's off-heap memory only when the Java object
     * is collected, and these objects are small: with shapes that change every minibatch (variable-length speech
     * clips) the heap rarely fills, so nothing is collected while gigabytes of dropped buffers pile up off-heap
     * (a 1,500-step speech run reached 16 GB). After {@value #COLLECT_AFTER_BYTES} bytes the layer asks for a
     * collection; with fixed shapes (char-LM training) buffers are kept and this never runs.
     */
    private static void discard(Buffers b) {
        if (b == null) {
            return;
        }
        // input copy plus gates, products, states and their gradients: about a dozen hidden-sized sequences
        long bytes = (b.xRows.length() + 12 * b.hs.length()) * b.dataType.width();
        if (DISCARDED.addAndGet(bytes) > COLLECT_AFTER_BYTES) {
            DISCARDED.set(0);
            System.gc();
        }
    }

    /**
     * Working memory of a layer's single-step path ({@link #singleStep}): feature-major {@code [k, mb]} blocks for
     * the input projection and the recurrent product of all gates, the previous output, and for cells with a memory
     * the previous cell state as {@code [mb, H]} rows; each with its F-order transpose or native memory.
     */
    protected static final class StepBuffers {
        final long mb;
        final DataType dataType;
        final INDArray projT;
        final INDArray recT;
        final INDArray hPrevT;
        /** Null for cells without a cell state. */
        final INDArray cPrevRows;
        final NativeMem proj;
        final NativeMem rec;
        final NativeMem hPrev;
        final NativeMem cPrev;
        /** The state arrays this layer stored after the last step, which it can read directly. */
        INDArray lastH;
        INDArray lastC;

        StepBuffers(long mb, long h, int gates, boolean cellState, DataType dataType) {
            this.mb = mb;
            this.dataType = dataType;
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray p = Nd4j.createUninitialized(dataType, new long[] {gates * h, mb}, 'c');
                INDArray r = Nd4j.createUninitialized(dataType, new long[] {gates * h, mb}, 'c');
                INDArray hp = Nd4j.createUninitialized(dataType, new long[] {h, mb}, 'c');
                cPrevRows = cellState ? Nd4j.createUninitialized(dataType, new long[] {mb, h}, 'c') : null;
                projT = p.transpose();
                recT = r.transpose();
                hPrevT = hp.transpose();
                proj = NativeMem.of(p);
                rec = NativeMem.of(r);
                hPrev = NativeMem.of(hp);
                cPrev = cellState ? NativeMem.of(cPrevRows) : null;
            }
        }

        /** Whether every block has native memory (the CPU backend); otherwise the layer takes the sequence path. */
        boolean usable() {
            return proj != null && rec != null && hPrev != null && (cPrevRows == null || cPrev != null);
        }
    }

    private StepBuffers stepBuffers;

    /**
     * The single-step buffers for a batch of {@code mb}, kept while the batch size stays; null where they have no
     * native memory.
     */
    protected StepBuffers stepBuffers(long mb, long h, int gates, boolean cellState) {
        StepBuffers s = stepBuffers;
        if (s == null || s.mb != mb || s.dataType != dataType) {
            s = new StepBuffers(mb, h, gates, cellState, dataType);
            if (!s.usable()) {
                return null;
            }
            stepBuffers = s;
        }
        return s;
    }

    /** One step's input projection into {@code s.projT}: BLAS gemv for batch 1 (see {@link Gemv}), else gemm. */
    protected static void projectStep(StepBuffers s, INDArray in, INDArray w) {
        INDArray x2 = in.reshape(in.ordering(), in.size(0), in.size(1));
        if (s.mb != 1 || !Gemv.times(x2, x2.stride(1), w, s.projT)) {
            setGemm(x2, w, s.projT);
        }
    }

    /**
     * Loads the previous output {@code h0} ({@code [mb, H]}) into the feature-major block and computes the recurrent
     * product into {@code s.recT}; false (nothing done) when there is no previous output.
     */
    protected static boolean recurStep(StepBuffers s, INDArray h0, INDArray rw, int hh) {
        if (h0 == null) {
            return false;
        }
        int mb = (int) s.mb;
        NativeMem own = h0 == s.lastH ? NativeMem.of(h0) : null;
        if (own != null) {
            // the stored [mb, H] C-order state into the feature-major block the product reads
            for (int i = 0; i < mb; i++) {
                for (int j = 0; j < hh; j++) {
                    s.hPrev.set(j * mb + i, own.get(i * hh + j));
                }
            }
        } else {
            s.hPrevT.assign(h0);
        }
        if (mb != 1 || !Gemv.times(s.hPrevT, 1, rw, s.recT)) {
            setGemm(s.hPrevT, rw, s.recT);
        }
        return true;
    }

    /** The previous cell state as native {@code [mb, H]} rows: the stored array itself, or a copy; null if none. */
    protected static NativeMem cellStep(StepBuffers s, INDArray c0) {
        if (c0 == null) {
            return null;
        }
        NativeMem cp = c0 == s.lastC ? NativeMem.of(c0) : null;
        if (cp == null) {
            s.cPrevRows.assign(c0);
            cp = s.cPrev;
        }
        return cp;
    }

    /** Working memory above this size is dropped after an inference pass. */
    private static final long RETAIN_LIMIT_BYTES = 256L << 20;

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = forward(training, null, workspaceMgr);
        releaseIfLarge(training);
        return out;
    }

    /** Output {@code [mb, H, 1]} and state to store after one {@link #singleStep}. */
    protected record Step(INDArray out, Map<String, INDArray> state) {
    }

    /**
     * One time step of inference from a stored state, for {@code rnnTimeStep} with a single step (sampling one
     * token at a time): no sequence-sized working arrays, as few native calls as possible. Null where the subclass
     * has no such path.
     *
     * @param in    input {@code [mb, nIn, 1]}
     * @param state stored state (keys as in {@link #rnnGetPreviousState()}), or empty for zeros
     */
    protected Step singleStep(INDArray in, Map<String, INDArray> state, LayerWorkspaceMgr mgr) {
        return null;
    }

    private void checkStateBatch(Map<String, INDArray> state, long mb) {
        if (state != null) {
            INDArray h0 = state.get(STATE_KEY_PREV_ACTIVATION);
            Preconditions.checkState(h0 == null || h0.size(0) == mb,
                    "Stored state of layer %s has minibatch size %s but the input has %s: call rnnClearPreviousState()"
                            + " between sequences of different batch size", layerId(),
                    h0 == null ? 0 : h0.size(0), mb);
        }
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        if (maskArray == null && input.rank() == 3 && NativeMem.supports(dataType)) {
            INDArray in = permuteIfNWC(input.castTo(dataType));
            if (in.size(2) == 1 && in.size(1) == layerConf().getNIn()) {
                checkStateBatch(stateMap, in.size(0));
                keptValid = false;
                Step s = singleStep(in, stateMap, workspaceMgr);
                if (s != null) {
                    stateMap.clear();
                    stateMap.putAll(s.state());
                    return permuteIfNWC(s.out());
                }
            }
        }
        INDArray out = forward(false, stateMap, workspaceMgr);
        Map<String, INDArray> last = lastState(buffers);
        stateMap.clear();
        stateMap.putAll(last);
        releaseIfLarge(false);
        return out;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        INDArray out = forward(training, tBpttStateMap, workspaceMgr);
        if (storeLastForTBPTT) {
            Map<String, INDArray> last = lastState(buffers);
            tBpttStateMap.clear();
            tBpttStateMap.putAll(last);
        }
        releaseIfLarge(training);
        return out;
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
        if (!keptValid || keptInput != input || keptMask != maskArray) {
            forward(true, state, mgr);
        }
        keptValid = false;
        Buffers b = buffers;
        long mb = b.mb;
        long steps = b.steps;
        long h = layerConf().getNOut();
        long nIn = layerConf().getNIn();
        if (b.dhs == null) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                b.dhs = b.matrix(steps * h, mb);
                b.dh = Buffers.steps(b.dhs, steps, h, 0, h);
                b.dhT = Buffers.transposed(b.dh);
                b.hPrevRows = b.matrix(steps * mb, h);
                b.dxRows = b.matrix(steps * mb, nIn);
                allocateBackward(b, nIn, h);
            }
        }
        INDArray eps = permuteIfNWC(epsilon).castTo(dataType);
        b.dhs.reshape('c', steps, h, mb).assign(eps.permute(2, 1, 0));
        // only the weight-gradient products read the previous states: copied on the second core, ahead of them
        offload(() -> b.hPrevRows.reshape('c', steps, mb, h).assign(Buffers.seq3(b.hs, steps + 1, h, 0, h)
                .get(NDArrayIndex.interval(0, steps), NDArrayIndex.all(), NDArrayIndex.all()).permute(0, 2, 1)));
        long end = backLength > 0 ? Math.max(0, steps - backLength) : 0;
        Gradient g;
        try {
            g = backwardKernel(b, masked, end, mgr);
        } finally {
            awaitOffloaded();
        }
        weightNoiseParams.clear();
        INDArray epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {mb, nIn, steps},
                'f');
        epsOut.assign(b.dxRows.reshape('c', steps, mb, nIn).permute(1, 2, 0));
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(g, permuteIfNWC(epsOut));
    }

    // ---------------------------------------------------------------- products on the second core

    /**
     * The worker that runs whole-sequence products next to the recurrence. Why: the time loop is sequential and,
     * for the sizes trained here, bound by per-call overhead on one core, while the input projection and the
     * weight-gradient products (a third to a half of a training step's arithmetic) depend only on steps the loop
     * has already finished. So the sequence is cut into chunks of time steps: in the forward pass the worker
     * projects chunk {@code c + 1} while the loop runs through chunk {@code c}; in backprop the worker multiplies
     * out a chunk's weight and input gradients as soon as the loop has left it. The chunks and the order of the
     * partial sums are the same with or without the worker, so results do not depend on it. One daemon thread for
     * all layers, on the CPU backend when the machine has at least two cores; the system property
     * {@code rnnsuite.cells.overlap=false} (or {@link #setOverlap}) runs the same chunks inline instead.
     */
    private static volatile ExecutorService worker = newWorker(
            !"false".equalsIgnoreCase(System.getProperty("rnnsuite.cells.overlap"))
                    && Runtime.getRuntime().availableProcessors() >= 2 && Nd4j.getEnvironment().isCPU());

    private static ExecutorService newWorker(boolean on) {
        return on ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rnnsuite-cell-products");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Whether sequence products run on the second-core worker. */
    public static boolean overlap() {
        return worker != null;
    }

    /** Turns the second-core worker on or off (off: chunks run inline); returns whether it was on. */
    public static synchronized boolean setOverlap(boolean on) {
        boolean was = worker != null;
        if (on != was) {
            ExecutorService old = worker;
            worker = newWorker(on);
            if (old != null) {
                old.shutdown();
            }
        }
        return was;
    }

    /** Rows of a sequence chunk per product: at least this many, so that BLAS still runs near its peak. */
    private static volatile long minChunkRows = 256;
    /** At most this many chunks per sequence: each costs a few calls of overhead. */
    private static final long MAX_CHUNKS = 8;

    /** Sets the least rows per chunk (tests use 1 to cut short sequences into many chunks); returns the old value. */
    static long setMinChunkRows(long rows) {
        long was = minChunkRows;
        minChunkRows = Math.max(1, rows);
        return was;
    }

    /** Time steps per chunk for a sequence of {@code steps} steps of {@code mb} rows. */
    static long chunkSteps(long steps, long mb) {
        long byRows = (minChunkRows + mb - 1) / mb;
        long byCount = (steps + MAX_CHUNKS - 1) / MAX_CHUNKS;
        return Math.max(1, Math.min(steps, Math.max(byRows, byCount)));
    }

    private final List<Future<?>> offloaded = new ArrayList<>();

    /** Runs {@code work} on the worker, or at once where there is none. */
    protected final void offload(Runnable work) {
        ExecutorService w = worker;
        if (w == null) {
            work.run();
        } else {
            offloaded.add(w.submit(work));
        }
    }

    /** Waits for everything {@link #offload}ed so far, in order, and rethrows the first failure. */
    protected final void awaitOffloaded() {
        RuntimeException failure = null;
        for (Future<?> f : offloaded) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("sequence product failed in layer " + layerId(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IllegalStateException("interrupted while waiting for a sequence product", e);
                }
            }
        }
        offloaded.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Rows {@code [r0, r1)} of a matrix, a view. */
    static INDArray rows(INDArray m, long r0, long r1) {
        return m.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
    }

    /**
     * The input projection {@code x W + b} of all steps, rearranged feature-major into {@code gates} ({@code k}
     * rows per step), chunk by chunk on the worker; {@link Projection#await} before a step reads its gates.
     */
    protected final Projection project(Buffers b, INDArray w, INDArray bias, INDArray gates, long k) {
        return new Projection(b, w, bias, gates, k);
    }

    /** See {@link #project}. */
    protected final class Projection {
        private final long chunk;
        private final List<Future<?>> parts = new ArrayList<>();
        private int ready;

        Projection(Buffers b, INDArray w, INDArray bias, INDArray gates, long k) {
            long mb = b.mb;
            chunk = chunkSteps(b.steps, mb);
            for (long s0 = 0; s0 < b.steps; s0 += chunk) {
                long s1 = Math.min(b.steps, s0 + chunk);
                long from = s0;
                Runnable part = () -> {
                    INDArray proj = rows(b.proj, from * mb, s1 * mb);
                    Nd4j.gemm(rows(b.xRows, from * mb, s1 * mb), w, proj, false, false, 1.0, 0.0);
                    proj.addiRowVector(bias);
                    toFeatureMajor(proj, rows(gates, from * k, s1 * k), s1 - from, mb, k);
                };
                ExecutorService ex = worker;
                if (ex == null || s0 == 0) {
                    // the loop needs the first chunk at once: computing it here saves a hand-over
                    part.run();
                } else {
                    Future<?> f = ex.submit(part);
                    parts.add(f);
                    offloaded.add(f);
                }
            }
        }

        /** Waits until the gates of step {@code t} are written. */
        public void await(int t) {
            // parts holds chunks 1.. (chunk 0 was computed in the constructor, or all of them without a worker)
            int c = (int) (t / chunk) - 1;
            while (ready <= c && ready < parts.size()) {
                try {
                    parts.get(ready).get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("input projection failed in layer " + layerId(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the input projection", e);
                }
                ready++;
            }
        }
    }

    /** Work on a chunk of time steps {@code [s0, s1)}; {@code first} for the first chunk of a pass. */
    @FunctionalInterface
    protected interface ChunkWork {
        void run(long s0, long s1, boolean first);
    }

    /**
     * Hands chunks of finished backward steps on: call {@link #stepDone} after each step's gradients wrt the
     * pre-activations are written (steps come from the top down), and {@link #finish} after the loop. Per chunk
     * there are three pieces of work: {@code rows} rearranges the chunk's gradients into time-major rows
     * ({@code b.dRows} and whatever else the cell needs), {@code weights} multiplies out the weight gradients
     * (overwriting them for the first chunk, adding after that), and the gradient wrt the input
     * {@code dx = dRows W^T} for the chunk's rows. The weight products always go to the worker: nothing in backprop
     * waits for them. The other two go with them while the worker keeps up (small layers, where the loop is the
     * long pole), and otherwise stay on the calling thread, the input products after the loop, which balances the
     * two cores for large layers. The chunks and the order of the sums are the same either way, so the numbers do
     * not depend on where the work ran.
     */
    protected final class BackwardChunks {
        private final Buffers b;
        private final INDArray w;
        private final long chunk;
        private final ChunkWork rows;
        private final ChunkWork weights;
        private final List<long[]> inputHere = new ArrayList<>();
        private Future<?> last;
        private long hi;
        private boolean first = true;

        BackwardChunks(Buffers b, INDArray w, ChunkWork rows, ChunkWork weights) {
            this.b = b;
            this.w = w;
            this.chunk = chunkSteps(b.steps, b.mb);
            this.rows = rows;
            this.weights = weights;
            this.hi = b.steps;
        }

        /** Step {@code t} is final: hands on the chunk it completes, if any. */
        public void stepDone(long t) {
            if (hi - t >= chunk && t > 0) {
                submit(t, hi);
                hi = t;
            }
        }

        /**
         * Hands on the rest (steps below the backprop window have zero gradients and are included) and computes the
         * input gradients left to this thread; the caller then waits with {@link #awaitOffloaded}.
         */
        public void finish() {
            if (hi > 0) {
                submit(0, hi);
                hi = 0;
            }
            for (long[] c : inputHere) {
                input(c[0], c[1]);
            }
            inputHere.clear();
        }

        private void input(long s0, long s1) {
            Nd4j.gemm(rows(b.dRows, s0 * b.mb, s1 * b.mb), w, rows(b.dxRows, s0 * b.mb, s1 * b.mb), false, true,
                    1.0, 0.0);
        }

        private void submit(long s0, long s1) {
            boolean f = first;
            first = false;
            ExecutorService ex = worker;
            if (ex == null) {
                rows.run(s0, s1, f);
                weights.run(s0, s1, f);
                input(s0, s1);
            } else if (last == null || last.isDone()) {
                last = ex.submit(() -> {
                    rows.run(s0, s1, f);
                    weights.run(s0, s1, f);
                    input(s0, s1);
                });
                offloaded.add(last);
            } else {
                rows.run(s0, s1, f);
                last = ex.submit(() -> weights.run(s0, s1, f));
                offloaded.add(last);
                inputHere.add(new long[] {s0, s1});
            }
        }
    }

    /**
     * {@link BackwardChunks} for a cell whose gradient wrt its pre-activations is one feature-major array {@code dA}
     * ({@code k} rows per step) that both the input and the recurrent weights see: rows go to {@code b.dRows}, the
     * weight gradients into {@code gW} and {@code gRW}.
     */
    protected final BackwardChunks backwardChunks(Buffers b, INDArray dA, long k, INDArray w, INDArray gW,
            INDArray gRW) {
        long mb = b.mb;
        return backwardChunks(b, w, (s0, s1, first) ->
                toRows(rows(dA, s0 * k, s1 * k), k, 0, k, rows(b.dRows, s0 * mb, s1 * mb), 0, s1 - s0, mb),
                (s0, s1, first) -> {
                    double beta = first ? 0.0 : 1.0;
                    INDArray dRows = rows(b.dRows, s0 * mb, s1 * mb);
                    Nd4j.gemm(rows(b.xRows, s0 * mb, s1 * mb), dRows, gW, true, false, 1.0, beta);
                    Nd4j.gemm(rows(b.hPrevRows, s0 * mb, s1 * mb), dRows, gRW, true, false, 1.0, beta);
                });
    }

    /** See {@link BackwardChunks}; {@code w} is the input weight matrix. */
    protected final BackwardChunks backwardChunks(Buffers b, INDArray w, ChunkWork rows, ChunkWork weights) {
        return new BackwardChunks(b, w, rows, weights);
    }

    // ---------------------------------------------------------------- shared utilities

    /**
     * Writes the stored state, or zeros, into block 0 ({@code [H, mb]}) of a state sequence. Stored states are
     * {@code [mb, H]}, as DL4J's own recurrent layers keep them.
     */
    static void initialState(INDArray block0, INDArray stored) {
        if (stored != null) {
            block0.assign(stored.transpose());
        } else {
            block0.assign(0);
        }
    }

    /**
     * {@code c += a * op(b)} for the per-step recurrent product, on F-order views (the transposes of the C-order
     * per-step blocks), straight to BLAS where it can be reached ({@link Gemm}), else through ND4J's level-3 wrapper.
     */
    static void stepGemm(INDArray a, INDArray b, INDArray c, boolean transposeB) {
        if (Gemm.direct()) {
            Gemm.times(a, b, c, false, transposeB, 1.0, 1.0);
        } else {
            Nd4j.getBlasWrapper().level3().gemm(a, b, c, false, transposeB, 1.0, 1.0);
        }
    }

    /** {@code c = a * b}, as {@link #stepGemm}. */
    static void setGemm(INDArray a, INDArray b, INDArray c) {
        if (Gemm.direct()) {
            Gemm.times(a, b, c, false, false, 1.0, 0.0);
        } else {
            Nd4j.getBlasWrapper().level3().gemm(a, b, c, false, false, 1.0, 0.0);
        }
    }

    /**
     * {@code z = x + y} as ND4J's legacy pairwise op, about half the call overhead of {@code INDArray.add}, which goes
     * through the broadcasting custom op.
     */
    static void add(INDArray x, INDArray y, INDArray z) {
        Nd4j.getExecutioner().exec(new Axpy(x, y, z, 1.0));
    }

    /**
     * {@code sums = } the column sums of time-major rows {@code [T*mb, k]} (a bias gradient), as the product
     * {@code ones^T rows} by BLAS gemv where available: ND4J's sum along dimension 0 of such an array was measured at
     * 7-9 ms for 2048 x 768 float32, against 0.15-0.5 ms for the gemv, and took about as long as half a
     * weight-gradient product.
     */
    static void columnSums(Buffers b, INDArray rows, INDArray sums) {
        if (b.ones == null || b.ones.length() != rows.size(0)) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                b.ones = Nd4j.ones(b.dataType, rows.size(0));
            }
        }
        if (!Gemv.times(b.ones, 1, rows, sums)) {
            rows.sum(sums.reshape(sums.length()), 0);
        }
    }

    /** A detached {@code [mb, H]} copy of a {@code [H, mb]} state block, outside any workspace. */
    static INDArray detachedCopy(INDArray a) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.transpose().dup('c');
        }
    }

    static Map<String, INDArray> stateOf(String k1, INDArray v1) {
        Map<String, INDArray> m = new HashMap<>();
        m.put(k1, detachedCopy(v1));
        return m;
    }

    /** Rearranges the time-major projection {@code [T*mb, k]} into the feature-major sequence {@code [T*k, mb]}. */
    static void toFeatureMajor(INDArray rows, INDArray seq, long steps, long mb, long k) {
        seq.reshape('c', steps, k, mb).assign(rows.reshape('c', steps, mb, k).permute(0, 2, 1));
    }

    /** The inverse of {@link #toFeatureMajor}, for rows {@code [r0, r1)} of each step into columns of {@code rows}. */
    static void toRows(INDArray seq, long k, long r0, long r1, INDArray rows, long c0, long steps, long mb) {
        INDArray dst = rows.reshape('c', steps, mb, rows.size(1)).get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(c0, c0 + (r1 - r0)));
        dst.assign(Buffers.seq3(seq, steps, k, r0, r1).permute(0, 2, 1));
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
        keptValid = false;
        keptInput = null;
        keptMask = null;
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
