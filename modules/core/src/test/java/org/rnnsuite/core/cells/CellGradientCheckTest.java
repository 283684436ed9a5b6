package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference gradient checks (double precision) of the cells implemented here: stacked in a
 * MultiLayerNetwork and a ComputationGraph, with and without variable-length masks, and inside Bidirectional.
 * L1/L2 regularization is on, so its gradients are checked too. The nets are tiny (3 inputs, 3 hidden, 2 classes);
 * {@link StatefulCellTest} and {@link TorchEquivalenceTest} check every parameter of a single layer.
 */
@ExtendWith(DoublePrecision.class)
class CellGradientCheckTest {

    @ParameterizedTest(name = "{0} mask={1} bidirectional={2}")
    @CsvSource({"GRU,false,false", "GRU,true,false", "CIFG,false,false", "CIFG,true,false",
            "LSTM,false,false", "LSTM,true,false", "GRU,true,true", "CIFG,true,true", "LSTM,true,true"})
    void multiLayerNetwork(CellType type, boolean masked, boolean bidirectional) {
        MultiLayerNetwork net = CellNets.forGradientCheck(type, bidirectional);
        boolean ok = CellNets.gradientCheckOnRandomSequences(net, 4, masked, 7);
        assertTrue(ok, type + " gradient check failed");
    }

    @ParameterizedTest(name = "{0} mask={1}")
    @CsvSource({"GRU,true", "CIFG,true", "LSTM,true"})
    void computationGraph(CellType type, boolean masked) {
        ComputationGraph net = CellNets.graphForGradientCheck(type);
        int mb = 3;
        int steps = 4;
        INDArray in = CellNets.features(9, DataType.DOUBLE, mb, 3, steps);
        INDArray labels = CellNets.oneHot(10, DataType.DOUBLE, mb, 2, steps);
        INDArray mask = masked ? CellNets.lengthsMask(DataType.DOUBLE, mb, steps) : null;
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {in}).labels(new INDArray[] {labels})
                .inputMask(mask == null ? null : new INDArray[] {mask})
                .labelMask(mask == null ? null : new INDArray[] {mask})
                .epsilon(CellNets.EPS).maxRelError(CellNets.MAX_REL_ERROR).minAbsoluteError(CellNets.MIN_ABS_ERROR)
                .subset(true).maxPerParam(CellNets.PER_PARAM));
        assertTrue(ok, type + " gradient check failed");
    }
}
