package org.rnnsuite.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 of training data, recorded in a model's provenance. */
public final class DataHash {
    private DataHash() {
    }

    /** Hash over the contents of the files in the given order (names excluded). */
    public static String ofFiles(Collection<Path> files) {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot hash " + f, e);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /** Hash of bytes. */
    public static String ofBytes(byte[] data) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(data));
    }

    public static String ofFile(Path f) {
        return ofFiles(List.of(f));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
