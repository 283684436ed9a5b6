package org.rnnsuite.core.cells;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link CIFG}: {@code W [nIn, 3H]}, {@code RW [H, 3H]} (both F-order) and {@code b [3H]},
 * gate blocks i, o, g, stored in that order in the flat parameter vector.
 */
public final class CIFGParamInitializer extends GateBlockParamInitializer {
    private static final CIFGParamInitializer INSTANCE = new CIFGParamInitializer();

    private CIFGParamInitializer() {
        super(3, List.of(BIAS_KEY));
    }

    /** The shared instance. */
    public static CIFGParamInitializer getInstance() {
        return INSTANCE;
    }

    /** The input gate starts at -forgetGateBiasInit, so the coupled forget gate f = 1 - i starts mostly open. */
    @Override
    void initBiases(Map<String, INDArray> params, BaseRecurrentLayer conf, long h) {
        INDArray b = params.get(BIAS_KEY);
        b.assign(conf.getBiasInit());
        b.get(NDArrayIndex.interval(0, h)).assign(-((CIFG) conf).getForgetGateBiasInit());
    }
}
