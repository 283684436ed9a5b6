package org.rnnsuite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.testing.PatternTask;
import picocli.CommandLine;

class CliTest {
    /** Exit code, standard output and standard error of one command line. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Rnnsuite.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLineUserError(Run r, String expectedStart) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        assertTrue(r.err().startsWith(expectedStart), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void unknownFlagExits2WithOneLine() {
        assertOneLineUserError(run("info", "--bogus"), "rnnsuite: Unknown option: '--bogus' (see 'rnnsuite info --help')");
    }

    @Test
    void missingFileExits2WithOneLineNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.zip");
        assertOneLineUserError(run("inspect", missing.toString()), "rnnsuite: model bundle " + missing
                + " does not exist");
    }

    @Test
    void badValueExits2WithOneLine(@TempDir Path dir) {
        assertOneLineUserError(run("inspect", "--format", "xml", dir.toString()),
                "rnnsuite: Invalid value for option '--format'");
    }

    @Test
    void corruptBundleExits2AndVerboseAddsTheStackTrace(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.zip"), "junk");
        assertOneLineUserError(run("inspect", junk.toString()), "rnnsuite: model bundle " + junk + " is corrupt");
        Run verbose = run("--verbose", "inspect", junk.toString());
        assertEquals(2, verbose.code());
        assertTrue(verbose.err().lines().count() > 3, verbose.err());
    }

    @Test
    void inspectPrintsTaskAndProvenance(@TempDir Path dir) throws Exception {
        PatternTask.bundle(PatternTask.network(CellType.RNN, 4, 5), 5).save(dir.resolve("model.zip"), false);
        Run r = run("inspect", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("task        pattern"), r.out());
        assertTrue(r.out().contains("dl4jVersion 1.0.0-M2.1"), r.out());
        Run json = run("inspect", "--format", "json", dir.toString());
        assertEquals("pattern", new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out())
                .path("task").asText());
    }

    @Test
    void infoReportsBackendAndThreads() {
        Run r = run("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend") && r.out().contains("cpu"), r.out());
        assertTrue(r.out().contains("deeplearning4j") && r.out().contains("1.0.0-M2.1"), r.out());
        assertTrue(r.out().contains("env OMP_NUM_THREADS"), r.out());
    }

    @Test
    void everyCommandHasHelp() {
        checkHelp(Rnnsuite.commandLine());
    }

    private static void checkHelp(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) {
                continue;
            }
            checkHelp(sub);
        }
        String qualified = cl.getCommandSpec().qualifiedName();
        String[] path = qualified.split(" ");
        String[] args = new String[path.length];
        System.arraycopy(path, 1, args, 0, path.length - 1);
        args[path.length - 1] = "--help";
        Run r = run(args);
        assertEquals(0, r.code(), qualified + " --help: " + r.err());
        assertTrue(r.out().startsWith("Usage: " + qualified), qualified + ": " + r.out());
    }

    @Test
    void demoRunsATinyTrainingRunAndWritesItsCurve(@TempDir Path dir) {
        Run r = run("demo", "--steps", "3", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation") && r.out().contains("bits/char after 3 steps"), r.out());
        assertTrue(Files.exists(dir.resolve("charlm-tiny/loss.png")));
        assertTrue(Files.exists(dir.resolve("charlm-tiny/model.zip")));
    }
}
