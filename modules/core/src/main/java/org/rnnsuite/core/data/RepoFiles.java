package org.rnnsuite.core.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files shipped in the repository (corpora, models, sample images), found wherever a command runs from: under
 * {@code RNNSUITE_HOME} (set by the launcher), else in the working directory or the nearest folder above it that
 * holds the file (tests run from a module folder, notebooks from {@code notebooks/}).
 */
public final class RepoFiles {
    private RepoFiles() {
    }

    /** The shipped file or folder at {@code relative}; if found nowhere, the path under the first candidate root. */
    public static Path find(String relative) {
        String home = System.getenv("RNNSUITE_HOME");
        if (home != null && Files.exists(Path.of(home).resolve(relative))) {
            return Path.of(home).resolve(relative);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return home != null ? Path.of(home).resolve(relative) : Path.of(relative);
    }
}
