package org.rnnsuite.speech;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Mel-frequency cepstral coefficients, the classic front end of speech recognition: pre-emphasis, Hamming window,
 * power spectrum (JTransforms FFT), triangular filters equally spaced on the HTK mel scale, natural log, orthonormal
 * DCT-II, optional first and second differences; with {@code features.kind=logmel} the log filterbank energies are
 * kept as they are (no DCT). {@code src/test/python/mfcc_reference.py} computes the same definition with
 * numpy/scipy; the tests hold this class to it.
 *
 * <p>Frames are not centred: frame {@code t} covers samples {@code [t*hop, t*hop+window)}; a clip shorter than one
 * window gives one zero-padded frame. An instance is not thread-safe (it reuses its FFT buffers).
 */
public final class Mfcc {
    /** Floor of filterbank energies before the log, so silence gives a finite (very negative) value. */
    static final double LOG_FLOOR = 1e-10;
    /** Half-width of the regression window of deltas, in frames (HTK's default). */
    static final int DELTA_WINDOW = 2;

    private final FeatureConfig config;
    private final int frameLen;
    private final int hop;
    private final double[] window;
    private final double[][] filters;
    private final int[] filterLo;
    private final double[][] dct;
    private final DoubleFFT_1D fft;
    private final double[] buffer;
    /** Mel bands replaced by interpolation (frequency masking), or null. */
    private final boolean[] masked;

    public Mfcc(FeatureConfig config) {
        this(config, 1.0);
    }

    public Mfcc(FeatureConfig config, double warp) {
        this(config, warp, null);
    }

    /**
     * MFCC with the filterbank's frequencies warped by {@code warp} (vocal tract length perturbation; see
     * {@link #vtlpWarp}); 1 is the plain filterbank. {@code maskedBands} (null for none) marks mel bands whose log
     * energy is replaced, in every frame, by the straight line between the nearest unmasked bands on either side
     * (the nearest one at an end): frequency masking for training copies, see {@link SpeechAugmentConfig}.
     */
    public Mfcc(FeatureConfig config, double warp, boolean[] maskedBands) {
        if (!(warp >= 0.5 && warp <= 2)) {
            throw new IllegalArgumentException("warp must be in [0.5, 2], got " + warp);
        }
        if (maskedBands != null && maskedBands.length != config.melBands()) {
            throw new IllegalArgumentException("mask has " + maskedBands.length + " bands, the filterbank "
                    + config.melBands());
        }
        boolean any = false;
        boolean all = maskedBands != null;
        if (maskedBands != null) {
            for (boolean b : maskedBands) {
                any |= b;
                all &= b;
            }
        }
        if (all) {
            throw new IllegalArgumentException("a frequency mask must leave at least one band");
        }
        this.masked = any ? maskedBands.clone() : null;
        this.config = config;
        this.frameLen = config.frameSamples();
        this.hop = config.hopSamples();
        this.window = new double[frameLen];
        for (int i = 0; i < frameLen; i++) {
            window[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (frameLen - 1));
        }
        int bins = config.fftSize() / 2 + 1;
        int m = config.melBands();
        double melLo = hzToMel(config.lowHz());
        double melHi = hzToMel(config.effectiveHighHz());
        double[] edges = new double[m + 2];
        for (int i = 0; i < m + 2; i++) {
            edges[i] = vtlpWarp(melToHz(melLo + (melHi - melLo) * i / (m + 1)), warp, config.effectiveHighHz());
        }
        filters = new double[m][];
        filterLo = new int[m];
        for (int j = 0; j < m; j++) {
            double l = edges[j];
            double c = edges[j + 1];
            double r = edges[j + 2];
            double[] w = new double[bins];
            int first = -1;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double f = k * (double) config.sampleRate() / config.fftSize();
                double v = Math.max(0, Math.min((f - l) / (c - l), (r - f) / (r - c)));
                w[k] = v;
                if (v > 0) {
                    last = k;
                    if (first < 0) {
                        first = k;
                    }
                }
            }
            // keep only the non-zero span: the filterbank is the hot loop after the FFT
            if (first < 0) {
                filterLo[j] = 0;
                filters[j] = new double[0];
            } else {
                filterLo[j] = first;
                filters[j] = java.util.Arrays.copyOfRange(w, first, last + 1);
            }
        }
        int nc = config.logMel() ? 0 : config.coefficients();
        dct = new double[nc][m];
        for (int k = 0; k < nc; k++) {
            double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / m);
            for (int i = 0; i < m; i++) {
                dct[k][i] = scale * Math.cos(Math.PI * k * (2 * i + 1) / (2.0 * m));
            }
        }
        fft = new DoubleFFT_1D(config.fftSize());
        buffer = new double[config.fftSize()];
    }

    public FeatureConfig config() {
        return config;
    }

    /**
     * The piecewise-linear frequency warp of VTLP (Jaitly and Hinton 2013): frequencies are scaled by {@code alpha}
     * up to a boundary (4.8 kHz at an 8 kHz band edge, in proportion otherwise), and above it mapped linearly so
     * that the band edge {@code highHz} stays where it is.
     */
    public static double vtlpWarp(double hz, double alpha, double highHz) {
        if (alpha == 1.0) {
            return hz;
        }
        double boundary = 0.6 * highHz * Math.min(alpha, 1) / alpha;
        if (hz <= boundary) {
            return hz * alpha;
        }
        double lowPart = 0.6 * highHz * Math.min(alpha, 1);
        return highHz - (highHz - lowPart) / (highHz - boundary) * (highHz - hz);
    }

    /** HTK mel scale. */
    public static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    public static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** Frames a waveform of {@code n} samples gives. */
    public int frameCount(int n) {
        return n <= frameLen ? 1 : 1 + (n - frameLen) / hop;
    }

    /**
     * Features of a waveform already at the configured rate: {@code [frames][frameSize]}, static values first, then
     * deltas, then delta-deltas.
     */
    public float[][] compute(float[] samples) {
        int frames = frameCount(samples.length);
        int nc = config.staticSize();
        double[][] ceps = new double[frames][];
        for (int t = 0; t < frames; t++) {
            ceps[t] = cepstrum(samples, t * hop);
        }
        if ("utterance".equals(config.cmn())) {
            // deltas are differences, so subtracting the mean before them leaves them unchanged
            for (int k = 0; k < nc; k++) {
                double mean = 0;
                for (double[] c : ceps) {
                    mean += c[k];
                }
                mean /= frames;
                for (double[] c : ceps) {
                    c[k] -= mean;
                }
            }
        }
        float[][] out = new float[frames][config.frameSize()];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < nc; k++) {
                out[t][k] = (float) ceps[t][k];
            }
        }
        if (config.deltas() >= 1) {
            double[][] d1 = deltas(ceps);
            copyInto(out, d1, nc);
            if (config.deltas() >= 2) {
                copyInto(out, deltas(d1), 2 * nc);
            }
        }
        return out;
    }

    /**
     * Cepstrum (or log mel energies) of the frame starting at {@code start}; pre-emphasis uses the sample before
     * the frame when present.
     */
    private double[] cepstrum(float[] x, int start) {
        double a = config.preEmphasis();
        java.util.Arrays.fill(buffer, 0);
        for (int i = 0; i < frameLen; i++) {
            int idx = start + i;
            if (idx >= x.length) {
                break;
            }
            double prev = idx > 0 ? x[idx - 1] : 0;
            buffer[i] = (x[idx] - a * prev) * window[i];
        }
        fft.realForward(buffer);
        int n = config.fftSize();
        int bins = n / 2 + 1;
        double[] power = new double[bins];
        power[0] = buffer[0] * buffer[0] / n;
        power[bins - 1] = buffer[1] * buffer[1] / n;
        for (int k = 1; k < bins - 1; k++) {
            double re = buffer[2 * k];
            double im = buffer[2 * k + 1];
            power[k] = (re * re + im * im) / n;
        }
        int m = config.melBands();
        double[] logMel = new double[m];
        for (int j = 0; j < m; j++) {
            double e = 0;
            double[] w = filters[j];
            int lo = filterLo[j];
            for (int k = 0; k < w.length; k++) {
                e += w[k] * power[lo + k];
            }
            logMel[j] = Math.log(Math.max(e, LOG_FLOOR));
        }
        if (masked != null) {
            interpolateMasked(logMel, masked);
        }
        if (config.logMel()) {
            return logMel;
        }
        double[] c = new double[config.coefficients()];
        for (int k = 0; k < c.length; k++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += dct[k][i] * logMel[i];
            }
            c[k] = s;
        }
        return c;
    }

    /** Replaces masked entries by linear interpolation between the nearest unmasked ones (constant at the ends). */
    static void interpolateMasked(double[] v, boolean[] mask) {
        int n = v.length;
        int j = 0;
        while (j < n) {
            if (!mask[j]) {
                j++;
                continue;
            }
            int lo = j - 1;
            int hi = j;
            while (hi < n && mask[hi]) {
                hi++;
            }
            for (int k = j; k < hi; k++) {
                if (lo < 0) {
                    v[k] = v[hi];
                } else if (hi >= n) {
                    v[k] = v[lo];
                } else {
                    v[k] = v[lo] + (v[hi] - v[lo]) * (k - lo) / (double) (hi - lo);
                }
            }
            j = hi;
        }
    }

    /** Regression deltas over +-{@value #DELTA_WINDOW} frames, edges repeated. */
    static double[][] deltas(double[][] c) {
        int frames = c.length;
        int d = c[0].length;
        double denom = 0;
        for (int n = 1; n <= DELTA_WINDOW; n++) {
            denom += 2.0 * n * n;
        }
        double[][] out = new double[frames][d];
        for (int t = 0; t < frames; t++) {
            for (int n = 1; n <= DELTA_WINDOW; n++) {
                double[] next = c[Math.min(frames - 1, t + n)];
                double[] prev = c[Math.max(0, t - n)];
                for (int k = 0; k < d; k++) {
                    out[t][k] += n * (next[k] - prev[k]);
                }
            }
            for (int k = 0; k < d; k++) {
                out[t][k] /= denom;
            }
        }
        return out;
    }

    private static void copyInto(float[][] out, double[][] src, int offset) {
        for (int t = 0; t < out.length; t++) {
            for (int k = 0; k < src[t].length; k++) {
                out[t][offset + k] = (float) src[t][k];
            }
        }
    }
}
