package org.rnnsuite.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.hw.ThreadSettings;

/**
 * Training throughput of each recurrent cell in the char-LM network users train ({@code CharLmModel}: one-hot input,
 * vocabulary 50, stacked cells, softmax output with cross-entropy; the char-LM trainer's Adam and clipping; float32;
 * truncated BPTT over the whole sequence). Data are random
 * (speed does not depend on them). Cells are run in alternating order, round after round, so that machine noise
 * spreads evenly; warm-up minibatches are excluded; the median over rounds is reported, and the ratio to DL4J's LSTM
 * ({@code dl4j-lstm}, the reference row; {@code lstm} is this project's fused layer) as the median of the per-round
 * ratios.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -Xmx2g -cp modules/bench/target/classes:$(cat modules/bench/target/classpath.txt) \
 *     org.rnnsuite.bench.CellThroughput [key=value ...]
 * </pre>
 * Keys (defaults): {@code cells=rnn,dl4j-lstm,lstm,peephole,cifg,gru layers=2 hidden=256 batch=32 seq=64 vocab=50
 * warmup=2 iters=4 rounds=3}.
 */
public final class CellThroughput {
    private CellThroughput() {
    }

    /** Entry point; see the class comment for the keys. */
    public static void main(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("cells", "rnn,dl4j-lstm,lstm,peephole,cifg,gru");
        o.put("layers", "2");
        o.put("hidden", "256");
        o.put("batch", "32");
        o.put("seq", "64");
        o.put("vocab", "50");
        o.put("warmup", "2");
        o.put("iters", "4");
        o.put("rounds", "3");
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0 || !o.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("expected key=value with key in " + o.keySet() + ", got " + a);
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        ThreadSettings.applyDefaults();
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        List<CellType> cells = java.util.Arrays.stream(o.get("cells").split(",")).map(CellType::parse).toList();
        int layers = Integer.parseInt(o.get("layers"));
        int hidden = Integer.parseInt(o.get("hidden"));
        int batch = Integer.parseInt(o.get("batch"));
        int seq = Integer.parseInt(o.get("seq"));
        int vocab = Integer.parseInt(o.get("vocab"));
        int warmup = Integer.parseInt(o.get("warmup"));
        int iters = Integer.parseInt(o.get("iters"));
        int rounds = Integer.parseInt(o.get("rounds"));
        System.out.printf(Locale.ROOT, "char-LM training throughput: %dx%d, batch %d, seq %d (TBPTT %d), vocab %d,"
                + " float32, OMP_NUM_THREADS=%s%n", layers, hidden, batch, seq, seq, vocab,
                System.getenv("OMP_NUM_THREADS"));

        List<MultiDataSet> data = List.of(randomData(batch, vocab, seq, 42));
        Map<CellType, MultiLayerNetwork> nets = new LinkedHashMap<>();
        for (CellType c : cells) {
            MultiLayerNetwork net = net(c, layers, vocab, hidden, seq);
            CharLmWorkload.trainSeconds(net, data, 0, warmup);
            nets.put(c, net);
        }
        Map<CellType, List<Double>> rates = new LinkedHashMap<>();
        cells.forEach(c -> rates.put(c, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (CellType c : cells) {
                double seconds = CharLmWorkload.trainSeconds(nets.get(c), data, 0, iters);
                double rate = (double) iters * batch * seq / seconds;
                rates.get(c).add(rate);
                System.out.printf(Locale.ROOT, "round %d  %-9s %8.0f chars/s%n", r + 1, c.id(), rate);
            }
        }
        List<Double> lstm = rates.get(CellType.DL4J_LSTM);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-9s %12s %10s %21s%n", "cell", "chars/s", "ms/batch",
                "vs dl4j-lstm (round)");
        for (CellType c : cells) {
            double m = Stats.median(rates.get(c));
            String ratio = "-";
            if (lstm != null) {
                // ratio within each round (both measured under the same machine load), then the median
                List<Double> perRound = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    perRound.add(rates.get(c).get(r) / lstm.get(r));
                }
                ratio = String.format(Locale.ROOT, "%.2fx", Stats.median(perRound));
            }
            System.out.printf(Locale.ROOT, "%-9s %12.0f %10.1f %21s%n", c.id(), m, 1000.0 * batch * seq / m, ratio);
        }
    }

    /** The char-LM network users train ({@link org.rnnsuite.charlm.CharLmModel}), TBPTT over the sequence. */
    static MultiLayerNetwork net(CellType cell, int layers, int vocab, int hidden, int seq) {
        return CharLmWorkload.network(CharLmWorkload.model(cell.id(), layers, hidden), vocab,
                CharLmWorkload.trainer(seq));
    }

    static MultiDataSet randomData(int batch, int vocab, int seq, long seed) {
        Random r = new Random(seed);
        INDArray x = Nd4j.zeros(DataType.FLOAT, batch, vocab, seq);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, vocab, seq);
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < seq; t++) {
                x.putScalar(new long[] {i, r.nextInt(vocab), t}, 1);
                y.putScalar(new long[] {i, r.nextInt(vocab), t}, 1);
            }
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(x, y);
    }
}
