package org.rnnsuite.core.train;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Operations on either kind of DL4J network, so the trainer and tasks treat both alike. */
public final class Networks {
    private Networks() {
    }

    /**
     * Applies a trainer config to a network that has not been trained yet: updater and learning-rate schedule,
     * gradient clipping on every layer with parameters, and truncated BPTT. The updater is rebuilt from the new
     * settings on the next fit.
     */
    public static void applyTraining(Model net, TrainerConfig cfg) {
        for (Layer layer : layerConfs(net)) {
            configure(layer, cfg);
        }
        BackpropType bp = cfg.tbpttLength() > 0 ? BackpropType.TruncatedBPTT : BackpropType.Standard;
        int k = Math.max(cfg.tbpttLength(), 1);
        if (net instanceof MultiLayerNetwork m) {
            m.getLayerWiseConfigurations().setBackpropType(bp);
            m.getLayerWiseConfigurations().setTbpttFwdLength(k);
            m.getLayerWiseConfigurations().setTbpttBackLength(k);
            m.setUpdater(null);
        } else if (net instanceof ComputationGraph g) {
            g.getConfiguration().setBackpropType(bp);
            g.getConfiguration().setTbpttFwdLength(k);
            g.getConfiguration().setTbpttBackLength(k);
            g.setUpdater(null);
        } else {
            throw unsupported(net);
        }
    }

    private static void configure(Layer layer, TrainerConfig cfg) {
        if (layer instanceof BaseLayer b) {
            b.setIUpdater(cfg.iUpdater());
            b.setBiasUpdater(null);
            b.setGradientNormalization(cfg.gradientNormalization());
            b.setGradientNormalizationThreshold(cfg.clipThreshold());
        } else if (layer instanceof Bidirectional bi) {
            configure(bi.getFwd(), cfg);
            configure(bi.getBwd(), cfg);
        } else if (layer instanceof BaseWrapperLayer w) {
            configure(w.getUnderlying(), cfg);
        }
    }

    /** The layer configurations of either network type, in order. */
    public static List<Layer> layerConfs(Model net) {
        List<Layer> out = new ArrayList<>();
        if (net instanceof MultiLayerNetwork m) {
            for (NeuralNetConfiguration c : m.getLayerWiseConfigurations().getConfs()) {
                out.add(c.getLayer());
            }
        } else if (net instanceof ComputationGraph g) {
            for (GraphVertex v : g.getConfiguration().getVertices().values()) {
                if (v instanceof LayerVertex lv) {
                    out.add(lv.getLayerConf().getLayer());
                }
            }
        } else {
            throw unsupported(net);
        }
        return out;
    }

    /** One training step (for TBPTT, all segments of the minibatch). */
    public static void fit(Model net, MultiDataSet batch) {
        if (net instanceof MultiLayerNetwork m) {
            m.fit(toDataSet(batch));
        } else if (net instanceof ComputationGraph g) {
            g.fit(batch);
        } else {
            throw unsupported(net);
        }
    }

    /** A single-input, single-output MultiDataSet as a DataSet, masks included. */
    public static DataSet toDataSet(MultiDataSet b) {
        if (b.numFeatureArrays() != 1 || b.numLabelsArrays() != 1) {
            throw new IllegalArgumentException("a MultiLayerNetwork takes one input and one output, got "
                    + b.numFeatureArrays() + " and " + b.numLabelsArrays());
        }
        return new DataSet(b.getFeatures(0), b.getLabels(0),
                b.getFeaturesMaskArrays() == null ? null : b.getFeaturesMaskArray(0),
                b.getLabelsMaskArrays() == null ? null : b.getLabelsMaskArray(0));
    }

    /**
     * DL4J scores a time-series output as the sum over time steps, averaged over the minibatch. This divides by the
     * mean number of (unmasked) label steps per sequence so losses read per step (per character, per word). With
     * truncated BPTT the score is the last segment's, so only that segment's steps count.
     */
    public static double perStepLoss(double score, MultiDataSet batch, int tbpttLength) {
        org.nd4j.linalg.api.ndarray.INDArray labels = batch.getLabels(0);
        if (labels.rank() != 3) {
            return score;
        }
        long t = labels.size(2);
        long start = tbpttLength > 0 && t > tbpttLength ? ((t - 1) / tbpttLength) * tbpttLength : 0;
        double steps;
        org.nd4j.linalg.api.ndarray.INDArray mask = batch.getLabelsMaskArrays() == null ? null
                : batch.getLabelsMaskArray(0);
        if (mask == null) {
            steps = t - start;
        } else {
            org.nd4j.linalg.api.ndarray.INDArray seg = start == 0 ? mask
                    : mask.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(start, t));
            steps = seg.sumNumber().doubleValue() / labels.size(0);
        }
        return steps > 0 ? score / steps : score;
    }

    /** Number of iterations (parameter updates) so far; one per TBPTT segment. */
    public static int iterationCount(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            return m.getIterationCount();
        }
        if (net instanceof ComputationGraph g) {
            return g.getIterationCount();
        }
        throw unsupported(net);
    }

    /** Forgets stored recurrent state (stateful inference, TBPTT). */
    public static void rnnClearPreviousState(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            m.rnnClearPreviousState();
        } else if (net instanceof ComputationGraph g) {
            g.rnnClearPreviousState();
        } else {
            throw unsupported(net);
        }
    }

    private static IllegalArgumentException unsupported(Model net) {
        return new IllegalArgumentException("expected a MultiLayerNetwork or ComputationGraph, got "
                + net.getClass().getName());
    }
}
