package org.rnnsuite.speech;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.rnnsuite.core.bundle.AtomicFiles;

/** Writes mono 16-bit PCM WAV files (sample clips, tests). */
public final class WavWriter {
    private WavWriter() {
    }

    /** The WAV bytes of a mono waveform as 16-bit PCM; samples are clipped to [-1, 1]. */
    public static byte[] pcm16(Audio audio) {
        float[] s = audio.samples();
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * s.length);
        b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 1).putInt(audio.sampleRate()).putInt(audio.sampleRate() * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * s.length);
        for (float v : s) {
            b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f));
        }
        return b.array();
    }

    /** Writes {@link #pcm16} atomically. */
    public static void write(Path file, Audio audio) throws IOException {
        AtomicFiles.write(file, out -> out.write(pcm16(audio)));
    }
}
