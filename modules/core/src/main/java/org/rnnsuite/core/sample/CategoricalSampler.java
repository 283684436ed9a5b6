package org.rnnsuite.core.sample;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Draws token ids from categorical distributions with temperature and top-k, from its own seeded generator.
 *
 * <p>The generator belongs to the sampler, not to ND4J, so sampling is reproducible whatever else runs in the
 * process. Temperature is applied to probabilities as {@code p^(1/T)} renormalized, which equals a softmax of
 * {@code log p / T}; it is computed in log space relative to the largest probability so small temperatures do not
 * underflow to all zeros.
 */
public final class CategoricalSampler {
    private final SamplingConfig config;
    private final SplittableRandom random;

    public CategoricalSampler(SamplingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = new SplittableRandom(config.seed());
    }

    public SamplingConfig config() {
        return config;
    }

    /**
     * The next token id drawn from {@code probs} (non-negative, need not sum to one). Entries that are zero are never
     * drawn, so a caller can exclude tokens (e.g. an unknown symbol) by zeroing them.
     *
     * @throws IllegalArgumentException if no entry is positive or one is negative or not finite
     */
    public int next(double[] probs) {
        int n = probs.length;
        int best = argmax(probs);
        if (config.isGreedy()) {
            return best;
        }
        double[] w = probs.clone();
        if (config.topK() > 0 && config.topK() < n) {
            double[] sorted = probs.clone();
            Arrays.sort(sorted);
            double kth = sorted[n - config.topK()];
            // ties at the threshold are kept only up to k entries, lowest ids first, so k is exact
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] > kth) {
                    kept++;
                }
            }
            for (int i = 0; i < n; i++) {
                if (w[i] < kth) {
                    w[i] = 0;
                } else if (w[i] == kth) {
                    if (kept < config.topK()) {
                        kept++;
                    } else {
                        w[i] = 0;
                    }
                }
            }
        }
        double logMax = Math.log(probs[best]);
        double invT = 1.0 / config.temperature();
        double total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = w[i] > 0 ? Math.exp((Math.log(w[i]) - logMax) * invT) : 0.0;
            total += w[i];
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            return best;
        }
        double u = random.nextDouble() * total;
        double acc = 0;
        int last = best;
        for (int i = 0; i < n; i++) {
            if (w[i] > 0) {
                acc += w[i];
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        // rounding can leave u just above the accumulated sum: take the last token that had weight
        return last;
    }

    /** The same for single-precision output (what a network returns). */
    public int next(float[] probs) {
        double[] d = new double[probs.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = probs[i];
        }
        return next(d);
    }

    /** Index of the largest entry (lowest index on ties); validates the distribution. */
    public static int argmax(double[] probs) {
        if (probs.length == 0) {
            throw new IllegalArgumentException("empty distribution");
        }
        int best = -1;
        for (int i = 0; i < probs.length; i++) {
            double p = probs[i];
            if (!(p >= 0) || Double.isInfinite(p)) {
                throw new IllegalArgumentException("probability " + i + " is " + p + "; expected a finite value >= 0");
            }
            if (best < 0 || p > probs[best]) {
                best = i;
            }
        }
        if (!(probs[best] > 0)) {
            throw new IllegalArgumentException("distribution has no positive entry");
        }
        return best;
    }
}
