package org.rnnsuite.speech;

import org.rnnsuite.core.config.Check;

/**
 * How a waveform becomes a sequence of feature frames (MFCC or log mel energies).
 *
 * @param sampleRate   rate every clip is resampled to before analysis, Hz; 8000..48000 (default 16000)
 * @param frameMs      analysis window length, ms; 10..50 (default 25)
 * @param hopMs        step between frames, ms; 5..frameMs (default 10)
 * @param fftSize      FFT length in samples, a power of two at least the window length (default 512)
 * @param melBands     triangular mel filters; 10..128 (default 40)
 * @param coefficients cepstral coefficients kept, including c0; 2..melBands (default 13)
 * @param lowHz        lowest filter edge, Hz; 0..highHz (default 20)
 * @param highHz       highest filter edge, Hz; 0 means half the sample rate (default 0)
 * @param preEmphasis  first-order pre-emphasis coefficient; 0 disables, 0..0.99 (default 0.97)
 * @param deltas       0 = coefficients only, 1 = plus first differences, 2 = plus second differences (default 2)
 * @param maxSeconds   longest accepted clip, s; longer files are refused with a message; 0.5..60 (default 5)
 * @param cmn          cepstral mean normalization: {@code none} (default) or {@code utterance}, which subtracts each
 *                     clip's mean of every static coefficient (removes a constant channel or spectral tilt: the
 *                     microphone, the room, a vocoder); absent in models saved before it existed, read as none
 * @param kind         {@code mfcc} (default): the first {@code coefficients} cepstral coefficients of each frame;
 *                     {@code logmel}: the {@code melBands} log filterbank energies themselves, low to high (no DCT,
 *                     {@code coefficients} unused), the input of a convolutional front end over frequency
 *                     ({@link SpeechModelConfig#convFilters()}); absent in models saved before it existed, read as mfcc
 */
public record FeatureConfig(
        int sampleRate,
        double frameMs,
        double hopMs,
        int fftSize,
        int melBands,
        int coefficients,
        double lowHz,
        double highHz,
        double preEmphasis,
        int deltas,
        double maxSeconds,
        String cmn,
        String kind) {

    public FeatureConfig {
        Check.range("features.sampleRate", sampleRate, 8000, 48000);
        Check.range("features.frameMs", frameMs, 10, 50);
        Check.range("features.hopMs", hopMs, 5, frameMs);
        Check.range("features.melBands", melBands, 10, 128);
        Check.range("features.coefficients", coefficients, 2, melBands);
        Check.range("features.highHz", highHz, 0, sampleRate / 2.0);
        Check.range("features.lowHz", lowHz, 0, highHz > 0 ? highHz : sampleRate / 2.0);
        Check.range("features.preEmphasis", preEmphasis, 0, 0.99);
        Check.range("features.deltas", deltas, 0, 2);
        Check.range("features.maxSeconds", maxSeconds, 0.5, 60);
        if (cmn == null) {
            cmn = "none";
        }
        Check.oneOf("features.cmn", cmn, "none", "utterance");
        if (kind == null) {
            kind = "mfcc";
        }
        Check.oneOf("features.kind", kind, "mfcc", "logmel");
        if (Integer.bitCount(fftSize) != 1 || fftSize < frameSamples(sampleRate, frameMs)) {
            throw new IllegalArgumentException("features.fftSize must be a power of two >= the window length ("
                    + frameSamples(sampleRate, frameMs) + " samples), got " + fftSize);
        }
    }

    /** MFCC features ({@code kind=mfcc}). */
    public FeatureConfig(int sampleRate, double frameMs, double hopMs, int fftSize, int melBands, int coefficients,
                         double lowHz, double highHz, double preEmphasis, int deltas, double maxSeconds, String cmn) {
        this(sampleRate, frameMs, hopMs, fftSize, melBands, coefficients, lowHz, highHz, preEmphasis, deltas,
                maxSeconds, cmn, "mfcc");
    }

    /** 16 kHz, 25 ms windows every 10 ms, 40 mel bands, 13 coefficients plus deltas and delta-deltas. */
    public static FeatureConfig defaults() {
        return new FeatureConfig(16000, 25, 10, 512, 40, 13, 20, 0, 0.97, 2, 5, "none", "mfcc");
    }

    /** Whether frames hold log mel energies rather than cepstral coefficients. */
    public boolean logMel() {
        return "logmel".equals(kind);
    }

    /** Static values per frame, before deltas: {@code melBands} for log mel features, else {@code coefficients}. */
    public int staticSize() {
        return logMel() ? melBands : coefficients;
    }

    /** Samples per analysis window. */
    public int frameSamples() {
        return frameSamples(sampleRate, frameMs);
    }

    /** Samples between frame starts. */
    public int hopSamples() {
        return (int) Math.round(sampleRate * hopMs / 1000.0);
    }

    /** Values per frame: {@link #staticSize()} times (1 + deltas). */
    public int frameSize() {
        return staticSize() * (1 + deltas);
    }

    /** Upper filter edge in Hz, with 0 resolved to Nyquist. */
    public double effectiveHighHz() {
        return highHz > 0 ? highHz : sampleRate / 2.0;
    }

    private static int frameSamples(int rate, double ms) {
        return (int) Math.round(rate * ms / 1000.0);
    }
}
