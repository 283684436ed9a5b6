package org.rnnsuite.speech;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Analysis and resynthesis of 16 kHz speech through a mel-cepstral vocoder, the one statistical parametric speech
 * synthesis (HTS) speaks through: every 5 ms the spectral envelope is measured as 25 mel-cepstral coefficients
 * (all-pass constant 0.42, 25 ms Hamming windows) and the pitch by RAPT (60-450 Hz); the speech is then made
 * again by exciting an MLSA filter with those envelopes, with a pulse train at the measured pitch where voiced and
 * white noise where not. The envelope (the words' formants and consonant spectra) and the melody stay; the
 * original excitation and phase (a synthesizer's glottal pulses and its fine spectral detail) do not. Whispered,
 * the filter is excited by noise alone: the envelope stays, the pitch goes, as when a person whispers.
 *
 * <p>The work is done by SPTK's command-line tools (Debian package {@code sptk}, through its {@code sptk}
 * front end), as the data builder uses sox and the synthesizers.
 */
final class Vocoder {
    static final int RATE = 16000;
    /** Frame shift: 5 ms. */
    static final int SHIFT = 80;
    /** Analysis window: 25 ms. */
    static final int WINDOW = 400;
    static final int FFT = 512;
    /** Mel-cepstral order (25 coefficients with the gain). */
    static final int ORDER = 24;
    /** Frequency warping of the mel-cepstrum at 16 kHz. */
    static final double ALPHA = 0.42;
    static final int MIN_F0 = 60;
    static final int MAX_F0 = 450;

    private Vocoder() {
    }

    /** Whether SPTK's front end runs. */
    static boolean available() {
        return SpeechDataBuilder.toolWorks("sptk", "-h");
    }

    /**
     * Resynthesizes a 16 kHz mono WAV file (which may be {@code out} itself); the result has the same length, its
     * peak at -1 dBFS. {@code work} is a scratch folder, made and removed here.
     */
    static void resynthesize(Path in, Path out, Path work, boolean whisper) throws IOException {
        Audio a = WavReader.read(in, 0, 0);
        if (a.sampleRate() != RATE) {
            throw new IllegalArgumentException(in + ": the vocoder takes " + RATE + " Hz audio, not "
                    + a.sampleRate());
        }
        float[] y = resynthesize(a.samples(), work, whisper);
        WavWriter.write(out, new Audio(y, RATE));
    }

    /** Resynthesizes 16 kHz samples; see {@link #resynthesize(Path, Path, Path, boolean)}. */
    static float[] resynthesize(float[] x, Path work, boolean whisper) throws IOException {
        Files.createDirectories(work);
        try {
            Path signal = work.resolve("x.f32");
            Path pitch = work.resolve("pitch.f32");
            Path mcep = work.resolve("mcep.f32");
            Path synth = work.resolve("y.f32");
            // on the scale of 16-bit samples: RAPT's voicing decisions assume it (at +-1 it hears no voice)
            writeFloats(signal, x, 32768f);
            pipeline(work, signal, pitch, List.of(
                    sptk("pitch", "-a", "0", "-s", Integer.toString(RATE / 1000), "-p", Integer.toString(SHIFT),
                            "-L", Integer.toString(MIN_F0), "-H", Integer.toString(MAX_F0), "-o", "0")));
            pipeline(work, signal, mcep, List.of(
                    sptk("frame", "-l", Integer.toString(WINDOW), "-p", Integer.toString(SHIFT)),
                    sptk("window", "-l", Integer.toString(WINDOW), "-L", Integer.toString(FFT), "-w", "1"),
                    sptk("mcep", "-l", Integer.toString(FFT), "-m", Integer.toString(ORDER), "-a",
                            Double.toString(ALPHA), "-e", "1e-6", "-q", "0")));
            if (whisper) {
                // pitch period 0 everywhere: the excitation is noise in every frame
                writeFloats(pitch, new float[readFloats(pitch).length], 1f);
            }
            pipeline(work, pitch, synth, List.of(
                    sptk("excite", "-p", Integer.toString(SHIFT)),
                    sptk("mlsadf", "-m", Integer.toString(ORDER), "-a", Double.toString(ALPHA), "-p",
                            Integer.toString(SHIFT), mcep.toString())));
            float[] y = readFloats(synth);
            float[] out = new float[x.length];
            System.arraycopy(y, 0, out, 0, Math.min(y.length, x.length));
            double peak = 1e-9;
            for (float v : out) {
                if (!Float.isFinite(v)) {
                    throw new IOException("the vocoder's output is not finite");
                }
                peak = Math.max(peak, Math.abs(v));
            }
            float scale = (float) (Math.pow(10, -1 / 20.0) / peak);
            for (int i = 0; i < out.length; i++) {
                out[i] *= scale;
            }
            return out;
        } finally {
            SpeechDataBuilder.deleteTree(work);
        }
    }

    private static List<String> sptk(String... args) {
        List<String> cmd = new ArrayList<>(List.of("sptk"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs commands joined by pipes, the first reading {@code in}, the last writing {@code out}. */
    private static void pipeline(Path work, Path in, Path out, List<List<String>> commands) throws IOException {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            builders.add(new ProcessBuilder(commands.get(i))
                    .redirectError(work.resolve("stderr-" + i + ".txt").toFile()));
        }
        builders.get(0).redirectInput(in.toFile());
        builders.get(builders.size() - 1).redirectOutput(out.toFile());
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        try {
            for (int i = 0; i < processes.size(); i++) {
                if (processes.get(i).waitFor() != 0) {
                    String err = Files.readString(work.resolve("stderr-" + i + ".txt"), StandardCharsets.UTF_8);
                    throw new IOException("'" + String.join(" ", commands.get(i)) + "' failed: " + err.trim());
                }
            }
        } catch (InterruptedException e) {
            processes.forEach(Process::destroy);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Writes {@code x * scale} as native-order 32-bit floats, SPTK's format. */
    private static void writeFloats(Path file, float[] x, float scale) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.nativeOrder());
        for (float v : x) {
            b.putFloat(v * scale);
        }
        Files.write(file, b.array());
    }

    private static float[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        float[] y = new float[b.remaining() / 4];
        for (int i = 0; i < y.length; i++) {
            y[i] = b.getFloat();
        }
        return y;
    }
}
