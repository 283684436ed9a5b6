package org.rnnsuite.core.cells;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a cell with {@code G} gate blocks of H units: {@code W [nIn, G*H]}, {@code RW [H, G*H]} (both
 * F-order) and one or more bias vectors of {@code G*H}, stored in that order in the flat parameter vector. The cells
 * differ only in their number of gate blocks (3 for GRU and CIFG, 4 for the LSTM), their bias vectors and how those
 * start ({@link #initBiases}).
 */
abstract class GateBlockParamInitializer implements ParamInitializer {
    /** Input weights. */
    public static final String WEIGHT_KEY = "W";
    /** Recurrent weights. */
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    /** (Input-side) bias. */
    public static final String BIAS_KEY = "b";

    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);

    private final int gates;
    private final List<String> biasKeys;
    private final List<String> paramKeys;

    GateBlockParamInitializer(int gates, List<String> biasKeys) {
        this.gates = gates;
        this.biasKeys = List.copyOf(biasKeys);
        List<String> all = new ArrayList<>(WEIGHT_KEYS);
        all.addAll(biasKeys);
        this.paramKeys = List.copyOf(all);
    }

    /** Sets the bias vectors of freshly initialized parameters. */
    abstract void initBiases(Map<String, INDArray> params, BaseRecurrentLayer conf, long h);

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        BaseRecurrentLayer c = (BaseRecurrentLayer) layer;
        long h = c.getNOut();
        return gates * h * (c.getNIn() + h + biasKeys.size());
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return paramKeys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHT_KEYS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return biasKeys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEYS.contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys.contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        BaseRecurrentLayer c = (BaseRecurrentLayer) conf.getLayer();
        long nIn = c.getNIn();
        long h = c.getNOut();
        checkLength(conf, paramsView);
        Map<String, INDArray> m = subsets(paramsView, nIn, h);
        if (initializeParams) {
            IWeightInit wInit = c.getWeightInitFn();
            IWeightInit rwInit = c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : wInit;
            // fan-in/out of one gate block, so each gate starts with the scale of a plain layer of that size
            wInit.init(nIn, h, new long[] {nIn, gates * h}, 'f', m.get(WEIGHT_KEY));
            rwInit.init(h, h, new long[] {h, gates * h}, 'f', m.get(RECURRENT_WEIGHT_KEY));
            initBiases(m, c, h);
        }
        for (String k : paramKeys) {
            conf.addVariable(k);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        BaseRecurrentLayer c = (BaseRecurrentLayer) conf.getLayer();
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

    private Map<String, INDArray> subsets(INDArray view, long nIn, long h) {
        INDArray flat = view.reshape(view.length());
        long pos = 0;
        Map<String, INDArray> m = new LinkedHashMap<>();
        long k = gates * h;
        m.put(WEIGHT_KEY, flat.get(NDArrayIndex.interval(pos, pos + nIn * k)).reshape('f', nIn, k));
        pos += nIn * k;
        m.put(RECURRENT_WEIGHT_KEY, flat.get(NDArrayIndex.interval(pos, pos + h * k)).reshape('f', h, k));
        pos += h * k;
        for (String b : biasKeys) {
            m.put(b, flat.get(NDArrayIndex.interval(pos, pos + k)));
            pos += k;
        }
        return Collections.synchronizedMap(m);
    }
}
