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

    /** A file shipped in the repository (see {@link org.rnnsuite.core.data.RepoFiles}); throws if absent. */
    public static Path repoFile(String relative) {
        Path p = org.rnnsuite.core.data.RepoFiles.find(relative);
        if (!java.nio.file.Files.exists(p)) {
            throw new org.rnnsuite.core.UserInputException(relative + " not found in this repository");
        }
        return p;
    }

    /** Folder for a notebook's outputs: {@code runs/notebooks/<name>} unless {@code rnnsuite.notebook.out} is set. */
    public static Path outDir(String name) {
        return Path.of(System.getProperty("rnnsuite.notebook.out", "runs/notebooks")).resolve(name);
    }
}
