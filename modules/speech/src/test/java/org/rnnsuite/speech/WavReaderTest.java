package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnsuite.core.UserInputException;

class WavReaderTest {
    @TempDir
    Path dir;

    private static final float[] SIGNAL = TestAudio.chirp(16000, 0.05, 200, 2000, 0.6, 1);

    @ParameterizedTest(name = "{0} {1}-bit, extensible={2}")
    @CsvSource({"int,8,false", "int,16,false", "int,24,false", "int,32,false", "float,32,false", "float,64,false",
            "int,16,true", "float,32,true", "int,24,true"})
    void readsEveryDepthAndEncoding(String encoding, int bits, boolean extensible) throws Exception {
        Path f = TestAudio.write(dir.resolve("a.wav"),
                TestAudio.wav(new float[][]{SIGNAL}, 16000, encoding, bits, extensible));
        Audio a = WavReader.read(f, 0, 10);
        assertEquals(16000, a.sampleRate());
        assertEquals(SIGNAL.length, a.samples().length);
        double tol = bits == 8 ? 1.0 / 100 : 1e-4;
        for (int i = 0; i < SIGNAL.length; i++) {
            assertEquals(SIGNAL[i], a.samples()[i], tol, "sample " + i);
        }
    }

    @Test
    void stereoIsMixedDownByAveraging() throws Exception {
        float[] right = new float[SIGNAL.length];
        Path f = TestAudio.write(dir.resolve("st.wav"),
                TestAudio.wav(new float[][]{SIGNAL, right}, 16000, "int", 16, false));
        Audio a = WavReader.read(f, 0, 10);
        for (int i = 0; i < SIGNAL.length; i++) {
            assertEquals(SIGNAL[i] / 2, a.samples()[i], 1e-4);
        }
    }

    @ParameterizedTest
    @CsvSource({"8000", "11025", "22050", "44100", "48000"})
    void resamplesToTheModelRateKeepingTheTone(int rate) throws Exception {
        int n = rate / 4;
        float[] tone = new float[n];
        for (int i = 0; i < n; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        Path f = TestAudio.write(dir.resolve("r.wav"), TestAudio.wav(new float[][]{tone}, rate, "int", 16, false));
        Audio a = WavReader.read(f, 16000, 10);
        assertEquals(16000, a.sampleRate());
        assertEquals(4000, a.samples().length, 2);
        // away from the edges the resampled tone matches the analytic one
        double maxErr = 0;
        for (int i = 200; i < a.samples().length - 200; i++) {
            maxErr = Math.max(maxErr, Math.abs(a.samples()[i] - 0.5 * Math.sin(2 * Math.PI * 440 * i / 16000.0)));
        }
        assertTrue(maxErr < 0.01, "max error " + maxErr);
    }

    @Test
    void downsamplingRemovesContentAboveTheNewNyquist() throws Exception {
        int rate = 48000;
        float[] tone = new float[rate / 4];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 12000 * i / rate));
        }
        Audio a = Resampler.resample(new Audio(tone, rate), 16000);
        double rms = 0;
        for (int i = 200; i < a.samples().length - 200; i++) {
            rms += a.samples()[i] * a.samples()[i];
        }
        rms = Math.sqrt(rms / (a.samples().length - 400));
        assertTrue(rms < 0.01, "a 12 kHz tone should vanish at 16 kHz, rms " + rms);
    }

    private String errorOf(String name, byte[] bytes, double maxSeconds) throws Exception {
        Path f = TestAudio.write(dir.resolve(name), bytes);
        UserInputException e = assertThrows(UserInputException.class, () -> WavReader.read(f, 16000, maxSeconds));
        assertTrue(e.getMessage().contains(f.toString()), "message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badInputsGetMessagesNamingTheFile() throws Exception {
        byte[] good = TestAudio.wav(new float[][]{SIGNAL}, 16000, "int", 16, false);
        assertTrue(errorOf("empty.wav", new byte[0], 10).contains("is empty"));
        assertTrue(errorOf("text.wav", "hello, this is not audio at all".getBytes(), 10)
                .contains("not a WAV file"));
        assertTrue(errorOf("trunc.wav", Arrays.copyOf(good, 30), 10).contains("truncated header"));
        assertTrue(errorOf("nodata.wav", Arrays.copyOf(good, 36), 10).contains("no data chunk"));
        assertTrue(errorOf("zero.wav", Arrays.copyOf(good, 44), 10).contains("no audio"));
        byte[] adpcm = good.clone();
        ByteBuffer.wrap(adpcm).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 2);
        assertTrue(errorOf("adpcm.wav", adpcm, 10).contains("compressed"));
        byte[] mp3 = good.clone();
        ByteBuffer.wrap(mp3).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 0x55);
        assertTrue(errorOf("mp3.wav", mp3, 10).contains("compressed"));
        float[] longClip = new float[16000 * 3];
        assertTrue(errorOf("long.wav", TestAudio.wav(new float[][]{longClip}, 16000, "int", 16, false), 2)
                .contains("at most 2.0 s"));
        UserInputException missing = assertThrows(UserInputException.class,
                () -> WavReader.read(dir.resolve("nope.wav"), 16000, 10));
        assertTrue(missing.getMessage().contains("nope.wav") && missing.getMessage().contains("does not exist"));
    }

    @Test
    void writerRoundTrips() throws Exception {
        Path f = dir.resolve("w.wav");
        WavWriter.write(f, new Audio(SIGNAL, 16000));
        Audio a = WavReader.read(f, 0, 10);
        assertEquals(SIGNAL.length, a.samples().length);
        assertEquals(SIGNAL[100], a.samples()[100], 1e-4);
        assertTrue(Files.size(f) == 44 + 2L * SIGNAL.length);
    }
}
