package org.rnnsuite.core.cells;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gated recurrent unit (Cho et al. 2014) in the formulation PyTorch's {@code nn.GRU} and cuDNN use, with the reset
 * gate applied to the recurrent term <em>after</em> its matrix product:
 *
 * <pre>
 * r_t = sigmoid(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 * z_t = sigmoid(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 * n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
 * h_t = (1 - z_t) * n_t + z_t * h_{t-1}
 * </pre>
 *
 * Parameters (gate blocks in the order r, z, n, as in PyTorch):
 * <ul>
 *   <li>{@code W} {@code [nIn, 3H]} = PyTorch {@code weight_ih_l0} transposed,</li>
 *   <li>{@code RW} {@code [H, 3H]} = {@code weight_hh_l0} transposed,</li>
 *   <li>{@code b} {@code [3H]} = {@code bias_ih_l0} and {@code RB} {@code [3H]} = {@code bias_hh_l0}.</li>
 * </ul>
 * so weights move between the two frameworks by transposing. The two bias vectors are redundant for r and z but
 * not for n, where {@code b_hn} sits inside the reset product. The gate functions are fixed (sigmoid, tanh); the
 * layer's {@code activation} setting is ignored. Weight initialization uses {@code weightInit} for {@code W} and
 * {@code weightInitRecurrent} (default: the same) for {@code RW}; {@code b} starts at {@code biasInit}, {@code RB}
 * at 0. L1/L2/weight decay apply to W and RW as weights and to b and RB as biases.
 *
 * <p>With a mask, a masked time step outputs 0 and passes a zero state on, as DL4J's LSTM does.
 */
public class GRU extends BaseRecurrentLayer {

    protected GRU(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        constraints = CellConstraints.withRecurrent(constraints, (BaseRecurrentLayer.Builder<?>) builder);
    }

    /** For JSON deserialization. */
    protected GRU() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GRU", getLayerName(), layerIndex, getNIn(), getNOut());
        return RecurrentCellLayer.setUp(new GRULayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return GRUParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        // kept for backprop: gates and recurrent products (3H each), hidden states (H), input copy (nIn)
        return CellMemory.report(this, inputType, 7 * getNOut() + getNIn(), 3 * getNOut() + getNIn());
    }

    /** Builder, as for DL4J's recurrent layers: {@code new GRU.Builder().nIn(50).nOut(256).build()}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GRU build() {
            return new GRU(this);
        }
    }
}
