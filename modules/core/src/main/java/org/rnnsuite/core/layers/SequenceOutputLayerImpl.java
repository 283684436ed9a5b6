package org.rnnsuite.core.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.rnnsuite.core.cells.Gemm;
import org.rnnsuite.core.cells.NativeMem;

/**
 * The layer {@link SequenceOutputLayer} configures: while backpropagating it also computes the loss from the same
 * pre-activations, and the {@code computeScore} call that follows in the same training step returns that value
 * instead of recomputing the layer. The cached loss is used at most once, and only when the layer's input, labels
 * and mask are still the very arrays it was computed from; any other call is DL4J's own computation.
 *
 * <p>For the usual configuration (softmax with cross-entropy, unweighted, NCW data, a mask per time step or none,
 * no dropout or weight noise on this layer) backprop takes a fused path: one input copy, one product, one bias add
 * and one softmax forward; then a single Java loop over the layer's own memory computes the loss, the gradient
 * {@code (p - y) * mask} in place and the bias gradient; two products give the weight gradient and the epsilon.
 * DL4J's path computes the softmax twice (once for the score, once for the gradient) and copies the
 * pre-activations and the probabilities; in a 1x128 char-LM training profile the output layer took about a fifth
 * of the step. The working arrays belong to the layer and are kept while the shape stays the same. The maths is
 * DL4J's, including the clipping of probabilities to {@code [eps, 1 - eps]} in the score (LossMCXENT's
 * {@code softmaxClipEps}); anything else takes DL4J's path.
 */
public class SequenceOutputLayerImpl extends RnnOutputLayer {
    private boolean inBackprop;
    /** Whether the last backprop took the fused path (for tests). */
    boolean lastBackpropFused;
    private double lossSum = Double.NaN;
    private INDArray scoredInput;
    private INDArray scoredLabels;
    private INDArray scoredMask;

    public SequenceOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray input3d = input;
        forget();
        lastBackpropFused = false;
        if (fusable()) {
            Pair<Gradient, INDArray> fused = fusedBackprop(workspaceMgr);
            lastBackpropFused = fused != null;
            if (fused != null) {
                scoredInput = input3d;
                scoredLabels = labels;
                scoredMask = maskArray;
                return fused;
            }
        }
        inBackprop = true;
        try {
            Pair<Gradient, INDArray> out = super.backpropGradient(epsilon, workspaceMgr);
            if (!Double.isNaN(lossSum)) {
                scoredInput = input3d;
                scoredLabels = labels;
                scoredMask = maskArray;
            }
            return out;
        } finally {
            inBackprop = false;
        }
    }

    /** Whether the configuration is one the fused path computes exactly as DL4J does. */
    private boolean fusable() {
        ILossFunction loss = layerConf().getLossFn();
        return loss instanceof LossMCXENT mcx && mcx.getWeights() == null
                && layerConf().getActivationFn() instanceof ActivationSoftmax
                && layerConf().getRnnDataFormat() == RNNFormat.NCW
                && layerConf().getIDropout() == null && layerConf().getWeightNoise() == null
                && hasBias() && input != null && input.rank() == 3 && labels != null && labels.rank() == 3
                && NativeMem.supports(dataType)
                && (maskArray == null || maskArray.length() == input.size(0) * input.size(2));
    }

    /** Layer-owned working memory for one (rows, inputs, outputs) shape; rows are time-major, {@code t*mb + i}. */
    private static final class Buffers {
        final long rows;
        final long nIn;
        final long nOut;
        final DataType dataType;
        /** Input {@code [N, nIn]}, C order. */
        final INDArray x;
        /** Pre-activations, then probabilities, then the gradient wrt the pre-activations, {@code [N, nOut]}. */
        final INDArray p;
        /** Labels {@code [N, nOut]}. */
        final INDArray y;
        /** Gradient wrt the input {@code [N, nIn]}. */
        final INDArray dx;
        /** The bias gradient {@code [1, nOut]}, written from Java. */
        final INDArray db;
        final NativeMem pM;
        final NativeMem yM;
        final NativeMem dbM;
        /** Float copies of {@code p} and {@code y} for the loss loop, allocated on first use. */
        float[] pArr;
        float[] yArr;

        Buffers(long rows, long nIn, long nOut, DataType dataType) {
            this.rows = rows;
            this.nIn = nIn;
            this.nOut = nOut;
            this.dataType = dataType;
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                x = Nd4j.createUninitialized(dataType, new long[] {rows, nIn}, 'c');
                p = Nd4j.createUninitialized(dataType, new long[] {rows, nOut}, 'c');
                y = Nd4j.createUninitialized(dataType, new long[] {rows, nOut}, 'c');
                dx = Nd4j.createUninitialized(dataType, new long[] {rows, nIn}, 'c');
                db = Nd4j.createUninitialized(dataType, new long[] {1, nOut}, 'c');
            }
            pM = NativeMem.of(p);
            yM = NativeMem.of(y);
            dbM = NativeMem.of(db);
        }

        boolean fits(long rows, long nIn, long nOut, DataType dataType) {
            return this.rows == rows && this.nIn == nIn && this.nOut == nOut && this.dataType == dataType;
        }

        boolean usable() {
            return pM != null && yM != null && dbM != null;
        }
    }

    private Buffers buffers;

    /** Backprop and loss in one pass (see the class comment); null where the layer's memory is not reachable. */
    private Pair<Gradient, INDArray> fusedBackprop(LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        long mb = input.size(0);
        long nIn = input.size(1);
        long steps = input.size(2);
        long nOut = layerConf().getNOut();
        int rows = Math.toIntExact(mb * steps);
        int k = Math.toIntExact(nOut);
        if (buffers == null || !buffers.fits(rows, nIn, nOut, dataType)) {
            buffers = new Buffers(rows, nIn, nOut, dataType);
        }
        Buffers b = buffers;
        if (!b.usable() || labels.size(0) != mb || labels.size(1) != nOut || labels.size(2) != steps) {
            return null;
        }
        INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, mgr);
        INDArray bias = getParamWithNoise(DefaultParamInitializer.BIAS_KEY, true, mgr);
        b.x.reshape('c', steps, mb, nIn).assign(input.castTo(dataType).permute(2, 0, 1));
        b.y.reshape('c', steps, mb, nOut).assign(labels.castTo(dataType).permute(2, 0, 1));
        Gemm.times(b.x, w, b.p, false, false, 1.0, 0.0);
        b.p.addiRowVector(bias);
        Nd4j.exec(new SoftMax(b.p, b.p, 1));
        // DL4J's mask for this layer is the [mb, T] mask raveled in F order: row t*mb + i, as ours
        double[] mask = maskArray == null ? null : NativeMem.copyOf(maskArray);
        double eps = ((LossMCXENT) layerConf().getLossFn()).getSoftmaxClipEps();
        double[] db = new double[k];
        double loss = dataType == DataType.FLOAT ? lossAndDelta(b, rows, k, mask, eps, db)
                : lossAndDelta(b.pM, b.yM, rows, k, mask, eps, db);
        for (int j = 0; j < k; j++) {
            b.dbM.set(j, db[j]);
        }
        INDArray gW = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray gB = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        Gemm.times(b.x, b.p, gW, true, false, 1.0, 0.0);
        gB.assign(b.db.reshape(gB.shape()));
        Gemm.times(b.p, w, b.dx, false, true, 1.0, 0.0);
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, gW);
        g.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, gB);
        INDArray eps3 = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {mb, nIn, steps}, 'f');
        eps3.permute(2, 0, 1).assign(b.dx.reshape('c', steps, mb, nIn));
        weightNoiseParams.clear();
        lossSum = loss;
        return new Pair<>(g, eps3);
    }

    /**
     * The loss, and {@code (p - y) * mask} in place of {@code p}, with the bias gradient summed into {@code db};
     * on float arrays copied in and out in bulk (a few times faster than element access to the native memory).
     */
    private static double lossAndDelta(Buffers b, int rows, int k, double[] mask, double eps, double[] db) {
        int n = rows * k;
        if (b.pArr == null || b.pArr.length != n) {
            b.pArr = new float[n];
            b.yArr = new float[n];
        }
        float[] p = b.pArr;
        float[] y = b.yArr;
        java.nio.FloatBuffer pb = b.p.data().asNioFloat();
        pb.get(0, p, 0, n);
        b.y.data().asNioFloat().get(0, y, 0, n);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double m = mask == null ? 1.0 : mask[r];
            int o = r * k;
            for (int j = 0; j < k; j++) {
                double pj = p[o + j];
                double yj = y[o + j];
                if (yj != 0 && m != 0) {
                    // as LossMCXENT.scoreArray: log of the clipped probability, times the label, masked
                    double q = eps > 0 ? Math.min(Math.max(pj, eps), 1.0 - eps) : pj;
                    loss -= Math.log(q) * yj * m;
                }
                double d = (pj - yj) * m;
                p[o + j] = (float) d;
                db[j] += d;
            }
        }
        pb.put(0, p, 0, n);
        return loss;
    }

    /** {@link #lossAndDelta(Buffers, int, int, double[], double, double[])} through element access, any type. */
    private static double lossAndDelta(NativeMem p, NativeMem y, int rows, int k, double[] mask, double eps,
            double[] db) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double m = mask == null ? 1.0 : mask[r];
            int o = r * k;
            for (int j = 0; j < k; j++) {
                double pj = p.get(o + j);
                double yj = y.get(o + j);
                if (yj != 0 && m != 0) {
                    double q = eps > 0 ? Math.min(Math.max(pj, eps), 1.0 - eps) : pj;
                    loss -= Math.log(q) * yj * m;
                }
                double d = (pj - yj) * m;
                p.set(o + j, d);
                db[j] += d;
            }
        }
        return loss;
    }

    @Override
    protected INDArray preOutput2d(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray preOut = super.preOutput2d(training, workspaceMgr);
        if (inBackprop && training && labels != null) {
            lossSum = layerConf().getLossFn().computeScore(getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM),
                    preOut, layerConf().getActivationFn(), maskArray, false);
        }
        return preOut;
    }

    /** The labels reshaped once per backprop pass: the loss above and the gradient after it both need them. */
    private INDArray labels2d;
    private INDArray labels2dOf;

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        if (!inBackprop || arrayType != ArrayType.BP_WORKING_MEM) {
            return super.getLabels2d(workspaceMgr, arrayType);
        }
        if (labels2d == null || labels2dOf != labels) {
            labels2d = super.getLabels2d(workspaceMgr, arrayType);
            labels2dOf = labels;
        }
        return labels2d;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        boolean fresh = training && !Double.isNaN(lossSum) && input == scoredInput && labels == scoredLabels
                && maskArray == scoredMask;
        if (!fresh) {
            forget();
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        // as BaseOutputLayer.computeScore: the loss per example, plus the regularization term
        double s = lossSum;
        if (conf().isMiniBatch()) {
            s /= getInputMiniBatchSize();
        }
        s += fullNetRegTerm;
        forget();
        this.score = s;
        return s;
    }

    @Override
    public void clear() {
        super.clear();
        forget();
    }

    private void forget() {
        labels2d = null;
        labels2dOf = null;
        lossSum = Double.NaN;
        scoredInput = null;
        scoredLabels = null;
        scoredMask = null;
    }
}
