package org.rnnsuite.speech;

import java.util.List;

/**
 * Per-coefficient standardization of feature frames, {@code (x - mean) / std}. Fitted on the training split only,
 * so validation and test data stay unseen, and stored in the model bundle so inference applies the same shift.
 *
 * @param mean per-coefficient mean over all training frames
 * @param std  per-coefficient standard deviation, floored at {@value #MIN_STD}
 */
public record Normalizer(float[] mean, float[] std) {
    /** Keeps constant coefficients (e.g. in toy data) from dividing by zero. */
    public static final float MIN_STD = 1e-4f;

    /** Artifact name in the bundle. */
    public static final String ARTIFACT = "normalizer.json";

    /** Mean and standard deviation of every coefficient over all frames of the given sequences. */
    public static Normalizer fit(List<float[][]> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("cannot fit a normalizer on no sequences");
        }
        int d = sequences.get(0)[0].length;
        double[] sum = new double[d];
        double[] sq = new double[d];
        long n = 0;
        for (float[][] seq : sequences) {
            for (float[] frame : seq) {
                for (int k = 0; k < d; k++) {
                    sum[k] += frame[k];
                    sq[k] += (double) frame[k] * frame[k];
                }
                n++;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int k = 0; k < d; k++) {
            double m = sum[k] / n;
            mean[k] = (float) m;
            std[k] = (float) Math.max(MIN_STD, Math.sqrt(Math.max(0, sq[k] / n - m * m)));
        }
        return new Normalizer(mean, std);
    }

    /** A normalized copy. */
    public float[][] apply(float[][] seq) {
        float[][] out = new float[seq.length][];
        for (int t = 0; t < seq.length; t++) {
            if (seq[t].length != mean.length) {
                throw new IllegalArgumentException("frame has " + seq[t].length + " values, normalizer expects "
                        + mean.length);
            }
            out[t] = new float[mean.length];
            for (int k = 0; k < mean.length; k++) {
                out[t][k] = (seq[t][k] - mean[k]) / std[k];
            }
        }
        return out;
    }
}
