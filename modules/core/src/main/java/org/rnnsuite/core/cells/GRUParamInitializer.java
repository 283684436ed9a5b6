package org.rnnsuite.core.cells;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of {@link GRU}: {@code W [nIn, 3H]}, {@code RW [H, 3H]} (both F-order), {@code b [3H]},
 * {@code RB [3H]}, stored in that order in the flat parameter vector.
 */
public final class GRUParamInitializer extends GateBlockParamInitializer {
    /** Recurrent-side bias (PyTorch's {@code bias_hh}). */
    public static final String RECURRENT_BIAS_KEY = "RB";

    private static final GRUParamInitializer INSTANCE = new GRUParamInitializer();

    private GRUParamInitializer() {
        super(3, List.of(BIAS_KEY, RECURRENT_BIAS_KEY));
    }

    /** The shared instance. */
    public static GRUParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    void initBiases(Map<String, INDArray> params, BaseRecurrentLayer conf, long h) {
        params.get(BIAS_KEY).assign(conf.getBiasInit());
        params.get(RECURRENT_BIAS_KEY).assign(0);
    }
}
