package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vocoder keeps a vowel's formants and pitch and a fricative's noise; needs SPTK (installed by .ci/run). */
class VocoderTest {
    private static final int RATE = Vocoder.RATE;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsSptk() {
        String why = "SPTK's 'sptk' command is not installed (apt-get install -y sptk)";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Vocoder.available(), why);
        } else {
            assumeTrue(Vocoder.available(), why);
        }
    }

    /** /a/ and, to tell how far an envelope may move, /i/, both at 140 Hz. */
    private static final float[] A = vowel(140, new double[]{730, 1090, 2440});
    private static final float[] I = vowel(140, new double[]{270, 2290, 3010});

    @Test
    void aVowelKeepsItsFormantsAndPitch() throws IOException {
        float[] out = Vocoder.resynthesize(A, dir.resolve("work"), false);
        assertEquals(A.length, out.length);
        double peak = 0;
        for (float v : out) {
            assertTrue(Float.isFinite(v));
            peak = Math.max(peak, Math.abs(v));
        }
        assertEquals(Math.pow(10, -1 / 20.0), peak, 1e-4);
        assertTrue(Files.notExists(dir.resolve("work")), "scratch folder removed");

        assertKeepsTheEnvelopeOfA(out);
        int period = period(out, 60, 200);
        assertEquals(RATE / 140.0, period, RATE / 140.0 * 0.05, "pitch period in samples");
    }

    @Test
    void aWhisperedVowelKeepsItsFormantsAndLosesItsPitch() throws IOException {
        float[] out = Vocoder.resynthesize(A, dir.resolve("work"), true);
        assertEquals(A.length, out.length);
        assertKeepsTheEnvelopeOfA(out);
        assertTrue(periodicity(A, 60, 200) > 0.8);
        assertTrue(periodicity(out, 60, 200) < 0.3, "whisper came out periodic: " + periodicity(out, 60, 200));
    }

    /**
     * The spectral envelope below 4 kHz (formants; above, the vowels here fall 60 dB, below what the analysis
     * resolves), in 500 Hz bands relative to their mean level, stays within 3 dB of /a/'s; /i/'s is over 10 dB away.
     */
    private static void assertKeepsTheEnvelopeOfA(float[] out) {
        double kept = distance(bandLevels(out), bandLevels(A));
        double otherVowel = distance(bandLevels(I), bandLevels(A));
        assertTrue(kept < 3 && otherVowel > 10, "envelope moved " + kept + " dB, the other vowel is " + otherVowel
                + " dB away");
    }

    @Test
    void aFricativeStaysNoise() throws IOException {
        // white noise through a 4-8 kHz band: like an /s/
        Random r = new Random(3);
        float[] s = new float[RATE / 2];
        double y1 = 0;
        double y2 = 0;
        for (int n = 0; n < s.length; n++) {
            double x = r.nextGaussian();
            // second-order resonance at 6 kHz, wide
            double rad = Math.exp(-Math.PI * 2500 / RATE);
            double y = x + 2 * rad * Math.cos(2 * Math.PI * 6000 / RATE) * y1 - rad * rad * y2;
            y2 = y1;
            y1 = y;
            s[n] = (float) (0.05 * y);
        }
        float[] out = Vocoder.resynthesize(s, dir.resolve("work"), false);
        assertTrue(centroid(out) > 4000, "spectral centroid " + centroid(out) + " Hz");
        assertTrue(periodicity(out, 60, 200) < 0.3, "noise came out periodic: " + periodicity(out, 60, 200));
        assertTrue(periodicity(A, 60, 200) > 0.8);
    }

    @Test
    void aFileIsRewrittenInPlace() throws IOException {
        Path f = dir.resolve("a.wav");
        WavWriter.write(f, new Audio(vowel(200, new double[]{500, 1500, 2500}), RATE));
        Vocoder.resynthesize(f, f, dir.resolve("work"), false);
        Audio back = WavReader.read(f, 0, 0);
        assertEquals(RATE, back.sampleRate());
        assertEquals(RATE / 2, back.samples().length);
        assertEquals(RATE / 200.0, period(back.samples(), 60, 200), RATE / 200.0 * 0.05);
    }

    /** Half a second of a vowel: a pulse train through three resonances and the lips' radiation. */
    private static float[] vowel(double f0, double[] formants) {
        float[] x = new float[RATE / 2];
        double period = RATE / f0;
        for (double t = 0; t < x.length; t += period) {
            x[(int) t] = 1;
        }
        double[] y = new double[x.length];
        for (int n = 0; n < x.length; n++) {
            y[n] = x[n];
        }
        for (double f : formants) {
            double bw = 60 + 0.05 * f;
            double rad = Math.exp(-Math.PI * bw / RATE);
            double c1 = 2 * rad * Math.cos(2 * Math.PI * f / RATE);
            double c2 = -rad * rad;
            double y1 = 0;
            double y2 = 0;
            for (int n = 0; n < y.length; n++) {
                double v = y[n] + c1 * y1 + c2 * y2;
                y2 = y1;
                y1 = v;
                y[n] = v;
            }
        }
        // radiation at the lips: +6 dB per octave
        for (int n = y.length - 1; n > 0; n--) {
            y[n] -= y[n - 1];
        }
        double peak = 0;
        for (double v : y) {
            peak = Math.max(peak, Math.abs(v));
        }
        float[] out = new float[x.length];
        for (int n = 0; n < x.length; n++) {
            out[n] = (float) (0.5 * y[n] / peak);
        }
        return out;
    }

    /** Levels in dB of eight 500 Hz bands from 0 to 4 kHz over the middle half, less their mean. */
    private static double[] bandLevels(float[] x) {
        int n = 512;
        double[] power = new double[n / 2];
        for (int from = x.length / 4; from + n <= 3 * x.length / 4; from += n / 2) {
            for (int k = 0; k < n / 2; k++) {
                double re = 0;
                double im = 0;
                for (int t = 0; t < n; t++) {
                    double v = x[from + t] * (0.5 - 0.5 * Math.cos(2 * Math.PI * t / (n - 1)));
                    re += v * Math.cos(2 * Math.PI * k * t / n);
                    im -= v * Math.sin(2 * Math.PI * k * t / n);
                }
                power[k] += re * re + im * im;
            }
        }
        double[] bands = new double[8];
        double mean = 0;
        for (int b = 0; b < 8; b++) {
            double sum = 1e-20;
            for (int k = b * 16; k < (b + 1) * 16; k++) {
                sum += power[k];
            }
            bands[b] = 10 * Math.log10(sum);
            mean += bands[b] / 8;
        }
        for (int b = 0; b < 8; b++) {
            bands[b] -= mean;
        }
        return bands;
    }

    /** Root mean square difference. */
    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(s / a.length);
    }

    /** The lag in [lo, hi] of the highest normalized autocorrelation over the middle half. */
    private static int period(float[] x, int lo, int hi) {
        int best = lo;
        double bestR = -2;
        for (int lag = lo; lag <= hi; lag++) {
            double r = autocorrelation(x, lag);
            if (r > bestR) {
                bestR = r;
                best = lag;
            }
        }
        return best;
    }

    private static double periodicity(float[] x, int lo, int hi) {
        return autocorrelation(x, period(x, lo, hi));
    }

    private static double autocorrelation(float[] x, int lag) {
        int from = x.length / 4;
        int to = 3 * x.length / 4;
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int n = from; n < to; n++) {
            xy += x[n] * x[n + lag];
            xx += x[n] * x[n];
            yy += x[n + lag] * x[n + lag];
        }
        return xy / Math.sqrt(xx * yy + 1e-30);
    }

    private static double centroid(float[] x) {
        // power spectrum by a direct DFT of the middle 1,024 samples (Hann window), 16 Hz bins
        int n = 1024;
        int from = x.length / 2 - n / 2;
        double num = 0;
        double den = 0;
        for (int k = 1; k < n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int t = 0; t < n; t++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / (n - 1));
                double v = x[from + t] * w;
                re += v * Math.cos(2 * Math.PI * k * t / n);
                im -= v * Math.sin(2 * Math.PI * k * t / n);
            }
            double p = re * re + im * im;
            num += p * k * RATE / (double) n;
            den += p;
        }
        return num / den;
    }
}
