package org.rnnsuite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.config.Configs;
import picocli.CommandLine;

/** The charlm command line end to end with a couple of training steps. */
class CharLmCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Rnnsuite.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path corpus() throws Exception {
        Path f = tmp.resolve("corpus.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append(i % 2 == 0 ? "the sea is calm. " : "the whale is white.\n");
        }
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void trainSampleEvalAndResume() throws Exception {
        Path text = corpus();
        Path cfg = tmp.resolve("tiny.json");
        Files.writeString(cfg, "{\"model\": {\"layers\": 1, \"hiddenSize\": 16}, \"data\": {\"seqLength\": 16, "
                + "\"batchSize\": 4}, \"trainer\": {\"tbpttLength\": 8, \"evalEvery\": 2}}");
        Path out = tmp.resolve("run");
        Run train = run("charlm", "train", "--text", text.toString(), "--config", cfg.toString(),
                "--set", "trainer.learningRate=0.01", "--out", out.toString(), "--max-steps", "3");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("steps 3"), train.out());
        assertTrue(Files.exists(out.resolve("model.zip")));

        Run resumed = run("charlm", "train", "--text", text.toString(), "--out", out.toString(),
                "--resume", out.toString(), "--max-steps", "5");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("steps 5"), resumed.out());

        Run s1 = run("charlm", "sample", "--model", out.toString(), "--prime", "the ", "--length", "40",
                "--seed", "3", "--temperature", "0.8", "--top-k", "5");
        Run s2 = run("charlm", "sample", "--model", out.toString(), "--prime", "the ", "--length", "40",
                "--seed", "3", "--temperature", "0.8", "--top-k", "5");
        assertEquals(0, s1.code(), s1.err());
        assertEquals(s1.out(), s2.out());
        assertTrue(s1.out().startsWith("the "));
        assertEquals(4 + 40 + 1, s1.out().length());

        Run eval = run("charlm", "eval", "--model", out.toString(), "--text", text.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        JsonNode j = Configs.mapper().readTree(eval.out());
        List<String> keys = new java.util.ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("bits_per_char", "chars", "unknown_chars"), keys);
        assertEquals(Files.readString(text).length() - 1, j.get("chars").asLong());
        assertEquals(0, j.get("unknown_chars").asLong());
        assertTrue(j.get("bits_per_char").asDouble() > 0);
    }

    @Test
    void userErrorsExitTwoWithOneLineNamingTheProblem() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        Run r = run("charlm", "train", "--text", empty.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("empty.txt") && r.err().contains("empty"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Run unknownKey = run("charlm", "train", "--text", corpus().toString(), "--set", "model.size=3",
                "--out", tmp.resolve("o").toString());
        assertEquals(2, unknownKey.code());
        assertTrue(unknownKey.err().contains("model.size"), unknownKey.err());

        Run noModel = run("charlm", "sample", "--model", tmp.resolve("nope").toString());
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("nope"), noModel.err());

        Run badTemp = run("charlm", "sample", "--model", tmp.toString(), "--temperature", "-1");
        assertEquals(2, badTemp.code());
        assertTrue(badTemp.err().contains("temperature"), badTemp.err());
    }

    @Test
    void helloPrintsTheWalkThrough() {
        Run r = run("charlm", "hello");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("before training"), r.out());
        assertTrue(r.out().contains("sample (greedy, starting from 'h'): hello"), r.out());
    }
}
