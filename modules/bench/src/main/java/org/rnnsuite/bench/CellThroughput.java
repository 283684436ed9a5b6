package org.rnnsuite.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.cells.Cells;
import org.rnnsuite.core.hw.ThreadSettings;

/**
 * Training throughput of each recurrent cell on a char-LM-shaped network: one-hot input (vocabulary 50), stacked
 * cells, softmax output with cross-entropy, Adam, float32, truncated BPTT over the whole sequence. Data are random
 * (speed does not depend on them). Cells are run in alternating order, round after round, so that machine noise
 * spreads evenly; warm-up minibatches are excluded; the median over rounds is reported, and the ratio to DL4J's LSTM
 * as the median of the per-round ratios.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -Xmx2g -cp modules/bench/target/classes:$(cat modules/bench/target/classpath.txt) \
 *     org.rnnsuite.bench.CellThroughput [key=value ...]
 * </pre>
 * Keys (defaults): {@code cells=rnn,lstm,peephole,cifg,gru layers=2 hidden=256 batch=32 seq=64 vocab=50
 * warmup=2 iters=4 rounds=3}.
 */
public final class CellThroughput {
    private CellThroughput() {
    }

    /** Entry point; see the class comment for the keys. */
    public static void main(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("cells", "rnn,lstm,peephole,cifg,gru");
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
        List<CellType> cells = Arrays.stream(o.get("cells").split(",")).map(CellType::parse).toList();
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

        DataSet data = randomData(batch, vocab, seq, 42);
        Map<CellType, MultiLayerNetwork> nets = new LinkedHashMap<>();
        for (CellType c : cells) {
            MultiLayerNetwork net = net(c, layers, vocab, hidden, seq);
            for (int i = 0; i < warmup; i++) {
                net.fit(data);
            }
            nets.put(c, net);
        }
        Map<CellType, List<Double>> rates = new LinkedHashMap<>();
        cells.forEach(c -> rates.put(c, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (CellType c : cells) {
                MultiLayerNetwork net = nets.get(c);
                long t0 = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    net.fit(data);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double rate = (double) iters * batch * seq / seconds;
                rates.get(c).add(rate);
                System.out.printf(Locale.ROOT, "round %d  %-9s %8.0f chars/s%n", r + 1, c.id(), rate);
            }
        }
        List<Double> lstm = rates.get(CellType.LSTM);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-9s %12s %10s %16s%n", "cell", "chars/s", "ms/batch", "vs lstm (round)");
        for (CellType c : cells) {
            double m = median(rates.get(c));
            String ratio = "-";
            if (lstm != null) {
                // ratio within each round (both measured under the same machine load), then the median
                List<Double> perRound = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    perRound.add(rates.get(c).get(r) / lstm.get(r));
                }
                ratio = String.format(Locale.ROOT, "%.2fx", median(perRound));
            }
            System.out.printf(Locale.ROOT, "%-9s %12.0f %10.1f %16s%n", c.id(), m, 1000.0 * batch * seq / m, ratio);
        }
    }

    static MultiLayerNetwork net(CellType cell, int layers, int vocab, int hidden, int seq) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list();
        for (int l = 0; l < layers; l++) {
            b.layer(Cells.layer(cell, l == 0 ? vocab : hidden, hidden, 0));
        }
        b.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(hidden).nOut(vocab).build());
        b.setInputType(InputType.recurrent(vocab));
        b.backpropType(BackpropType.TruncatedBPTT).tBPTTLength(seq);
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    static DataSet randomData(int batch, int vocab, int seq, long seed) {
        Random r = new Random(seed);
        INDArray x = Nd4j.zeros(DataType.FLOAT, batch, vocab, seq);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, vocab, seq);
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < seq; t++) {
                x.putScalar(new long[] {i, r.nextInt(vocab), t}, 1);
                y.putScalar(new long[] {i, r.nextInt(vocab), t}, 1);
            }
        }
        return new DataSet(x, y);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
