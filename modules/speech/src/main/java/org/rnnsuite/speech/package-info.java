/**
 * Spoken-word classification from raw audio: {@link org.rnnsuite.speech.WavReader} reads PCM WAV files,
 * {@link org.rnnsuite.speech.Mfcc} turns them into mel-frequency cepstral coefficients,
 * {@link org.rnnsuite.speech.SpeechTask} trains, evaluates and runs a recurrent classifier over the frames, and
 * {@link org.rnnsuite.speech.SpeechDataBuilder} synthesizes a spoken-digit corpus with many voices.
 *
 * <p>The same pipeline classifies any short sequences given as a folder-per-label tree of WAV files.
 */
package org.rnnsuite.speech;
