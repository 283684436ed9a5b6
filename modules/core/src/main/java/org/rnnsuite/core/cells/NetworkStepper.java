package org.rnnsuite.core.cells;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * A stack of recurrent cells with a softmax output layer stepped one input at a time for one sequence, in plain Java
 * ({@link CellStepper}): what {@code rnnTimeStep} does for a batch of 1 and a single step, without its native calls.
 * For generation (a char-LM, a decoder), where each step's input depends on the previous output, and for live
 * streaming. Between the cells and the output layer there may be a mean over time (DL4J's
 * {@code GlobalPoolingLayer} with {@code AVG}, a sequence classifier's readout): each step then returns the
 * classification of the sequence so far. Made from a copy of the parameters; {@link #of} is empty where a layer is
 * not covered (another cell, a preprocessor, another pooling, an output layer other than softmax), and callers keep
 * {@code rnnTimeStep} there.
 */
public final class NetworkStepper {
    private final List<CellStepper> cells;
    /** Running sum of the last cell's outputs for a mean readout, else null. */
    private final double[] sum;
    private final float[] mean;
    private int steps;
    /** Output weights {@code [hidden][classes]}, one array per row, and bias. */
    private final float[][] w;
    private final float[] b;
    private final float[] probs;
    private final float[] oneHot;

    private NetworkStepper(List<CellStepper> cells, boolean meanReadout, float[][] w, float[] b) {
        this.cells = cells;
        int h = cells.get(cells.size() - 1).hiddenSize();
        this.sum = meanReadout ? new double[h] : null;
        this.mean = meanReadout ? new float[h] : null;
        this.w = w;
        this.b = b;
        this.probs = new float[b.length];
        this.oneHot = new float[cells.get(0).inputSize()];
    }

    /** The network as steps, or empty where some layer has none. */
    public static Optional<NetworkStepper> of(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (layers.length < 2) {
            return Optional.empty();
        }
        int last = layers.length - 1;
        boolean meanReadout = layers[last - 1].conf().getLayer() instanceof GlobalPoolingLayer pool
                && pool.getPoolingType() == PoolingType.AVG && conf.getInputPreProcess(last - 1) == null;
        List<CellStepper> cells = new ArrayList<>();
        for (int i = 0; i < (meanReadout ? last - 1 : last); i++) {
            Optional<CellStepper> s = conf.getInputPreProcess(i) == null ? CellStepper.of(layers[i]) : Optional.empty();
            if (s.isEmpty()) {
                return Optional.empty();
            }
            cells.add(s.get());
        }
        if (cells.isEmpty()) {
            return Optional.empty();
        }
        Layer output = layers[layers.length - 1];
        InputPreProcessor pre = conf.getInputPreProcess(last);
        // after the mean, DL4J's RNN-to-dense preprocessor passes the [batch, hidden] rows through unchanged
        if (pre != null && !(meanReadout && pre instanceof RnnToFeedForwardPreProcessor)
                || !(output.conf().getLayer() instanceof BaseOutputLayer out)
                || !(out.getActivationFn() instanceof ActivationSoftmax)) {
            return Optional.empty();
        }
        float[][] w = CellStepper.rows(output.getParam("W"));
        float[] b = CellStepper.floats(output.getParam("b"));
        if (w.length != cells.get(cells.size() - 1).hiddenSize()) {
            return Optional.empty();
        }
        return Optional.of(new NetworkStepper(cells, meanReadout, w, b));
    }

    /** Input size of a step. */
    public int inputSize() {
        return oneHot.length;
    }

    /** Back to the zero state (and an empty mean). */
    public void reset() {
        cells.forEach(CellStepper::reset);
        if (sum != null) {
            Arrays.fill(sum, 0);
        }
        steps = 0;
    }

    /**
     * Advances by input {@code x} and returns the output layer's probabilities: the stepper's own array, overwritten
     * by the next step.
     */
    public float[] step(float[] x) {
        float[] h = x;
        for (CellStepper c : cells) {
            h = c.step(h);
        }
        steps++;
        if (sum != null) {
            for (int k = 0; k < h.length; k++) {
                sum[k] += h[k];
                mean[k] = (float) (sum[k] / steps);
            }
            h = mean;
        }
        CellStepper.affine(h, w, b, probs);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : probs) {
            max = Math.max(max, v);
        }
        double total = 0;
        for (int k = 0; k < probs.length; k++) {
            probs[k] = (float) Math.exp(probs[k] - max);
            total += probs[k];
        }
        float inv = (float) (1.0 / total);
        for (int k = 0; k < probs.length; k++) {
            probs[k] *= inv;
        }
        return probs;
    }

    /** {@link #step} with the one-hot input of class {@code id}. */
    public float[] stepOneHot(int id) {
        if (id < 0 || id >= oneHot.length) {
            throw new IllegalArgumentException("one-hot index " + id + " outside 0.." + (oneHot.length - 1));
        }
        oneHot[id] = 1f;
        try {
            return step(oneHot);
        } finally {
            oneHot[id] = 0f;
        }
    }
}
