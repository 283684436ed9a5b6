package org.rnnsuite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.config.Configs;
import picocli.CommandLine;

class CaptionCommandTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

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

    @BeforeAll
    static void buildAndTrain() {
        data = tmp.resolve("data");
        model = tmp.resolve("model");
        Run b = run("caption", "build-data", "--out", data.toString(), "--images", "40", "--size", "32",
                "--seed", "5", "--held-out", "0.3");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("wrote 40 images"), b.out());
        Run t = run("caption", "train", "--data", data.toString(), "--out", model.toString(), "--config",
                "../../configs/caption-tiny.json", "--max-steps", "3", "--set", "trainer.progressSeconds=60");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("trained 3 steps"), t.out());
    }

    @Test
    void describePrintsJsonWithBeamCaptions() throws Exception {
        Path img = data.resolve("images/scene-00000.png");
        Run r = run("caption", "describe", "--model", model.toString(), "--beam", "2", "--json", img.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode arr = Configs.mapper().readTree(r.out());
        assertEquals(1, arr.size());
        assertEquals(img.toString(), arr.get(0).get("image").asText());
        assertEquals(2, arr.get(0).get("captions").size());
        JsonNode c0 = arr.get(0).get("captions").get(0);
        assertTrue(c0.has("text") && c0.get("logprob").asDouble() <= 0, c0.toString());
    }

    @Test
    void evalPrintsBleuFractionsAndWritesAGallery() throws Exception {
        Path gallery = tmp.resolve("g.html");
        Run r = run("caption", "eval", "--model", model.toString(), "--data", data.toString(), "--beam", "1",
                "--json", "--gallery", gallery.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode o = Configs.mapper().readTree(r.out());
        for (String k : new String[]{"bleu1", "bleu2", "bleu3", "bleu4"}) {
            double v = o.get(k).asDouble();
            assertTrue(v >= 0 && v <= 1, k + "=" + v);
        }
        assertTrue(o.get("images").asInt() > 0);
        assertTrue(Files.readString(gallery).contains("<table>"));
    }

    @Test
    void demoCaptionsEveryImageOfAFolder() {
        Run r = run("caption", "demo", "--model", model.toString(), "--images", data.resolve("images").toString(),
                "--beam", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(40, r.out().lines().count(), r.out());
        r = run("caption", "demo", "--model", model.toString(), "--images", tmp.resolve("none").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("repository root"), r.err());
    }

    @Test
    void theShippedModelCaptionsTheShippedSamples() {
        Run r = run("caption", "demo", "--model", "../../data/models/caption-small", "--images",
                "../../data/caption-samples", "--beam", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(6, r.out().lines().count(), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.startsWith("scene-") && l.contains(" a ")), r.out());
    }

    @Test
    void userErrorsExitTwoWithOneLine() {
        Run r = run("caption", "describe", "--model", model.toString(), tmp.resolve("nope.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.png") && r.err().trim().lines().count() == 1, r.err());

        r = run("caption", "describe", "--model", model.toString(), "--beam", "0",
                data.resolve("images/scene-00000.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--beam"), r.err());

        r = run("caption", "describe", data.resolve("images/scene-00000.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--model"), r.err());

        r = run("caption", "train", "--data", data.toString(), "--out", tmp.resolve("x").toString(), "--set",
                "model.nope=1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model.nope"), r.err());

        r = run("caption", "eval", "--model", tmp.resolve("missing").toString(), "--data", data.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing"), r.err());
    }
}
