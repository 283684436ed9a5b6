package org.rnnsuite.speech;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.rnnsuite.core.UserInputException;

/**
 * Reads RIFF/WAVE files holding uncompressed PCM: 8-bit unsigned, 16/24/32-bit signed integers or 32-bit IEEE
 * float (64-bit float too), any channel count (mixed down to mono by averaging), any sample rate.
 *
 * <p>A hand parser rather than {@code javax.sound}: javax.sound rejects float and 24-bit data on some JDKs and its
 * messages do not say which file or what is wrong. Every problem becomes a {@link UserInputException} naming the
 * file.
 */
public final class WavReader {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    /** Reads a file, mixes it to mono and resamples it to {@code targetRate} (0 keeps the file's rate). */
    public static Audio read(Path file, int targetRate, double maxSeconds) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException("audio file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserInputException("cannot read audio file " + file + ": " + e.getMessage(), e);
        }
        Audio audio = parse(bytes, file.toString());
        if (maxSeconds > 0 && audio.seconds() > maxSeconds) {
            throw new UserInputException(String.format(java.util.Locale.ROOT,
                    "audio file %s is %.1f s long; this model takes clips of at most %.1f s (cut it into words "
                            + "first, or raise features.maxSeconds when training)", file, audio.seconds(), maxSeconds));
        }
        return targetRate > 0 ? Resampler.resample(audio, targetRate) : audio;
    }

    /** Parses WAV bytes; {@code name} is used in error messages. */
    public static Audio parse(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw bad(name, "is empty");
        }
        if (bytes.length < 12) {
            throw bad(name, "is not a WAV file (too short for a RIFF header)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        String riff = ascii(bytes, 0);
        String wave = ascii(bytes, 8);
        if (!"RIFF".equals(riff) || !"WAVE".equals(wave)) {
            throw bad(name, "is not a WAV file (no RIFF/WAVE header" + ("RIFX".equals(riff) ? "; big-endian RIFX is "
                    + "not supported" : "") + ")");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        int dataStart = -1;
        int dataLen = 0;
        while (pos + 8 <= bytes.length) {
            String id = ascii(bytes, pos);
            long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
            int body = pos + 8;
            if ("fmt ".equals(id)) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw bad(name, "has a truncated header (fmt chunk of " + size + " bytes)");
                }
                format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2) & 0xFFFF;
                rate = b.getInt(body + 4);
                blockAlign = b.getShort(body + 12) & 0xFFFF;
                bits = b.getShort(body + 14) & 0xFFFF;
                if (format == FORMAT_EXTENSIBLE) {
                    if (size < 40 || body + 40 > bytes.length) {
                        throw bad(name, "has a truncated header (extensible fmt chunk of " + size + " bytes)");
                    }
                    // the sub-format GUID starts with the plain format code
                    format = b.getShort(body + 24) & 0xFFFF;
                }
            } else if ("data".equals(id)) {
                dataStart = body;
                // streaming writers leave the size as 0 or 0xFFFFFFFF; take what is there
                long available = bytes.length - (long) body;
                dataLen = (int) Math.min(size == 0 || size == 0xFFFFFFFFL ? available : size, available);
                break;
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        if (format < 0) {
            throw bad(name, "has a truncated header (no fmt chunk)");
        }
        if (format != FORMAT_PCM && format != FORMAT_FLOAT) {
            throw bad(name, "is a compressed WAV (format code " + format + "); only uncompressed PCM and float WAV "
                    + "are read; convert it with e.g. 'sox IN -e signed-integer -b 16 OUT.wav'");
        }
        if (channels <= 0) {
            throw bad(name, "declares " + channels + " channels");
        }
        if (rate < 1000 || rate > 384_000) {
            throw bad(name, "declares an implausible sample rate of " + rate + " Hz");
        }
        boolean okBits = format == FORMAT_PCM ? (bits == 8 || bits == 16 || bits == 24 || bits == 32)
                : (bits == 32 || bits == 64);
        if (!okBits) {
            throw bad(name, "has " + bits + "-bit " + (format == FORMAT_PCM ? "integer" : "float") + " samples; "
                    + "supported: 8/16/24/32-bit integer and 32/64-bit float");
        }
        int bytesPerSample = bits / 8;
        int frameBytes = bytesPerSample * channels;
        if (blockAlign != frameBytes && blockAlign != 0) {
            throw bad(name, "has an inconsistent header (block align " + blockAlign + ", expected " + frameBytes + ")");
        }
        if (dataStart < 0) {
            throw bad(name, "has no data chunk (truncated file?)");
        }
        int frames = dataLen / frameBytes;
        if (frames == 0) {
            throw bad(name, "holds no audio (zero-length data chunk)");
        }
        float[] out = new float[frames];
        float scale = 1f / channels;
        for (int f = 0; f < frames; f++) {
            int base = dataStart + f * frameBytes;
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(b, base + c * bytesPerSample, format, bits);
            }
            out[f] = sum * scale;
        }
        return new Audio(out, rate);
    }

    private static float sample(ByteBuffer b, int at, int format, int bits) {
        if (format == FORMAT_FLOAT) {
            return bits == 32 ? b.getFloat(at) : (float) b.getDouble(at);
        }
        return switch (bits) {
            case 8 -> ((b.get(at) & 0xFF) - 128) / 128f;
            case 16 -> b.getShort(at) / 32768f;
            case 24 -> {
                int v = (b.get(at) & 0xFF) | ((b.get(at + 1) & 0xFF) << 8) | (b.get(at + 2) << 16);
                yield v / 8388608f;
            }
            default -> (float) (b.getInt(at) / 2147483648.0);
        };
    }

    private static String ascii(byte[] bytes, int at) {
        if (at + 4 > bytes.length) {
            return "";
        }
        return new String(bytes, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static UserInputException bad(String name, String what) {
        return new UserInputException("audio file " + name + " " + what);
    }
}
