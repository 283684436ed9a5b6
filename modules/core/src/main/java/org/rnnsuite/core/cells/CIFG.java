package org.rnnsuite.core.cells;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LSTM with coupled input and forget gates (CIFG; Greff et al. 2017, "LSTM: A Search Space Odyssey"): one gate
 * decides both how much of the cell to overwrite and how much to keep, which removes a quarter of the LSTM's
 * parameters at little cost in quality. No peepholes:
 *
 * <pre>
 * i_t = sigmoid(W_i x_t + R_i h_{t-1} + b_i)
 * o_t = sigmoid(W_o x_t + R_o h_{t-1} + b_o)
 * g_t = tanh(W_g x_t + R_g h_{t-1} + b_g)
 * c_t = (1 - i_t) * c_{t-1} + i_t * g_t          (forget gate f_t = 1 - i_t)
 * h_t = o_t * tanh(c_t)
 * </pre>
 *
 * Parameters, gate blocks in the order i, o, g: {@code W [nIn, 3H]}, {@code RW [H, 3H]}, {@code b [3H]}. The
 * input-gate bias starts at {@code -forgetGateBiasInit} (default 1), so that, like DL4J's LSTM with its forget
 * bias of 1, the cell starts out remembering ({@code f = sigmoid(-a_i)} with {@code a_i} near -1); the other biases
 * start at {@code biasInit}. Gate functions are fixed; the {@code activation} setting is ignored.
 *
 * <p>With a mask, a masked time step outputs 0 and passes zero hidden and cell state on, as DL4J's LSTM does.
 */
public class CIFG extends ForgetGateCell {

    protected CIFG(Builder builder) {
        super(builder);
    }

    /** For JSON deserialization. */
    protected CIFG() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("CIFG", getLayerName(), layerIndex, getNIn(), getNOut());
        return RecurrentCellLayer.setUp(new CIFGLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return CIFGParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        // kept for backprop: gates (3H), hidden and cell states, tanh(c) (3H), input copy (nIn)
        return CellMemory.report(this, inputType, 6 * getNOut() + getNIn(), 5 * getNOut() + getNIn());
    }

    /** Builder: {@code new CIFG.Builder().nIn(50).nOut(256).build()}. */
    public static class Builder extends ForgetGateCell.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public CIFG build() {
            return new CIFG(this);
        }
    }
}
