package org.rnnsuite.speech;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Synthetic audio and WAV encodings for tests: no external tools needed. */
final class TestAudio {
    private TestAudio() {
    }

    /** A linear chirp from f0 to f1 Hz with a little noise and soft edges. */
    static float[] chirp(int rate, double seconds, double f0, double f1, double amp, long seed) {
        int n = (int) (rate * seconds);
        float[] x = new float[n];
        Random r = new Random(seed);
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f = f0 + (f1 - f0) * i / n;
            phase += 2 * Math.PI * f / rate;
            double env = Math.min(1, Math.min(i, n - i) / (0.02 * rate));
            x[i] = (float) (amp * env * Math.sin(phase) + 0.003 * r.nextGaussian());
        }
        return x;
    }

    /**
     * WAV bytes. {@code encoding}: "int" (8-bit unsigned, 16/24/32 signed) or "float" (32/64); channels beyond the
     * first carry the same signal scaled by {@code otherChannelGain}; {@code extensible} writes WAVE_FORMAT_EXTENSIBLE.
     */
    static byte[] wav(float[][] channels, int rate, String encoding, int bits, boolean extensible) {
        int ch = channels.length;
        int n = channels[0].length;
        int bps = bits / 8;
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + 8 + n * ch * bps).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity() - 8).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        int code = "float".equals(encoding) ? 3 : 1;
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(fmtSize)
                .putShort((short) (extensible ? 0xFFFE : code)).putShort((short) ch).putInt(rate)
                .putInt(rate * ch * bps).putShort((short) (ch * bps)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) code);
            b.put(new byte[14]);
        }
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(n * ch * bps);
        for (int i = 0; i < n; i++) {
            for (float[] c : channels) {
                double v = Math.max(-1, Math.min(1, c[i]));
                if ("float".equals(encoding)) {
                    if (bits == 32) {
                        b.putFloat((float) v);
                    } else {
                        b.putDouble(v);
                    }
                } else {
                    switch (bits) {
                        case 8 -> b.put((byte) (Math.round(v * 127) + 128));
                        case 16 -> b.putShort((short) Math.round(v * 32767));
                        case 24 -> {
                            int s = (int) Math.round(v * 8388607);
                            b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                        }
                        default -> b.putInt((int) Math.round(v * 2147483647.0));
                    }
                }
            }
        }
        return b.array();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    /**
     * A two-class toy dataset: "up" (rising chirps) and "down" (falling), several speakers (base frequencies) and
     * durations, written as DIR/train|valid|test/label/speaker_i.wav at 8 kHz.
     */
    static Path toyDataset(Path dir, int perSpeaker) throws IOException {
        String[][] splits = {{"train", "s1", "s2", "s3", "s4"}, {"valid", "s5"}, {"test", "s6"}};
        int rate = 8000;
        for (String[] split : splits) {
            for (int s = 1; s < split.length; s++) {
                String spk = split[s];
                double base = 300 + 90 * Integer.parseInt(spk.substring(1));
                for (int i = 0; i < perSpeaker; i++) {
                    double dur = 0.25 + 0.05 * (i % 4);
                    long seed = spk.hashCode() * 31L + i;
                    float[] up = chirp(rate, dur, base, base * 2.5, 0.4, seed);
                    float[] down = chirp(rate, dur, base * 2.5, base, 0.4, seed + 7);
                    write(dir.resolve(split[0]).resolve("up").resolve(spk + "_" + i + ".wav"),
                            WavWriter.pcm16(new Audio(up, rate)));
                    write(dir.resolve(split[0]).resolve("down").resolve(spk + "_" + i + ".wav"),
                            WavWriter.pcm16(new Audio(down, rate)));
                }
            }
        }
        return dir;
    }

    /** Small, fast settings for toy data at 8 kHz. */
    static SpeechConfig tinyConfig(String readout, int steps) {
        SpeechConfig d = SpeechConfig.defaults();
        FeatureConfig f = new FeatureConfig(8000, 32, 16, 256, 20, 10, 50, 0, 0.97, 1, 5, "none");
        SpeechModelConfig m = new SpeechModelConfig("lstm", 1, 16, false, 0.0, readout);
        var t = d.trainer();
        t = new org.rnnsuite.core.train.TrainerConfig(t.updater(), 1e-2, t.momentum(), t.lrSchedule(), t.lrDecay(),
                t.lrDecaySteps(), t.clip(), t.clipThreshold(), 0, steps, steps, 0, 0, 7L, 60.0);
        return new SpeechConfig(m, f, new SpeechDataConfig(8, 10, 10), t, SpeechAugmentConfig.none());
    }

    /** {@code f} with log mel energies instead of cepstral coefficients. */
    static FeatureConfig logMel(FeatureConfig f) {
        return new FeatureConfig(f.sampleRate(), f.frameMs(), f.hopMs(), f.fftSize(), f.melBands(), f.coefficients(),
                f.lowHz(), f.highHz(), f.preEmphasis(), f.deltas(), f.maxSeconds(), f.cmn(), "logmel");
    }

    /** {@link #tinyConfig} with two feature versions per training clip (VTLP). */
    static SpeechConfig tinyAugmentedConfig(String readout, int steps) {
        return tinyAugmentedConfig(readout, steps, 0.0);
    }

    /** {@link #tinyConfig} with two feature versions per training clip (VTLP) and mixup of Beta({@code mixup}). */
    static SpeechConfig tinyAugmentedConfig(String readout, int steps, double mixup) {
        SpeechConfig c = tinyConfig(readout, steps);
        return new SpeechConfig(c.model(), c.features(), c.data(), c.trainer(),
                new SpeechAugmentConfig(0.1, 2, 0, 0, 0, 0, 0.0, 0.0, mixup));
    }
}
