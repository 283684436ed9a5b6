package org.rnnsuite.core.cells;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link CIFG}: {@code W [nIn, 3H]}, {@code RW [H, 3H]} (both F-order) and {@code b [3H]},
 * gate blocks i, o, g, stored in that order in the flat parameter vector.
 */
public final class CIFGParamInitializer implements ParamInitializer {
    /** Input weights. */
    public static final String WEIGHT_KEY = "W";
    /** Recurrent weights. */
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    /** Bias. */
    public static final String BIAS_KEY = "b";

    private static final CIFGParamInitializer INSTANCE = new CIFGParamInitializer();
    private static final List<String> PARAM_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    private static final List<String> BIAS_KEYS = List.of(BIAS_KEY);

    private CIFGParamInitializer() {
    }

    /** The shared instance. */
    public static CIFGParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        CIFG c = (CIFG) layer;
        long nIn = c.getNIn();
        long h = c.getNOut();
        return 3 * h * (nIn + h + 1);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return PARAM_KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHT_KEYS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return BIAS_KEYS;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEYS.contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEYS.contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        CIFG c = (CIFG) conf.getLayer();
        long nIn = c.getNIn();
        long h = c.getNOut();
        checkLength(conf, paramsView);
        Map<String, INDArray> m = subsets(paramsView, nIn, h);
        if (initializeParams) {
            IWeightInit wInit = c.getWeightInitFn();
            IWeightInit rwInit = c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : wInit;
            // fan-in/out of one gate block, so each gate starts with the scale of a plain layer of that size
            wInit.init(nIn, h, new long[] {nIn, 3 * h}, 'f', m.get(WEIGHT_KEY));
            rwInit.init(h, h, new long[] {h, 3 * h}, 'f', m.get(RECURRENT_WEIGHT_KEY));
            INDArray b = m.get(BIAS_KEY);
            b.assign(c.getBiasInit());
            b.get(NDArrayIndex.interval(0, h)).assign(-c.getForgetGateBiasInit());
        }
        conf.addVariable(WEIGHT_KEY);
        conf.addVariable(RECURRENT_WEIGHT_KEY);
        conf.addVariable(BIAS_KEY);
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        CIFG c = (CIFG) conf.getLayer();
        checkLength(conf, gradientView);
        return subsets(gradientView, c.getNIn(), c.getNOut());
    }

    private void checkLength(NeuralNetConfiguration conf, INDArray view) {
        long expected = numParams(conf);
        if (view.length() != expected) {
            throw new IllegalStateException("Expected parameter view of length " + expected + ", got "
                    + view.length());
        }
    }

    private static Map<String, INDArray> subsets(INDArray view, long nIn, long h) {
        INDArray flat = view.reshape(view.length());
        long pos = 0;
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(WEIGHT_KEY, flat.get(NDArrayIndex.interval(pos, pos + nIn * 3 * h)).reshape('f', nIn, 3 * h));
        pos += nIn * 3 * h;
        m.put(RECURRENT_WEIGHT_KEY, flat.get(NDArrayIndex.interval(pos, pos + h * 3 * h)).reshape('f', h, 3 * h));
        pos += h * 3 * h;
        m.put(BIAS_KEY, flat.get(NDArrayIndex.interval(pos, pos + 3 * h)));
        return Collections.synchronizedMap(m);
    }
}
