package org.rnnsuite.lectures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.core.train.BatchSource;

/**
 * "Remember the first symbol": a sequence starts with one of {@code symbols} symbols, followed by {@code distance}
 * random distractor symbols; at the last step the net must output the first symbol. Only the last step is scored
 * (label mask), so the answer depends on information exactly {@code distance} steps back. Chance accuracy is
 * 1/{@code symbols}.
 */
public final class RecallTask implements BatchSource {
    private final int symbols;
    private final int distractors;
    private final int distance;
    private final int batchSize;
    private final long seed;
    private int index;

    public RecallTask(int symbols, int distractors, int distance, int batchSize, long seed) {
        this.symbols = symbols;
        this.distractors = distractors;
        this.distance = distance;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Input size: one-hot over target symbols and distractors. */
    public int inputSize() {
        return symbols + distractors;
    }

    /** A batch drawn from its own generator (for held-out evaluation). */
    public MultiDataSet batch(int size, long batchSeed) {
        SplittableRandom r = new SplittableRandom(batchSeed);
        int len = distance + 1;
        INDArray f = Nd4j.zeros(DataType.FLOAT, size, inputSize(), len);
        INDArray l = Nd4j.zeros(DataType.FLOAT, size, symbols, len);
        INDArray lm = Nd4j.zeros(DataType.FLOAT, size, len);
        for (int b = 0; b < size; b++) {
            int target = r.nextInt(symbols);
            f.putScalar(b, target, 0, 1f);
            for (int t = 1; t < len; t++) {
                f.putScalar(b, symbols + r.nextInt(distractors), t, 1f);
            }
            l.putScalar(b, target, len - 1, 1f);
            lm.putScalar(b, len - 1, 1f);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{f}, new INDArray[]{l}, null,
                new INDArray[]{lm});
    }

    @Override
    public MultiDataSet next() {
        return batch(batchSize, seed * 1_000_003L + index++);
    }

    @Override
    public long itemCount(MultiDataSet batch) {
        return batchSize;
    }

    @Override
    public String itemUnit() {
        return "sequences";
    }

    @Override
    public JsonNode state() {
        return IntNode.valueOf(index);
    }

    @Override
    public void restore(JsonNode state) {
        index = state.asInt();
    }

    /** Fraction of sequences whose last-step prediction is the first symbol. */
    public static double accuracy(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net, MultiDataSet data) {
        INDArray out = net.output(data.getFeatures(0), false);
        long last = out.size(2) - 1;
        INDArray predicted = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(last))
                .argMax(1);
        INDArray expected = data.getLabels(0).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(last))
                .argMax(1);
        return predicted.eq(expected).castTo(DataType.FLOAT).meanNumber().doubleValue();
    }
}
