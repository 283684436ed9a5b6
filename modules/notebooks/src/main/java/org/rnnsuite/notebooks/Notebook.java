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

    /** Folder for a notebook's outputs: {@code runs/notebooks/<name>} unless {@code rnnsuite.notebook.out} is set. */
    public static Path outDir(String name) {
        return Path.of(System.getProperty("rnnsuite.notebook.out", "runs/notebooks")).resolve(name);
    }
}
