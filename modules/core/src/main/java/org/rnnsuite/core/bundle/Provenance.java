package org.rnnsuite.core.bundle;

import java.time.Instant;
import org.rnnsuite.core.RnnsuiteVersion;
import org.rnnsuite.core.hw.BackendReport;

/**
 * Where a model came from.
 *
 * @param rnnsuiteVersion rnnsuite version that trained it
 * @param dl4jVersion     Deeplearning4j version
 * @param backend         ND4J backend ({@code cpu} or {@code cuda})
 * @param javaVersion     Java runtime version
 * @param seed            the run's seed
 * @param dataHash        SHA-256 of the training data (see {@link org.rnnsuite.core.data.DataHash})
 * @param commandLine     the command that produced it
 * @param createdAt       ISO-8601 time of writing
 */
public record Provenance(String rnnsuiteVersion, String dl4jVersion, String backend, String javaVersion, long seed,
                         String dataHash, String commandLine, String createdAt) {

    private static volatile String invocation = "(library call)";

    /** Records the command line of this process; the CLI calls this once at start. */
    public static void setInvocation(String commandLine) {
        invocation = commandLine;
    }

    /** Provenance of a model trained now, in this process. */
    public static Provenance current(long seed, String dataHash) {
        return new Provenance(RnnsuiteVersion.rnnsuite(), RnnsuiteVersion.dl4j(), BackendReport.backendName(),
                System.getProperty("java.version"), seed, dataHash, invocation, Instant.now().toString());
    }
}
