package org.rnnsuite.lectures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.plot.LinePlot;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;

/**
 * Vanishing and exploding gradients. The loss sits at the last step; we measure how much gradient reaches the input
 * at each earlier step, as a function of the distance d to the loss: ||dL/dx_{T-d}||, averaged over a batch. For
 * a vanilla tanh RNN this is the gradient dL/dh_{T-d} mapped through the fixed input weights, so it follows the
 * product of recurrent Jacobians: it shrinks geometrically when the recurrent matrix's largest singular value is
 * below 1 and can grow when it is above 1. Gated cells (LSTM, GRU) are measured the same way.
 */
public final class GradientFlowExperiment {
    /**
     * @param hidden     hidden units (default 32)
     * @param length     sequence length T (default 50)
     * @param sigmas     largest singular values of the vanilla RNN's recurrent matrix (default 0.5, 1.0, 1.5)
     * @param inputScale standard deviation of the random inputs; small keeps tanh near its linear range
     *                   (default 0.05)
     * @param gatedCells gated cells measured at their default initialization (default lstm, gru)
     * @param batch      sequences averaged (default 32)
     * @param seed       seed (default 11)
     */
    public record Config(int hidden, int length, List<Double> sigmas, double inputScale, List<String> gatedCells,
                         int batch, long seed) {
        public Config {
            Check.positive("hidden", hidden);
            Check.positive("length", length);
            Check.positive("inputScale", inputScale);
            Check.positive("batch", batch);
            sigmas = List.copyOf(sigmas);
            gatedCells = List.copyOf(gatedCells);
            gatedCells.forEach(CellType::parse);
        }

        public static Config defaults() {
            return new Config(32, 50, List.of(0.5, 1.0, 1.5), 0.05, List.of("lstm", "gru"), 32, 11);
        }

        public static Config quick() {
            return new Config(16, 20, List.of(0.5, 1.0, 1.5), 0.05, List.of("lstm"), 8, 11);
        }
    }

    private static final int SYMBOLS = 4;
    private final Config config;

    public GradientFlowExperiment(Config config) {
        this.config = config;
    }

    /** Gradient norm reaching each step, index = distance to the loss (0 = the last step). */
    public double[] gradientByDistance(MultiLayerNetwork net, MultiDataSet data) {
        Pair<?, INDArray> g = net.calculateGradients(data.getFeatures(0), data.getLabels(0), null,
                data.getLabelsMaskArray(0));
        INDArray eps = g.getSecond().castTo(DataType.DOUBLE);     // [batch, nIn, T]
        INDArray perStep = eps.mul(eps).sum(1).transpose();         // [T, batch] of squared norms
        int t = (int) eps.size(2);
        double[] out = new double[t];
        for (int i = 0; i < t; i++) {
            INDArray row = org.nd4j.linalg.ops.transforms.Transforms.sqrt(perStep.getRow(i), true);
            out[t - 1 - i] = row.meanNumber().doubleValue();
        }
        return out;
    }

    MultiLayerNetwork vanilla(double sigma, int nIn) {
        MultiLayerNetwork net = Nets.classifier(new SimpleRnn.Builder().nIn(nIn).nOut(config.hidden())
                .activation(Activation.TANH).build(), config.hidden(), SYMBOLS, config.seed());
        INDArray rw = net.getLayer(0).getParam("RW");
        rw.assign(Matrices.toArray(Matrices.scaled(Matrices.randomOrthogonal(config.hidden(), config.seed()),
                sigma), rw));
        return net;
    }

    public ExperimentResult run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        int nIn = 8;
        MultiDataSet data = GaussianSequences.batch(config.batch(), nIn, config.length(), SYMBOLS,
                config.inputScale(), config.seed());
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (double s : config.sigmas()) {
            curves.put(String.format(Locale.ROOT, "rnn, sigma_max=%.2f", s), gradientByDistance(vanilla(s, nIn),
                    data));
        }
        for (String cell : config.gatedCells()) {
            curves.put(cell, gradientByDistance(Nets.classifier(CellType.parse(cell), nIn, config.hidden(), SYMBOLS,
                    config.seed()), data));
        }
        int t = config.length();
        int[] probes = java.util.stream.IntStream.of(0, 5, 10, 20, t - 1).filter(d -> d < t).distinct().toArray();
        String[] cols = new String[probes.length + 2];
        cols[0] = "model";
        for (int i = 0; i < probes.length; i++) {
            cols[i + 1] = "d=" + probes[i];
        }
        cols[cols.length - 1] = "ratio d=" + (t - 1) + "/d=0";
        ResultTable table = new ResultTable(cols);
        LinePlot plot = new LinePlot("Gradient reaching step T-d (loss at the last step)",
                "distance d to the loss (steps)", "||dL/dx||").logY();
        StringBuilder finding = new StringBuilder();
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            double[] c = e.getValue();
            Object[] row = new Object[cols.length];
            row[0] = e.getKey();
            for (int i = 0; i < probes.length; i++) {
                row[i + 1] = c[probes[i]];
            }
            double ratio = c[t - 1] / c[0];
            row[cols.length - 1] = ratio;
            table.row(row);
            for (int d = 0; d < t; d++) {
                plot.add(e.getKey(), d, c[d]);
            }
            finding.append(String.format(Locale.ROOT, "%s: x%s over %d steps; ", e.getKey(),
                    ResultTable.format(ratio), t - 1));
        }
        Path png = outDir.resolve("gradient-flow.png");
        plot.write(png);
        Files.writeString(outDir.resolve("gradient-flow.csv"), table.toCsv());
        return new ExperimentResult("Vanishing and exploding gradients",
                "in a vanilla RNN the gradient shrinks or grows geometrically with distance, by the recurrent "
                        + "matrix's largest singular value; gated cells keep it from vanishing as fast",
                table, List.of(png), finding.toString().replaceAll("; $", "."));
    }
}
