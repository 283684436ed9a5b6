package org.rnnsuite.speech;

/**
 * A mono waveform.
 *
 * @param samples    samples in [-1, 1]
 * @param sampleRate samples per second
 */
public record Audio(float[] samples, int sampleRate) {
    /** Length in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
