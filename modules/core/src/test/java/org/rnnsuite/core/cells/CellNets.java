package org.rnnsuite.core.cells;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks and data shared by the cell tests. */
final class CellNets {
    private CellNets() {
    }

    /** Two stacked cells of the type and a softmax output, as a MultiLayerNetwork. */
    static MultiLayerNetwork stacked(CellType type, int nIn, int hidden, int nOut, DataType dt, IUpdater updater,
            double l2, boolean bidirectional, int tbptt, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dt)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .l2(l2)
                .l2Bias(l2 / 2)
                .list()
                .layer(wrap(Cells.layer(type, nIn, hidden, 0), bidirectional))
                .layer(wrap(Cells.layer(type, bidirectional ? 2 * hidden : hidden, hidden, 0), bidirectional))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(bidirectional ? 2 * hidden : hidden).nOut(nOut).build())
                .setInputType(InputType.recurrent(nIn));
        if (tbptt > 0) {
            b.backpropType(BackpropType.TruncatedBPTT).tBPTTLength(tbptt);
        }
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Two stacked cells (3 inputs, 3 hidden) and a 2-class softmax, double precision, L2 on. */
    static MultiLayerNetwork forGradientCheck(CellType type, boolean bidirectional) {
        return stacked(type, 3, 3, 2, DataType.DOUBLE, new NoOp(), 0.01, bidirectional, 0, 12345);
    }

    /** The same shape as a ComputationGraph: in -> cell -> cell -> out. */
    static ComputationGraph graphForGradientCheck(CellType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .l1(0.001)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(3))
                .addLayer("c1", Cells.layer(type, 3, 3, 0), "in")
                .addLayer("c2", Cells.layer(type, 3, 3, 0), "c1")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(3).nOut(2).build(), "c2")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static Layer wrap(Layer l, boolean bidirectional) {
        return bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, l) : l;
    }

    /** Random features {@code [mb, n, T]}. */
    static INDArray features(long seed, DataType dt, int mb, int n, int steps) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[mb * n * steps];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {mb, n, steps}, 'c').castTo(dt);
    }

    /** One-hot labels {@code [mb, n, T]}. */
    static INDArray oneHot(long seed, DataType dt, int mb, int n, int steps) {
        java.util.Random r = new java.util.Random(seed);
        INDArray l = Nd4j.zeros(dt, mb, n, steps);
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                l.putScalar(new long[] {i, r.nextInt(n), t}, 1.0);
            }
        }
        return l;
    }

    /** Variable-length mask {@code [mb, T]}: example i has length {@code T - i} (at least 1). */
    static INDArray lengthsMask(DataType dt, int mb, int steps) {
        INDArray m = Nd4j.zeros(dt, mb, steps);
        for (int i = 0; i < mb; i++) {
            int len = Math.max(1, steps - i);
            for (int t = 0; t < len; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }

    /** Finite-difference step of the gradient checks. */
    static final double EPS = 1e-6;
    /** Largest relative error a gradient check accepts... */
    static final double MAX_REL_ERROR = 1e-5;
    /** ...above this absolute error. */
    static final double MIN_ABS_ERROR = 1e-9;
    /**
     * Entries checked per parameter array: GradientCheckUtil's subset mode steps evenly through each array, so every
     * gate block of W, RW and the biases is hit; it halves the suite time against checking all entries.
     */
    static final int PER_PARAM = 12;

    /** Finite-difference gradient check of a MultiLayerNetwork in the settings above. */
    static boolean gradientCheck(MultiLayerNetwork net, INDArray in, INDArray labels, INDArray mask) {
        return org.deeplearning4j.gradientcheck.GradientCheckUtil.checkGradients(
                new org.deeplearning4j.gradientcheck.GradientCheckUtil.MLNConfig().net(net).input(in).labels(labels)
                        .inputMask(mask).labelMask(mask).epsilon(EPS).maxRelError(MAX_REL_ERROR)
                        .minAbsoluteError(MIN_ABS_ERROR).subset(true).maxPerParam(PER_PARAM));
    }

    /**
     * {@link #gradientCheck} of a {@link #forGradientCheck} network on 3 random sequences of {@code steps} steps
     * (features from {@code seed}, labels from {@code seed + 1}), with variable lengths when {@code masked}.
     */
    static boolean gradientCheckOnRandomSequences(MultiLayerNetwork net, int steps, boolean masked, long seed) {
        int mb = 3;
        INDArray in = features(seed, DataType.DOUBLE, mb, 3, steps);
        INDArray labels = oneHot(seed + 1, DataType.DOUBLE, mb, 2, steps);
        INDArray mask = masked ? lengthsMask(DataType.DOUBLE, mb, steps) : null;
        return gradientCheck(net, in, labels, mask);
    }
}
