package org.rnnsuite.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.bundle.Provenance;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.cells.Cells;
import org.rnnsuite.core.train.BatchSource;

/**
 * A tiny sequence task shared by tests: predict the next symbol of a repeating pattern. One-hot input, one
 * recurrent layer, softmax output. Batches start at pseudo-random offsets derived from (seed, batch index), so the
 * source's whole state is the batch index.
 */
public final class PatternTask {
    /** The repeating pattern over symbols 0..3. */
    public static final int[] PATTERN = {0, 1, 2, 3, 2, 1};
    public static final int SYMBOLS = 4;
    public static final String TASK = "pattern";

    /** The config stored with the test bundle. */
    public record Config(String cell, int hidden, long seed) {
    }

    private PatternTask() {
    }

    public static MultiLayerNetwork network(CellType cell, int hidden, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(Cells.layer(cell, SYMBOLS, hidden, 0.0))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(hidden).nOut(SYMBOLS).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    public static ModelBundle bundle(Model net, long seed) {
        return ModelBundle.of(TASK, net, new Config("lstm", 16, seed), Provenance.current(seed, "sha256:test"));
    }

    /** One-hot features and next-symbol labels for sequences starting at the given offsets. */
    public static MultiDataSet batch(int[] offsets, int length) {
        INDArray f = Nd4j.zeros(DataType.FLOAT, offsets.length, SYMBOLS, length);
        INDArray l = Nd4j.zeros(DataType.FLOAT, offsets.length, SYMBOLS, length);
        for (int b = 0; b < offsets.length; b++) {
            for (int t = 0; t < length; t++) {
                f.putScalar(b, PATTERN[(offsets[b] + t) % PATTERN.length], t, 1f);
                l.putScalar(b, PATTERN[(offsets[b] + t + 1) % PATTERN.length], t, 1f);
            }
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(f, l);
    }

    /** Endless batches of {@code batchSize} sequences of {@code length}. */
    public static final class Source implements BatchSource {
        private final long seed;
        private final int batchSize;
        private final int length;
        private int index;

        public Source(long seed, int batchSize, int length) {
            this.seed = seed;
            this.batchSize = batchSize;
            this.length = length;
        }

        @Override
        public MultiDataSet next() {
            SplittableRandom r = new SplittableRandom(seed * 31 + index++);
            int[] offsets = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                offsets[i] = r.nextInt(PATTERN.length);
            }
            return batch(offsets, length);
        }

        @Override
        public long itemCount(MultiDataSet batch) {
            return (long) batchSize * length;
        }

        @Override
        public String itemUnit() {
            return "symbols";
        }

        @Override
        public JsonNode state() {
            return IntNode.valueOf(index);
        }

        @Override
        public void restore(JsonNode state) {
            index = state.asInt();
        }
    }
}
