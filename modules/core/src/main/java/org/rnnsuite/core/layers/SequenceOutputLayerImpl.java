package org.rnnsuite.core.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer {@link SequenceOutputLayer} configures: while backpropagating it also computes the loss from the same
 * pre-activations, and the {@code computeScore} call that follows in the same training step returns that value
 * instead of recomputing the layer. The cached loss is used at most once, and only when the layer's input, labels
 * and mask are still the very arrays it was computed from; any other call is DL4J's own computation.
 */
public class SequenceOutputLayerImpl extends RnnOutputLayer {
    private boolean inBackprop;
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
