package org.rnnsuite.core.cells;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/** Memory estimates for the cells, in the form DL4J's {@code MemoryReport} expects. */
final class CellMemory {
    private CellMemory() {
    }

    /**
     * @param layer          the layer configuration
     * @param inputType      recurrent input type (its time series length is used; -1 counts as 1)
     * @param trainPerStep   values kept per example and time step during training
     * @param inferPerStep   working values per example and time step at inference
     */
    static LayerMemoryReport report(FeedForwardLayer layer, InputType inputType, long trainPerStep,
            long inferPerStep) {
        long steps = 1;
        if (inputType instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() > 0) {
            steps = r.getTimeSeriesLength();
        }
        InputType outputType = layer.getOutputType(-1, inputType);
        long numParams = layer.initializer().numParams(layer);
        long updaterSize = layer.getIUpdater() == null ? 0 : layer.getIUpdater().stateSize(numParams);
        Map<CacheMode, Long> train = new HashMap<>();
        for (CacheMode cm : CacheMode.values()) {
            // forward values kept for backprop plus the backward loop's working arrays of similar size
            train.put(cm, steps * (2 * trainPerStep));
        }
        return new LayerMemoryReport.Builder(layer.getLayerName(), layer.getClass(), inputType, outputType)
                .standardMemory(numParams, updaterSize)
                .workingMemory(0, steps * inferPerStep, MemoryReport.CACHE_MODE_ALL_ZEROS, train)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
