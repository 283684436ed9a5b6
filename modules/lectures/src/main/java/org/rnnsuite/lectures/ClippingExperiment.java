package org.rnnsuite.lectures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.bundle.Provenance;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.plot.LinePlot;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.core.report.ResultTable;
import org.rnnsuite.core.train.MetricsRow;
import org.rnnsuite.core.train.Trainer;
import org.rnnsuite.core.train.TrainerConfig;
import org.rnnsuite.core.train.TrainingDivergedException;
import org.rnnsuite.core.train.TrainingResult;

/**
 * Gradient clipping. A ReLU RNN whose recurrent matrix has largest singular value above 1 trained with plain SGD:
 * its gradients explode, and one huge update throws the weights far away (the loss jumps or becomes NaN). The same
 * run with the gradient rescaled to an L2 norm of at most {@code threshold} per layer trains. Both runs use the
 * same seed, data and learning rate.
 */
public final class ClippingExperiment {
    /**
     * @param hidden       hidden units (default 32)
     * @param distance     recall distance of the task (default 20)
     * @param sigma        largest singular value of the initial recurrent matrix (default 2.0)
     * @param learningRate SGD learning rate (default 0.2)
     * @param threshold    L2 clipping threshold (default 1.0)
     * @param steps        training steps per run (default 150)
     * @param batch        sequences per step (default 32)
     * @param seed         seed (default 5)
     */
    public record Config(int hidden, int distance, double sigma, double learningRate, double threshold, int steps,
                         int batch, long seed) {
        public Config {
            Check.positive("hidden", hidden);
            Check.positive("distance", distance);
            Check.positive("sigma", sigma);
            Check.positive("learningRate", learningRate);
            Check.positive("threshold", threshold);
            Check.positive("steps", steps);
            Check.positive("batch", batch);
        }

        public static Config defaults() {
            return new Config(32, 20, 2.0, 0.2, 1.0, 150, 32, 5);
        }

        public static Config quick() {
            return new Config(16, 20, 2.0, 0.2, 1.0, 40, 16, 5);
        }
    }

    /** One training run's outcome. */
    public record Run(String name, List<MetricsRow> history, int divergedAt, double finalLoss, double accuracy) {
    }

    private final Config config;

    public ClippingExperiment(Config config) {
        this.config = config;
    }

    MultiLayerNetwork network(RecallTask task) {
        MultiLayerNetwork net = Nets.classifier(new SimpleRnn.Builder().nIn(task.inputSize()).nOut(config.hidden())
                .activation(Activation.RELU).build(), config.hidden(), 4, config.seed());
        INDArray rw = net.getLayer(0).getParam("RW");
        rw.assign(Matrices.toArray(Matrices.scaled(Matrices.randomOrthogonal(config.hidden(), config.seed()),
                config.sigma()), rw));
        return net;
    }

    /** Trains once with the given clipping mode ({@code none} or {@code l2}). */
    public Run train(String clip, Path outDir) {
        RecallTask task = new RecallTask(4, 4, config.distance(), config.batch(), config.seed());
        MultiLayerNetwork net = network(task);
        TrainerConfig tc = new TrainerConfig("nesterov", config.learningRate(), 0.0, "constant", 1, 1, clip,
                config.threshold(), 0, config.steps(), 0, 0, 0, config.seed(), 30);
        String name = clip.equals("none") ? "no clipping" : "L2 clipping at " + config.threshold();
        try {
            TrainingResult r = new Trainer(tc, outDir).progressTo(null).fit(net, task,
                    m -> ModelBundle.of("lectures-clipping", m, config, Provenance.current(config.seed(), "")));
            double acc = RecallTask.accuracy(net, task.batch(512, config.seed() + 99));
            return new Run(name, r.history(), -1, r.finalTrainLoss(), acc);
        } catch (TrainingDivergedException e) {
            return new Run(name, e.history(), e.step(), Double.NaN, Double.NaN);
        }
    }

    public ExperimentResult run(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Run> runs = List.of(train("none", outDir.resolve("no-clip")), train("l2", outDir.resolve("clip-l2")));
        ResultTable table = new ResultTable("run", "steps trained", "max loss", "final loss", "accuracy");
        LinePlot plot = new LinePlot("Training loss with and without gradient clipping (SGD, ReLU RNN)", "step",
                "training loss (nats)").logY();
        for (Run r : runs) {
            double max = 0;
            for (MetricsRow m : r.history()) {
                if (!Double.isNaN(m.trainLoss())) {
                    plot.add(r.name(), m.step(), m.trainLoss());
                    max = Math.max(max, m.trainLoss());
                }
            }
            table.row(r.name(), r.divergedAt() > 0 ? "diverged at " + r.divergedAt() : String.valueOf(config.steps()),
                    max, r.finalLoss(), r.accuracy());
        }
        Path png = outDir.resolve("clipping.png");
        plot.write(png);
        Files.writeString(outDir.resolve("clipping.csv"), table.toCsv());
        Run none = runs.get(0);
        Run clipped = runs.get(1);
        String finding = String.format(Locale.ROOT, "without clipping: %s; with clipping: trained %d steps to loss "
                        + "%s (accuracy %s, chance 0.25).",
                none.divergedAt() > 0 ? "diverged (NaN) at step " + none.divergedAt()
                        : "finished at loss " + ResultTable.format(none.finalLoss()),
                config.steps(), ResultTable.format(clipped.finalLoss()), ResultTable.format(clipped.accuracy()));
        return new ExperimentResult("Gradient clipping",
                "exploding gradients wreck plain SGD; clipping the gradient norm keeps the same run trainable",
                table, List.of(png), finding);
    }
}
