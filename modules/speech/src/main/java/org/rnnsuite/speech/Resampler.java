package org.rnnsuite.speech;

/**
 * Band-limited resampling by windowed-sinc interpolation. When lowering the rate the kernel's cutoff drops to the new
 * Nyquist frequency, so content above it is filtered out instead of folding back as aliases.
 */
public final class Resampler {
    /** Zero crossings of the sinc on each side: a trade of sharpness against cost (8 keeps aliasing below -50 dB). */
    private static final int ZEROS = 8;

    private Resampler() {
    }

    /** The waveform at {@code targetRate}; returns the input itself when the rates already match. */
    public static Audio resample(Audio in, int targetRate) {
        int from = in.sampleRate();
        if (from == targetRate) {
            return in;
        }
        float[] x = in.samples();
        double step = from / (double) targetRate;
        // cutoff in cycles per input sample, a little below Nyquist to leave room for the window's transition band
        double fc = 0.5 * Math.min(1.0, targetRate / (double) from) * 0.95;
        double halfWidth = ZEROS / (2 * fc);
        int n = (int) Math.max(1, Math.floor(x.length / step));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i * step;
            int lo = (int) Math.ceil(t - halfWidth);
            int hi = (int) Math.floor(t + halfWidth);
            double acc = 0;
            for (int k = Math.max(lo, 0); k <= Math.min(hi, x.length - 1); k++) {
                double d = k - t;
                double arg = 2 * fc * d;
                double sinc = Math.abs(arg) < 1e-12 ? 1.0 : Math.sin(Math.PI * arg) / (Math.PI * arg);
                double w = 0.5 + 0.5 * Math.cos(Math.PI * d / halfWidth);
                acc += x[k] * 2 * fc * sinc * w;
            }
            y[i] = (float) acc;
        }
        return new Audio(y, targetRate);
    }
}
