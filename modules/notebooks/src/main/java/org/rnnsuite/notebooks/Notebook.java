package org.rnnsuite.notebooks;

import java.nio.file.Path;

/** Called from notebook cells: show a PNG, ask for reduced sizes, find the output folder. */
public final class Notebook {
    /** Lines starting with this marker are turned into image outputs by the runner. */
    static final String IMAGE_MARKER = "@@rnnsuite-image:";

    private Notebook() {
    }

    /** Shows a PNG file as a cell output. */
    public static void show(Path png) {
        System.out.println(IMAGE_MARKER + png.toAbsolutePath());
    }

    /** True when the notebook runs at reduced sizes (CI): {@code -Drnnsuite.notebook.quick=true}. */
    public static boolean quick() {
        return Boolean.getBoolean("rnnsuite.notebook.quick");
    }

    /**
     * A file of the repository, found from the working directory or any folder above it (notebooks run from
     * {@code notebooks/}, the CLI from the root, tests from a module folder).
     */
    public static Path repoFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.exists(dir.resolve("mvnw")) && java.nio.file.Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new org.rnnsuite.core.UserInputException(relative + " not found in this repository (looked upwards "
                + "from " + Path.of("").toAbsolutePath() + ")");
    }

    /** Folder for a notebook's outputs: {@code runs/notebooks/<name>} unless {@code rnnsuite.notebook.out} is set. */
    public static Path outDir(String name) {
        return Path.of(System.getProperty("rnnsuite.notebook.out", "runs/notebooks")).resolve(name);
    }
}
