package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Channels-last (NWC) input gives the same outputs and gradients as the default NCW. */
@ExtendWith(DoublePrecision.class)
class DataFormatTest {
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "CIFG", "LSTM"})
    void nwcEqualsNcw(CellType type) {
        MultiLayerNetwork ncw = net(type, RNNFormat.NCW);
        MultiLayerNetwork nwc = net(type, RNNFormat.NWC);
        nwc.setParams(ncw.params().dup());
        INDArray x = CellNets.features(3, DataType.DOUBLE, 2, 3, 5);
        INDArray y = CellNets.oneHot(4, DataType.DOUBLE, 2, 2, 5);
        INDArray xNwc = x.permute(0, 2, 1).dup();
        INDArray yNwc = y.permute(0, 2, 1).dup();
        assertEquals(0, ncw.output(x).permute(0, 2, 1).sub(nwc.output(xNwc)).amaxNumber().doubleValue(), 1e-12);
        ncw.setInput(x);
        ncw.setLabels(y);
        ncw.computeGradientAndScore();
        nwc.setInput(xNwc);
        nwc.setLabels(yNwc);
        nwc.computeGradientAndScore();
        assertEquals(0, ncw.gradient().gradient().sub(nwc.gradient().gradient()).amaxNumber().doubleValue(), 1e-12);
    }

    private static MultiLayerNetwork net(CellType type, RNNFormat format) {
        BaseRecurrentLayer cell = (BaseRecurrentLayer) Cells.layer(type, 3, 4, 0);
        cell.setRnnDataFormat(format);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(cell)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(4).nOut(2).dataFormat(format).build())
                .setInputType(InputType.recurrent(3, format))
                .build());
        net.init();
        return net;
    }
}
