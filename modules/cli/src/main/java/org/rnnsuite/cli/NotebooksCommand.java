package org.rnnsuite.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.hw.ThreadSettings;
import org.rnnsuite.notebooks.NotebookRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnnsuite notebooks}: execute the Java notebooks and write their outputs back. */
@Command(name = "notebooks", mixinStandardHelpOptions = true,
        description = "Execute every notebook's code cells in order (JShell, this classpath) and write the outputs "
                + "(text and plots) back into the notebooks.")
final class NotebooksCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "notebooks", description = "Folder of *.ipynb (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--out", description = "Write executed notebooks here instead of in place.")
    Path out;

    @Option(names = "--quick", description = "Reduced sizes, as in CI.")
    boolean quick;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ThreadSettings.applyDefaults();
        if (quick) {
            System.setProperty("rnnsuite.notebook.quick", "true");
        }
        if (out != null) {
            java.nio.file.Files.createDirectories(out);
        }
        try {
            for (NotebookRunner.Result r : NotebookRunner.runAll(dir, out)) {
                spec.commandLine().getOut().printf(Locale.ROOT, "%-50s %2d cells  %6.1f s%n", r.notebook(),
                        r.cells(), r.seconds());
            }
        } catch (NotebookRunner.CellFailure e) {
            throw new UserInputException(e.getMessage(), e);
        }
        return 0;
    }
}
