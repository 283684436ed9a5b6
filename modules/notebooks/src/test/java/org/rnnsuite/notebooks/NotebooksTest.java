package org.rnnsuite.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebooksTest {
    private static final Path NOTEBOOKS = Path.of("../../notebooks");

    @BeforeAll
    static void quick() {
        System.setProperty("rnnsuite.notebook.quick", "true");
        System.setProperty("rnnsuite.notebook.out", "target/notebook-runs");
    }

    @AfterAll
    static void reset() {
        System.clearProperty("rnnsuite.notebook.quick");
        System.clearProperty("rnnsuite.notebook.out");
    }

    @Test
    void everyNotebookRunsEndToEndAndGetsItsOutputs() throws Exception {
        Path out = Files.createDirectories(Path.of("target/notebooks"));
        List<NotebookRunner.Result> results = NotebookRunner.runAll(NOTEBOOKS, out);
        assertTrue(results.size() >= 4, "notebooks found: " + results.size());
        ObjectMapper json = new ObjectMapper();
        for (NotebookRunner.Result r : results) {
            JsonNode nb = json.readTree(out.resolve(r.notebook().getFileName()).toFile());
            assertEquals("java", nb.path("metadata").path("kernelspec").path("language").asText());
            boolean image = false;
            boolean text = false;
            for (JsonNode cell : nb.path("cells")) {
                for (JsonNode o : cell.path("outputs")) {
                    image |= o.path("data").has("image/png");
                    text |= o.path("output_type").asText().equals("stream");
                }
            }
            assertTrue(image && text, r.notebook() + " must have text and image outputs");
        }
    }

    @Test
    void aFailingCellStopsTheRunNamingNotebookAndCell(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("bad.ipynb");
        Files.writeString(nb, """
                {"cells": [
                  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["int x = 1;\\n", "x + 1"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["Object o = null;\\n", "o.hashCode();"]}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        NotebookRunner.CellFailure e = assertThrows(NotebookRunner.CellFailure.class,
                () -> NotebookRunner.run(nb, dir.resolve("out.ipynb")));
        assertTrue(e.getMessage().startsWith(nb + ", cell 2: threw java.lang.NullPointerException"), e.getMessage());

        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["int y = \\"s\\";"]}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        e = assertThrows(NotebookRunner.CellFailure.class, () -> NotebookRunner.run(nb, dir.resolve("o.ipynb")));
        assertTrue(e.getMessage().startsWith(nb + ", cell 1: does not compile: incompatible types"), e.getMessage());
    }

    @Test
    void trailingExpressionBecomesTheResult(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("ok.ipynb");
        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                   "source": ["%jars ignored/*.jar\\n", "System.out.println(\\"hi\\");\\n", "6 * 7"]}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        NotebookRunner.run(nb, nb);
        JsonNode outputs = new ObjectMapper().readTree(nb.toFile()).path("cells").get(0).path("outputs");
        assertEquals("hi\n", outputs.get(0).path("text").get(0).asText());
        assertEquals("42", outputs.get(1).path("data").path("text/plain").get(0).asText());
    }
}
