package org.rnnsuite.lectures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.plot.LinePlot;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;

/**
 * Unrolling and weight sharing. An RNN applies the same weights at every step, so its parameter count does not
 * depend on the sequence length, and it is an infinite-impulse-response system: an input at time 0 still echoes
 * at every later step. Unrolling it for only K steps (a truncated, finite-impulse-response version: the same
 * weights, state reset K steps back) reproduces it exactly for the first K steps and loses the tail after.
 */
public final class WeightSharingExperiment {
    /**
     * @param hidden        hidden units of the tanh RNN (default 8)
     * @param sigma         largest singular value of the recurrent matrix, below 1 so the echo decays (default 0.9)
     * @param responseSteps length of the impulse response (default 40)
     * @param truncations   window lengths K of the truncated versions (default 1, 2, 5, 10, 20)
     * @param lengths       sequence lengths for the parameter count (default 10, 100, 1000)
     * @param seed          weight seed (default 7)
     */
    public record Config(int hidden, double sigma, int responseSteps, List<Integer> truncations,
                         List<Integer> lengths, long seed) {
        public Config {
            Check.positive("hidden", hidden);
            Check.positive("sigma", sigma);
            Check.positive("responseSteps", responseSteps);
            truncations = List.copyOf(truncations);
            lengths = List.copyOf(lengths);
        }

        public static Config defaults() {
            return new Config(8, 0.9, 40, List.of(1, 2, 5, 10, 20), List.of(10, 100, 1000), 7);
        }

        public static Config quick() {
            return new Config(8, 0.9, 20, List.of(2, 5, 10), List.of(10, 100), 7);
        }
    }

    private final Config config;

    public WeightSharingExperiment(Config config) {
        this.config = config;
    }

    /** The scalar-in, scalar-out tanh RNN with zero biases, so zero input gives zero output. */
    MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(config.seed()).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).list()
                .layer(new SimpleRnn.Builder().nIn(1).nOut(config.hidden()).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(config.hidden()).nOut(1).build())
                .build());
        net.init();
        INDArray rw = net.getLayer(0).getParam("RW");
        rw.assign(Matrices.toArray(Matrices.scaled(Matrices.randomOrthogonal(config.hidden(), config.seed()),
                config.sigma()), rw));
        net.getLayer(0).getParam("b").assign(0);
        net.getLayer(1).getParam("b").assign(0);
        return net;
    }

    public ExperimentResult run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        MultiLayerNetwork net = network();
        ResultTable table = new ResultTable("what", "K or T", "value");
        long params = net.numParams();
        for (int t : config.lengths()) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, t);
            INDArray full = net.output(x);
            net.rnnClearPreviousState();
            double maxDiff = 0;
            for (int i = 0; i < t; i++) {
                INDArray step = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(i, i + 1)));
                maxDiff = Math.max(maxDiff, Math.abs(step.getDouble(0) - full.getDouble(0, 0, i)));
            }
            net.rnnClearPreviousState();
            table.row("parameters (unchanged by T)", t, params);
            table.row("max |unrolled - step-by-step|", t, maxDiff);
        }

        int n = config.responseSteps();
        INDArray impulse = Nd4j.zeros(DataType.FLOAT, 1, 1, n);
        impulse.putScalar(0, 0, 0, 1f);
        double[] response = net.output(impulse).reshape(n).toDoubleVector();
        LinePlot plot = new LinePlot("Impulse response: RNN vs its truncated (FIR) unrolling", "time step",
                "output");
        for (int t = 0; t < n; t++) {
            plot.add("RNN (infinite impulse response)", t, response[t]);
        }
        SplittableRandom r = new SplittableRandom(config.seed());
        int m = Math.max(4 * n, 100);
        INDArray noise = Nd4j.zeros(DataType.FLOAT, 1, 1, m);
        for (int t = 0; t < m; t++) {
            noise.putScalar(0, 0, t, (float) (r.nextDouble() * 2 - 1));
        }
        double[] noiseFull = net.output(noise).reshape(m).toDoubleVector();
        double scale = 0;
        for (double v : noiseFull) {
            scale = Math.max(scale, Math.abs(v));
        }
        LinePlot errors = new LinePlot("Error of the K-step truncation on a random input", "K (steps unrolled)",
                "max |error| / max |output|").logY();
        for (int k : config.truncations()) {
            double[] fir = truncated(net, impulse, k);
            for (int t = 0; t < n; t++) {
                if (k == config.truncations().get(config.truncations().size() / 2)
                        || k == config.truncations().get(config.truncations().size() - 1)) {
                    plot.add("unrolled K=" + k, t, fir[t]);
                }
            }
            double tail = 0;
            for (int t = k; t < n; t++) {
                tail = Math.max(tail, Math.abs(response[t]));
            }
            double[] noiseFir = truncated(net, noise, k);
            double err = 0;
            for (int t = 0; t < m; t++) {
                err = Math.max(err, Math.abs(noiseFir[t] - noiseFull[t]));
            }
            table.row("impulse tail lost after K steps", k, tail);
            table.row("relative error on random input", k, err / scale);
            errors.add("truncated RNN", k, err / scale);
        }
        List<Path> plots = new ArrayList<>();
        Path p1 = outDir.resolve("impulse-response.png");
        plot.write(p1);
        plots.add(p1);
        Path p2 = outDir.resolve("truncation-error.png");
        errors.write(p2);
        plots.add(p2);
        Files.writeString(outDir.resolve("weight-sharing.csv"), table.toCsv());
        return new ExperimentResult("Unrolling and weight sharing",
                "the same weights serve every step (parameters independent of T); an RNN has an infinite impulse "
                        + "response that a K-step unrolling only approximates",
                table, plots, String.format(java.util.Locale.ROOT,
                "%d parameters for every sequence length; step-by-step and unrolled outputs agree; truncating to "
                        + "K steps loses an echo that decays roughly like sigma^K (sigma = %.2f).", params,
                config.sigma()));
    }

    /** Output at each t computed from only the last k inputs, starting from zero state. */
    private static double[] truncated(MultiLayerNetwork net, INDArray x, int k) {
        int n = (int) x.size(2);
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            int from = Math.max(0, t - k + 1);
            INDArray window = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, t + 1));
            INDArray y = net.output(window);
            out[t] = y.getDouble(0, 0, t - from);
        }
        return out;
    }
}
