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
 * LSTM without peepholes in the formulation of PyTorch's {@code nn.LSTM} (Hochreiter and Schmidhuber 1997, with the
 * forget gate of Gers et al. 2000), computed by {@link FusedLSTMLayer} with few native calls per step:
 *
 * <pre>
 * i_t = sigmoid(W_ii x_t + W_hi h_{t-1} + b_i)
 * f_t = sigmoid(W_if x_t + W_hf h_{t-1} + b_f)
 * g_t = tanh(W_ig x_t + W_hg h_{t-1} + b_g)
 * o_t = sigmoid(W_io x_t + W_ho h_{t-1} + b_o)
 * c_t = f_t * c_{t-1} + i_t * g_t
 * h_t = o_t * tanh(c_t)
 * </pre>
 *
 * Parameters, gate blocks in PyTorch's order i, f, g, o:
 * <ul>
 *   <li>{@code W} {@code [nIn, 4H]} = PyTorch {@code weight_ih_l0} transposed,</li>
 *   <li>{@code RW} {@code [H, 4H]} = {@code weight_hh_l0} transposed,</li>
 *   <li>{@code b} {@code [4H]} = {@code bias_ih_l0 + bias_hh_l0} (the two only ever appear summed; from here to
 *       PyTorch, put {@code b} in one and zeros in the other).</li>
 * </ul>
 * so weights move between the two frameworks by transposing. (DL4J's own LSTM, {@link CellType#DL4J_LSTM}, orders its
 * blocks g, f, o, i.) The forget-gate bias starts at {@code forgetGateBiasInit} (default 1, as DL4J's LSTM), the
 * other biases at {@code biasInit}. Gate functions are fixed; the {@code activation} setting is ignored. Weight
 * initialization uses {@code weightInit} for {@code W} and {@code weightInitRecurrent} (default: the same) for
 * {@code RW}, with the fan-in and fan-out of one gate block. L1/L2/weight decay apply to W and RW as weights and to
 * b as a bias. The stored state ({@code rnnTimeStep}, truncated BPTT) has DL4J's LSTM keys {@code prevAct} (h) and
 * {@code prevMem} (c).
 *
 * <p>With a mask, a masked time step outputs 0 and passes zero hidden and cell state on, as DL4J's LSTM does.
 */
public class FusedLSTM extends ForgetGateCell {

    protected FusedLSTM(Builder builder) {
        super(builder);
    }

    /** For JSON deserialization. */
    protected FusedLSTM() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FusedLSTM", getLayerName(), layerIndex, getNIn(), getNOut());
        return RecurrentCellLayer.setUp(new FusedLSTMLayer(conf, networkDataType), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return FusedLSTMParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        // kept for backprop: gates (4H), hidden and cell states, tanh(c) (3H), input copy (nIn)
        return CellMemory.report(this, inputType, 7 * getNOut() + getNIn(), 6 * getNOut() + getNIn());
    }

    /** Builder: {@code new FusedLSTM.Builder().nIn(50).nOut(256).build()}. */
    public static class Builder extends ForgetGateCell.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public FusedLSTM build() {
            return new FusedLSTM(this);
        }
    }
}
