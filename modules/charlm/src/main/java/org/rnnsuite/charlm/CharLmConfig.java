package org.rnnsuite.charlm;

import java.util.Objects;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.train.TrainerConfig;

/**
 * Everything that defines a character language model run; stored in the model bundle.
 *
 * @param model   the network
 * @param data    how the text is cut into training sequences and the held-out split
 * @param trainer optimizer, clipping, truncated BPTT, steps, validation and checkpoint cadence, seed
 */
public record CharLmConfig(ModelConfig model, DataConfig data, TrainerConfig trainer) {

    public CharLmConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(trainer, "trainer");
        if (trainer.tbpttLength() > 0 && data.seqLength() % trainer.tbpttLength() != 0) {
            // equal segments keep the reported loss per character exact (DL4J scores the last segment only)
            throw new IllegalArgumentException("trainer.tbpttLength (" + trainer.tbpttLength()
                    + ") must divide data.seqLength (" + data.seqLength() + ")");
        }
    }

    /**
     * The network.
     *
     * @param cell       recurrent cell: {@code rnn}, {@code lstm} (default), {@code peephole}, {@code cifg} or
     *                   {@code gru}
     * @param layers     stacked recurrent layers, 1..8 (default 2)
     * @param hiddenSize units per recurrent layer, 1..4096 (default 128)
     * @param dropout    probability of dropping an activation between layers (not on the one-hot input), in [0, 0.9]
     *                   (default 0)
     */
    public record ModelConfig(String cell, int layers, int hiddenSize, double dropout) {
        public ModelConfig {
            CellType.parse(cell);
            Check.range("model.layers", layers, 1, 8);
            Check.range("model.hiddenSize", hiddenSize, 1, 4096);
            Check.range("model.dropout", dropout, 0, 0.9);
        }

        public static ModelConfig defaults() {
            return new ModelConfig("lstm", 2, 128, 0.0);
        }

        public CellType cellType() {
            return CellType.parse(cell);
        }
    }

    /**
     * How text becomes training data.
     *
     * @param seqLength   characters per training sequence (the network predicts each next one), 2..10000 (default 64)
     * @param batchSize   sequences per minibatch, 1..4096 (default 32)
     * @param valFraction fraction of the text, taken from its end, held out for validation; 0 disables validation;
     *                    in [0, 0.5] (default 0.05)
     */
    public record DataConfig(int seqLength, int batchSize, double valFraction) {
        public DataConfig {
            Check.range("data.seqLength", seqLength, 2, 10_000);
            Check.range("data.batchSize", batchSize, 1, 4096);
            Check.range("data.valFraction", valFraction, 0, 0.5);
        }

        public static DataConfig defaults() {
            return new DataConfig(64, 32, 0.05);
        }
    }

    /** The documented defaults: 2x128 LSTM, sequences of 64, batches of 32, TBPTT over whole sequences. */
    public static CharLmConfig defaults() {
        TrainerConfig t = TrainerConfig.defaults();
        return new CharLmConfig(ModelConfig.defaults(), DataConfig.defaults(),
                new TrainerConfig(t.updater(), t.learningRate(), t.momentum(), t.lrSchedule(), t.lrDecay(),
                        t.lrDecaySteps(), t.clip(), t.clipThreshold(), 64, t.maxSteps(), t.evalEvery(),
                        t.checkpointEvery(), t.earlyStopPatience(), t.seed(), t.progressSeconds()));
    }

    /** The same with another step budget. */
    public CharLmConfig withMaxSteps(int steps) {
        return new CharLmConfig(model, data, trainer.withMaxSteps(steps));
    }
}
