package org.rnnsuite.speech;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.rnnsuite.core.cells.CellStepper;

/**
 * One network of a {@link SpeechModel} as plain-Java steps, for streaming a clip frame by frame: its recurrent layers
 * as {@link CellStepper}s, then the readout (running mean of the last layer's outputs, or the last output) and the
 * softmax classifier. A frame costs a few hundred thousand multiply-adds and no native calls, where the layers' own
 * {@code rnnTimeStep} costs a dozen native calls per layer and frame. Made from a copy of the parameters, for one
 * clip at a time; {@link #of} is empty for networks it does not cover (a convolutional front end, a bidirectional
 * layer, a cell {@link CellStepper} does not compute), which stream through their layers instead.
 */
final class FrameStepper {
    private final List<CellStepper> cells;
    private final boolean mean;
    /** Classifier weights, row-major {@code [hidden][classes]} (a few thousand values), and bias. */
    private final float[] w;
    private final float[] b;
    private final double[] sum;
    private int frames;

    private FrameStepper(List<CellStepper> cells, boolean mean, float[] w, float[] b) {
        this.cells = cells;
        this.mean = mean;
        this.w = w;
        this.b = b;
        this.sum = new double[cells.get(cells.size() - 1).hiddenSize()];
    }

    /** The network as steps, or empty where some layer has no plain-Java step. */
    static Optional<FrameStepper> of(MultiLayerNetwork network, SpeechModelConfig model) {
        if (model.frontLayers() > 0 || model.bidirectional()) {
            return Optional.empty();
        }
        Layer[] layers = network.getLayers();
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<CellStepper> cells = new ArrayList<>();
        for (int i = 0; i < model.layers(); i++) {
            if (conf.getInputPreProcess(i) != null) {
                return Optional.empty();
            }
            Optional<CellStepper> s = CellStepper.of(layers[i]);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            cells.add(s.get());
        }
        Layer output = layers[layers.length - 1];
        if (!(output.conf().getLayer() instanceof BaseOutputLayer out)
                || !(out.getActivationFn() instanceof ActivationSoftmax)) {
            return Optional.empty();
        }
        float[] w = output.getParam("W").castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] b = output.getParam("b").castTo(DataType.FLOAT).dup('c').data().asFloat();
        return Optional.of(new FrameStepper(cells, "mean".equals(model.readout()), w, b));
    }

    /** Back to the start of a clip. */
    void reset() {
        cells.forEach(CellStepper::reset);
        Arrays.fill(sum, 0);
        frames = 0;
    }

    /** Feeds one (normalized) frame; returns the class probabilities of the clip so far. */
    double[] step(float[] frame) {
        float[] x = frame;
        for (CellStepper c : cells) {
            x = c.step(x);
        }
        frames++;
        double[] readout = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            sum[k] += x[k];
            readout[k] = mean ? sum[k] / frames : x[k];
        }
        int classes = b.length;
        double[] logits = new double[classes];
        for (int c = 0; c < classes; c++) {
            logits[c] = b[c];
        }
        for (int k = 0; k < readout.length; k++) {
            double r = readout[k];
            int row = k * classes;
            for (int c = 0; c < classes; c++) {
                logits[c] += r * w[row + c];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double total = 0;
        for (int c = 0; c < classes; c++) {
            logits[c] = Math.exp(logits[c] - max);
            total += logits[c];
        }
        for (int c = 0; c < classes; c++) {
            logits[c] /= total;
        }
        return logits;
    }
}
