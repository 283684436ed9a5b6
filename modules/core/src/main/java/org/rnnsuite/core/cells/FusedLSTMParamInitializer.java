package org.rnnsuite.core.cells;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link FusedLSTM}: {@code W [nIn, 4H]}, {@code RW [H, 4H]} (both F-order) and {@code b [4H]},
 * gate blocks i, f, g, o as in PyTorch's {@code nn.LSTM}, stored in that order in the flat parameter vector.
 */
public final class FusedLSTMParamInitializer extends GateBlockParamInitializer {
    private static final FusedLSTMParamInitializer INSTANCE = new FusedLSTMParamInitializer();

    private FusedLSTMParamInitializer() {
        super(4, List.of(BIAS_KEY));
    }

    /** The shared instance. */
    public static FusedLSTMParamInitializer getInstance() {
        return INSTANCE;
    }

    /** The forget gate starts at {@code forgetGateBiasInit}, so the cell starts out remembering. */
    @Override
    void initBiases(Map<String, INDArray> params, BaseRecurrentLayer conf, long h) {
        INDArray b = params.get(BIAS_KEY);
        b.assign(conf.getBiasInit());
        b.get(NDArrayIndex.interval(h, 2 * h)).assign(((FusedLSTM) conf).getForgetGateBiasInit());
    }
}
