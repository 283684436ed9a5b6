package org.rnnsuite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.testing.PatternTask;

class TrainerTest {
    private static final long SEED = 42;

    private static TrainerConfig config(int steps) {
        return new TrainerConfig("adam", 0.02, 0.9, "constant", 0.5, 1000, "l2", 5.0, 4, steps, 10, 5, 0, SEED,
                60.0);
    }

    private static double validationLoss(org.deeplearning4j.nn.api.Model m) {
        MultiLayerNetwork net = (MultiLayerNetwork) m;
        MultiDataSet b = PatternTask.batch(new int[]{0, 1, 2, 3, 4, 5}, 12);
        return net.score(Networks.toDataSet(b), false) / 12;
    }

    @Test
    void tinySequenceTaskTrainsToNearZeroLoss(@TempDir Path dir) {
        MultiLayerNetwork net = PatternTask.network(CellType.LSTM, 16, SEED);
        double before = validationLoss(net);
        TrainingResult r = new Trainer(config(150), dir).validator(TrainerTest::validationLoss).progressTo(null)
                .fit(net, new PatternTask.Source(SEED, 8, 12), m -> PatternTask.bundle(m, SEED));
        assertEquals(150, r.steps());
        assertTrue(before > 1.0, "untrained loss should be near ln 4, was " + before);
        // only the first step of a sequence is ambiguous (a 1 or a 2 without context): loss < ln 2 / 12 + margin
        assertTrue(r.bestValidation() < 0.1, "validation loss after training: " + r.bestValidation());
        assertTrue(r.finalTrainLoss() < 0.15, "training loss after training: " + r.finalTrainLoss());
        MultiDataSet probe = PatternTask.batch(new int[]{0, 1, 2, 3, 4, 5}, 12);
        org.nd4j.linalg.api.ndarray.INDArray predicted = net.output(probe.getFeatures(0)).argMax(1);
        org.nd4j.linalg.api.ndarray.INDArray expected = probe.getLabels(0).argMax(1);
        for (int b = 0; b < 6; b++) {
            for (int t = 1; t < 12; t++) {
                assertEquals(expected.getInt(b, t), predicted.getInt(b, t), "sequence " + b + " step " + t);
            }
        }
        assertTrue(Files.exists(dir.resolve("model.zip")));
        assertTrue(Files.exists(dir.resolve("checkpoint.zip")));
        assertTrue(Files.exists(dir.resolve("loss.png")));
        List<String> csv = readLines(dir.resolve("metrics.csv"));
        assertEquals("step,train_loss,val_loss,learning_rate,steps_per_sec,items_per_sec,elapsed_sec", csv.get(0));
        assertTrue(csv.size() > 100);
        // the model file holds the best validated weights and loads as the same task
        ModelBundle best = ModelBundle.load(dir, PatternTask.TASK, false);
        assertEquals(r.bestValidation(), validationLoss(best.network()), 1e-5);
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
        int n = 12;
        MultiLayerNetwork straight = PatternTask.network(CellType.LSTM, 8, SEED);
        new Trainer(config(2 * n), dir.resolve("straight")).validator(TrainerTest::validationLoss)
                .progressTo(null)
                .fit(straight, new PatternTask.Source(SEED, 4, 12), m -> PatternTask.bundle(m, SEED));

        MultiLayerNetwork first = PatternTask.network(CellType.LSTM, 8, SEED);
        new Trainer(config(n), dir.resolve("split")).validator(TrainerTest::validationLoss).progressTo(null)
                .fit(first, new PatternTask.Source(SEED, 4, 12), m -> PatternTask.bundle(m, SEED));
        // a new process would start here: everything comes from the checkpoint
        ModelBundle ckpt = ModelBundle.load(Trainer.checkpointIn(dir.resolve("split")), PatternTask.TASK, true);
        TrainerState state = Trainer.stateOf(ckpt);
        assertEquals(n, state.step());
        TrainingResult r = new Trainer(config(2 * n), dir.resolve("split")).validator(TrainerTest::validationLoss)
                .progressTo(null).resume(ckpt.network(), new PatternTask.Source(SEED, 4, 12),
                        m -> PatternTask.bundle(m, SEED), state);
        assertEquals(2 * n, r.steps());
        assertArrayEquals(straight.params().dup().data().asFloat(), ckpt.multiLayerNetwork().params().dup().data().asFloat(),
                0f, "resumed parameters must equal the uninterrupted run's");
        assertArrayEquals(straight.getUpdater().getStateViewArray().dup().data().asFloat(),
                ckpt.multiLayerNetwork().getUpdater().getStateViewArray().dup().data().asFloat(), 0f);
    }

    @Test
    void nanLossStopsTrainingAndKeepsLastCheckpoint(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = PatternTask.network(CellType.LSTM, 8, SEED);
        PatternTask.Source good = new PatternTask.Source(SEED, 4, 12);
        BatchSource poisoned = new BatchSource() {
            int calls;

            @Override
            public MultiDataSet next() {
                MultiDataSet b = good.next();
                if (++calls > 7) {
                    b.getFeatures(0).putScalar(0, 0, 0, Float.NaN);
                }
                return b;
            }

            @Override
            public com.fasterxml.jackson.databind.JsonNode state() {
                return good.state();
            }

            @Override
            public void restore(com.fasterxml.jackson.databind.JsonNode s) {
                good.restore(s);
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                new Trainer(config(20), dir).progressTo(null).fit(net, poisoned, m -> PatternTask.bundle(m, SEED)));
        assertEquals(8, e.step());
        assertTrue(e.getMessage().startsWith("training diverged at step 8: the loss is NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("(step 5) is kept"), e.getMessage());
        ModelBundle kept = ModelBundle.load(Trainer.checkpointIn(dir), PatternTask.TASK, true);
        assertEquals(5, Trainer.stateOf(kept).step());
        for (float p : kept.multiLayerNetwork().params().dup().data().asFloat()) {
            assertTrue(Float.isFinite(p));
        }
    }

    @Test
    void configAppliesUpdaterClippingAndTbptt() {
        MultiLayerNetwork net = PatternTask.network(CellType.LSTM, 8, SEED);
        TrainerConfig cfg = new TrainerConfig("nesterov", 0.1, 0.8, "step", 0.5, 10, "elementwise", 1.5, 7, 10, 0,
                0, 0, SEED, 10);
        Networks.applyTraining(net, cfg);
        var layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) Networks.layerConfs(net).get(0);
        assertEquals(org.deeplearning4j.nn.conf.GradientNormalization.ClipElementWiseAbsoluteValue,
                layer.getGradientNormalization());
        assertEquals(1.5, layer.getGradientNormalizationThreshold());
        var nesterovs = (org.nd4j.linalg.learning.config.Nesterovs) layer.getIUpdater();
        assertEquals(0.8, nesterovs.getMomentum());
        assertEquals(0.1, nesterovs.getLearningRate(0, 0), 1e-12);
        assertEquals(0.05, nesterovs.getLearningRate(10, 0), 1e-12);
        assertEquals(org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT,
                net.getLayerWiseConfigurations().getBackpropType());
        assertEquals(7, net.getLayerWiseConfigurations().getTbpttFwdLength());
    }

    @Test
    void invalidTrainerConfigIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new TrainerConfig("adagrad", 0.1, 0.9, "constant", 0.5, 10, "l2", 1, 0, 10, 0, 0, 0, 1, 10));
        assertEquals("trainer.updater must be one of adam|rmsprop|nesterov, got 'adagrad'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () ->
                new TrainerConfig("adam", -1, 0.9, "constant", 0.5, 10, "l2", 1, 0, 10, 0, 0, 0, 1, 10));
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
