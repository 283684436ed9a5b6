package org.rnnsuite.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of rnnsuite and of the Deeplearning4j release it is built against, as recorded at build time. */
public final class RnnsuiteVersion {
    private static final Properties PROPS = load();

    private RnnsuiteVersion() {
    }

    /** The rnnsuite version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String rnnsuite() {
        return PROPS.getProperty("rnnsuite.version", "unknown");
    }

    /** The Deeplearning4j / ND4J / DataVec version the build manages, e.g. {@code 1.0.0-M2.1}. */
    public static String dl4j() {
        return PROPS.getProperty("dl4j.version", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = RnnsuiteVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
