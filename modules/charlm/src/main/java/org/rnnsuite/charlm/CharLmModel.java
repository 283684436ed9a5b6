package org.rnnsuite.charlm;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.cells.Cells;
import org.rnnsuite.core.layers.SequenceOutputLayer;

/**
 * The network: one-hot characters into {@code layers} recurrent cells, then a softmax over the vocabulary trained
 * with the negative log-likelihood of the next character (multi-class cross-entropy).
 */
public final class CharLmModel {
    private CharLmModel() {
    }

    /**
     * A fresh, initialized network; the updater, clipping and TBPTT are applied by the trainer.
     *
     * @param vocabSize characters in the vocabulary (input and output size)
     * @param seed      seed of the weight initialization
     */
    public static MultiLayerNetwork build(CharLmConfig.ModelConfig cfg, int vocabSize, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .list();
        int nIn = vocabSize;
        for (int i = 0; i < cfg.layers(); i++) {
            // dropout on a one-hot input would erase whole characters; only hidden activations are dropped
            list.layer(Cells.layer(cfg.cellType(), nIn, cfg.hiddenSize(), i == 0 ? 0.0 : cfg.dropout()));
            nIn = cfg.hiddenSize();
        }
        RnnOutputLayer.Builder out = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).nIn(nIn).nOut(vocabSize);
        if (cfg.dropout() > 0) {
            out.dropOut(new Dropout(1.0 - cfg.dropout()));
        }
        // DL4J's output layer, scoring the minibatch during backprop instead of in a second pass
        list.layer(SequenceOutputLayer.of(out.build()));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }
}
