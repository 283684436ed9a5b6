package org.rnnsuite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** User errors of {@code rnnsuite bench}, reported before any measuring; none of these needs Python. */
class BenchCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Rnnsuite.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aCellThePeerDoesNotHaveIsAUsageError() {
        Run r = run("bench", "--quick", "--cells", "peephole");
        assertEquals(Rnnsuite.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("cells"), r.err());
    }

    @Test
    void aReadmeWithoutMarkersIsRejectedBeforeTheRun(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# no benchmark section\n");
        Run r = run("bench", "--quick", "--write-readme", readme.toString());
        assertEquals(Rnnsuite.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains(readme.toString()) && r.err().contains("<!-- bench:begin -->"), r.err());
    }

    @Test
    void aMissingPythonSaysHowToInstallThePeer(@TempDir Path dir) {
        Run r = run("bench", "--quick", "--text", "../../data/text/moby-dick.txt", "--python",
                dir.resolve("no-python").toString(), "--peer-script", "../bench/peer/torch_peer.py");
        assertEquals(Rnnsuite.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("apt-get install python3-torch libopenblas0-pthread"), r.err());
    }
}
