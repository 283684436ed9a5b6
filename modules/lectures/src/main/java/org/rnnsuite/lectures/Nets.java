package org.rnnsuite.lectures;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.cells.Cells;

/** The one network shape the experiments use: a recurrent layer and a softmax (or linear) output per step. */
final class Nets {
    private Nets() {
    }

    /** Recurrent cell {@code cell} of {@code hidden} units, softmax over {@code nOut} classes at every step. */
    static MultiLayerNetwork classifier(CellType cell, int nIn, int hidden, int nOut, long seed) {
        return classifier(Cells.layer(cell, nIn, hidden, 0.0), hidden, nOut, seed);
    }

    static MultiLayerNetwork classifier(Layer recurrent, int hidden, int nOut, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(recurrent)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(hidden).nOut(nOut).build())
                .build());
        net.init();
        return net;
    }
}
