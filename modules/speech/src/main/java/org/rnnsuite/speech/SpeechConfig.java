package org.rnnsuite.speech;

import java.util.Objects;
import org.rnnsuite.core.train.TrainerConfig;

/**
 * Everything a speech model is trained with; saved in its bundle.
 *
 * @param model    the recurrent classifier
 * @param features the MFCC front end
 * @param data     splitting and batching
 * @param trainer  optimizer, clipping, steps, validation, seed
 * @param augment  feature augmentation of the training split; absent in models saved before it existed, which
 *                 read as {@link SpeechAugmentConfig#none()}
 */
public record SpeechConfig(SpeechModelConfig model, FeatureConfig features, SpeechDataConfig data,
                           TrainerConfig trainer, SpeechAugmentConfig augment) {
    public SpeechConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(trainer, "trainer");
        if (augment == null) {
            augment = SpeechAugmentConfig.none();
        }
    }

    /** Defaults of every part; 3000 training steps with validation every 250. */
    public static SpeechConfig defaults() {
        TrainerConfig t = TrainerConfig.defaults();
        t = new TrainerConfig(t.updater(), t.learningRate(), t.momentum(), t.lrSchedule(), t.lrDecay(),
                t.lrDecaySteps(), t.clip(), t.clipThreshold(), t.tbpttLength(), 3000, 250, 250, t.earlyStopPatience(),
                t.seed(), t.progressSeconds());
        return new SpeechConfig(SpeechModelConfig.defaults(), FeatureConfig.defaults(), SpeechDataConfig.defaults(), t,
                SpeechAugmentConfig.defaults());
    }

    public SpeechConfig withTrainer(TrainerConfig t) {
        return new SpeechConfig(model, features, data, t, augment);
    }
}
