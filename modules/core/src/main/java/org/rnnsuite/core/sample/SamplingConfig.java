package org.rnnsuite.core.sample;

import org.rnnsuite.core.config.Check;

/**
 * How the next token is drawn from a distribution.
 *
 * @param temperature divides the log-probabilities before drawing; 0 means greedy (always the most probable token),
 *                    1 draws from the model's own distribution, below 1 is more conservative, above 1 more varied;
 *                    sane range 0..2 (default 1.0)
 * @param topK        draw only among the {@code topK} most probable tokens; 0 means no truncation (default 0)
 * @param seed        seed of the random generator; the same seed and model give the same sequence (default 42)
 */
public record SamplingConfig(double temperature, int topK, long seed) {

    public SamplingConfig {
        Check.nonNegative("temperature", temperature);
        Check.nonNegative("topK", topK);
    }

    /** The documented defaults. */
    public static SamplingConfig defaults() {
        return new SamplingConfig(1.0, 0, 42L);
    }

    /** Always the most probable token. */
    public static SamplingConfig greedy() {
        return new SamplingConfig(0.0, 0, 42L);
    }

    public boolean isGreedy() {
        return temperature == 0.0;
    }
}
