package org.rnnsuite.captioning;

import org.rnnsuite.core.train.TrainerConfig;

/**
 * Everything a captioning run is made of; saved in the model bundle. Load with
 * {@code Configs.load(CaptionConfig.class, CaptionConfig.defaults(), file, overrides)}.
 *
 * @param model   network shape
 * @param data    batching and vocabulary
 * @param trainer optimizer, steps, validation cadence, seed
 */
public record CaptionConfig(CaptionModelConfig model, CaptionDataConfig data, TrainerConfig trainer) {
    public CaptionConfig {
        if (model == null || data == null || trainer == null) {
            throw new IllegalArgumentException("model, data and trainer must all be set");
        }
    }

    /** Defaults: 64x64 images, 4 conv blocks, LSTM 256, batch 32, Adam 2e-3, 3000 steps, validation every 250. */
    public static CaptionConfig defaults() {
        TrainerConfig t = TrainerConfig.defaults();
        t = new TrainerConfig(t.updater(), t.learningRate(), t.momentum(), t.lrSchedule(), t.lrDecay(),
                t.lrDecaySteps(), t.clip(), t.clipThreshold(), 0, 3000, 250, 250, 0, t.seed(), t.progressSeconds());
        return new CaptionConfig(CaptionModelConfig.defaults(), CaptionDataConfig.defaults(), t);
    }
}
