package org.rnnsuite.charlm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.cells.Cells;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.sample.CategoricalSampler;
import org.rnnsuite.core.sample.SamplingConfig;

/**
 * The lecture's toy character model: vocabulary [h, e, l, o], training sequence "hello" (inputs h, e, l, l; targets
 * e, l, l, o), a single tanh RNN layer with three hidden units and a softmax output. The interesting step is the
 * second 'l': the same input must give 'l' once and 'o' once, which only the hidden state can tell apart.
 */
public final class HelloRnn {
    /** The vocabulary, in the slides' order (not sorted). */
    public static final List<String> VOCABULARY = List.of("h", "e", "l", "o");
    /** The training sequence. */
    public static final String WORD = "hello";
    /** Hidden units, as on the slides. */
    public static final int HIDDEN = 3;

    private HelloRnn() {
    }

    /**
     * The model's prediction at one time step.
     *
     * @param input  the character fed
     * @param target the character that should come next
     * @param probs  predicted probability of each vocabulary character, in vocabulary order
     */
    public record Step(String input, String target, double[] probs) {
    }

    /**
     * What the walk-through shows.
     *
     * @param before     predictions of the untrained network
     * @param lossBefore its loss in bits per character
     * @param steps      training steps (full BPTT over the word, Adam)
     * @param after      predictions after training
     * @param lossAfter  loss after training, bits per character
     * @param sample     greedy sample of four characters after 'h', prefixed by the 'h'
     */
    public record Result(List<Step> before, double lossBefore, int steps, List<Step> after, double lossAfter,
                         String sample) {

        /** The walk-through as text, one line per time step. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("vocabulary ").append(VOCABULARY).append("; training sequence \"").append(WORD)
                    .append("\": inputs h,e,l,l -> targets e,l,l,o; one tanh RNN layer of ").append(HIDDEN)
                    .append(" units, softmax output\n");
            table(sb, "before training", before, lossBefore);
            table(sb, "after " + steps + " training steps", after, lossAfter);
            sb.append("sample (greedy, starting from 'h'): ").append(sample).append('\n');
            return sb.toString();
        }

        private static void table(StringBuilder sb, String title, List<Step> rows, double loss) {
            sb.append(String.format(Locale.ROOT, "%s (loss %.3f bits/char):%n", title, loss));
            sb.append("  step  input   p(h)   p(e)   p(l)   p(o)   target  p(target)\n");
            for (int t = 0; t < rows.size(); t++) {
                Step s = rows.get(t);
                sb.append(String.format(Locale.ROOT, "  %4d    '%s'  %5.3f  %5.3f  %5.3f  %5.3f     '%s'      %5.3f%n",
                        t + 1, s.input(), s.probs()[0], s.probs()[1], s.probs()[2], s.probs()[3], s.target(),
                        s.probs()[VOCABULARY.indexOf(s.target())]));
            }
        }
    }

    /** Runs the walk-through: {@code steps} Adam steps at learning rate 0.05, weights seeded by {@code seed}. */
    public static Result run(int steps, long seed) {
        Vocabulary vocab = new Vocabulary(VOCABULARY, null);
        int v = vocab.size();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.05))
                .list()
                .layer(Cells.layer(CellType.RNN, v, HIDDEN, 0.0))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(v).build())
                .build());
        net.init();
        int[] ids = WORD.chars().map(c -> vocab.id(String.valueOf((char) c))).toArray();
        int n = ids.length - 1;
        int[] in = java.util.Arrays.copyOfRange(ids, 0, n);
        int[] out = java.util.Arrays.copyOfRange(ids, 1, n + 1);
        DataSet data = new DataSet(OneHot.of(new int[][]{in}, v, n), OneHot.of(new int[][]{out}, v, n));

        List<Step> before = predict(net, data.getFeatures(), in, out);
        for (int i = 0; i < steps; i++) {
            net.fit(data);
        }
        List<Step> after = predict(net, data.getFeatures(), in, out);

        CategoricalSampler greedy = new CategoricalSampler(new SamplingConfig(0.0, 0, seed));
        StringBuilder sample = new StringBuilder("h");
        net.rnnClearPreviousState();
        int id = vocab.id("h");
        for (int i = 0; i < n; i++) {
            INDArray p = net.rnnTimeStep(OneHot.step(id, v));
            id = greedy.next(p.reshape(v).toDoubleVector());
            sample.append(vocab.token(id));
        }
        net.rnnClearPreviousState();
        return new Result(before, loss(before), steps, after, loss(after), sample.toString());
    }

    private static List<Step> predict(MultiLayerNetwork net, INDArray features, int[] in, int[] out) {
        INDArray p = net.output(features, false);
        List<Step> rows = new ArrayList<>();
        for (int t = 0; t < in.length; t++) {
            double[] probs = new double[VOCABULARY.size()];
            for (int k = 0; k < probs.length; k++) {
                probs[k] = p.getDouble(0, k, t);
            }
            rows.add(new Step(VOCABULARY.get(in[t]), VOCABULARY.get(out[t]), probs));
        }
        return rows;
    }

    private static double loss(List<Step> rows) {
        double bits = 0;
        for (Step s : rows) {
            bits -= Math.log(s.probs()[VOCABULARY.indexOf(s.target())]) / Math.log(2);
        }
        return bits / rows.size();
    }
}
