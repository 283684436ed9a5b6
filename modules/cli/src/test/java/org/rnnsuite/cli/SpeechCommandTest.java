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
import org.rnnsuite.core.train.TrainerConfig;
import org.rnnsuite.speech.Audio;
import org.rnnsuite.speech.FeatureConfig;
import org.rnnsuite.speech.SpeechConfig;
import org.rnnsuite.speech.SpeechDataConfig;
import org.rnnsuite.speech.SpeechModelConfig;
import org.rnnsuite.speech.WavWriter;

/** The {@code rnnsuite speech} verbs on a toy dataset of rising ("up") and falling ("down") tones. */
class SpeechCommandTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path config;
    static Path model;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Rnnsuite.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static float[] tone(double seconds, double f0, double f1) {
        int rate = 8000;
        float[] x = new float[(int) (rate * seconds)];
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            phase += 2 * Math.PI * (f0 + (f1 - f0) * i / x.length) / rate;
            x[i] = (float) (0.4 * Math.sin(phase));
        }
        return x;
    }

    @BeforeAll
    static void trainTinyModel() throws Exception {
        data = tmp.resolve("toy");
        String[][] splits = {{"train", "a", "b", "c"}, {"valid", "d"}, {"test", "e"}};
        for (String[] s : splits) {
            for (int k = 1; k < s.length; k++) {
                double base = 300 + 100 * k + 40 * s[0].length();
                for (int i = 0; i < 4; i++) {
                    double dur = 0.25 + 0.05 * i;
                    for (String label : new String[]{"up", "down"}) {
                        Path f = data.resolve(s[0]).resolve(label).resolve(s[k] + "_" + i + ".wav");
                        Files.createDirectories(f.getParent());
                        float[] x = label.equals("up") ? tone(dur, base, base * 2.5) : tone(dur, base * 2.5, base);
                        WavWriter.write(f, new Audio(x, 8000));
                    }
                }
            }
        }
        TrainerConfig t = TrainerConfig.defaults();
        t = new TrainerConfig(t.updater(), 1e-2, t.momentum(), t.lrSchedule(), t.lrDecay(), t.lrDecaySteps(), t.clip(),
                t.clipThreshold(), 0, 100, 20, 0, 0, 3L, 60.0);
        SpeechConfig cfg = new SpeechConfig(new SpeechModelConfig("lstm", 1, 16, false, 0.0, "last"),
                new FeatureConfig(8000, 32, 16, 256, 20, 10, 50, 0, 0.97, 1, 5, "none"), new SpeechDataConfig(8, 10, 10), t,
                org.rnnsuite.speech.SpeechAugmentConfig.none());
        config = tmp.resolve("tiny.json");
        Files.writeString(config, Configs.toJson(cfg));
        model = tmp.resolve("model");
        Run r = run("speech", "train", "--data", data.toString(), "--out", model.toString(), "--config",
                config.toString(), "--max-steps", "40");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test accuracy"), r.out());
    }

    @Test
    void classifyPrintsJsonWithLabelAndProbabilities() throws Exception {
        Path up = data.resolve("test/up/e_0.wav");
        Path down = data.resolve("test/down/e_1.wav");
        Run r = run("speech", "classify", "--model", model.toString(), "--json", up.toString(), down.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode arr = Configs.mapper().readTree(r.out());
        assertEquals(2, arr.size());
        assertEquals(up.toString(), arr.get(0).path("file").asText());
        assertEquals("up", arr.get(0).path("label").asText());
        assertEquals("down", arr.get(1).path("label").asText());
        double sum = arr.get(0).path("probabilities").path("up").asDouble()
                + arr.get(0).path("probabilities").path("down").asDouble();
        assertEquals(1.0, sum, 1e-4);
    }

    @Test
    void streamShowsTheRunningDecision() {
        Run r = run("speech", "classify", "--model", model.toString(), "--stream",
                data.resolve("test/up/e_2.wav").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("real-time factor") && r.out().contains("decided 'up'"), r.out());
    }

    @Test
    void evalWritesJsonAndConfusionPng() throws Exception {
        Path png = tmp.resolve("cm.png");
        Run r = run("speech", "eval", "--model", model.toString(), "--data", data.toString(), "--json", "--png",
                png.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode e = Configs.mapper().readTree(r.out());
        assertEquals(8, e.path("utterances").asInt());
        assertTrue(e.path("accuracy").asDouble() >= 0.75, r.out());
        assertTrue(e.path("per_class").has("up") && e.path("per_class").path("up").has("f1"));
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void ensembleOfTwoSeedsClassifiesAndEvaluates() throws Exception {
        Path second = tmp.resolve("seed4");
        Run t = run("speech", "train", "--data", data.toString(), "--out", second.toString(), "--config",
                config.toString(), "--set", "trainer.seed=4", "--max-steps", "10");
        assertEquals(0, t.code(), t.err());
        Path ens = tmp.resolve("ensemble");
        Run r = run("speech", "ensemble", "--out", ens.toString(), "--data", data.toString(), model.toString(),
                second.resolve("model.zip").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ensemble of 2 networks") && r.out().contains("test accuracy"), r.out());
        assertTrue(Files.exists(ens.resolve("eval-test.json")) && Files.exists(ens.resolve("confusion-test.png")));
        Run c = run("speech", "classify", "--model", ens.toString(), "--json",
                data.resolve("test/up/e_0.wav").toString());
        assertEquals(0, c.code(), c.err());
        assertEquals(1.0, Configs.mapper().readTree(c.out()).get(0).path("probabilities").path("up").asDouble()
                + Configs.mapper().readTree(c.out()).get(0).path("probabilities").path("down").asDouble(), 1e-4);
        // one model is not an ensemble
        assertEquals(2, run("speech", "ensemble", "--out", tmp.resolve("one").toString(), model.toString()).code());
    }

    @Test
    void resumeContinuesTheRunAndRefusesConfigChanges() {
        // continued into another folder, so the other tests keep the 40-step model
        Run r = run("speech", "train", "--data", data.toString(), "--out", tmp.resolve("resumed").toString(),
                "--resume", model.toString(), "--max-steps", "50");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained 50 steps"), r.out());
        Run changed = run("speech", "train", "--data", data.toString(), "--out", model.toString(), "--resume",
                model.toString(), "--max-steps", "60", "--set", "model.hidden=32");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("--resume"), changed.err());
        Run noSteps = run("speech", "train", "--data", data.toString(), "--out", model.toString(), "--resume",
                model.toString());
        assertEquals(2, noSteps.code());
        assertTrue(noSteps.err().contains("--max-steps"), noSteps.err());
    }

    @Test
    void userErrorsExitWithTwoAndOneLine() throws Exception {
        Path notWav = tmp.resolve("notes.wav");
        Files.writeString(notWav, "just text");
        Run bad = run("speech", "classify", "--model", model.toString(), notWav.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("notes.wav") && bad.err().contains("not a WAV"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());

        Run badKey = run("speech", "train", "--data", data.toString(), "--out", tmp.resolve("x").toString(),
                "--set", "model.nope=1");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().contains("model.nope"), badKey.err());

        Run badValue = run("speech", "train", "--data", data.toString(), "--out", tmp.resolve("x").toString(),
                "--set", "model.readout=middle");
        assertEquals(2, badValue.code());
        assertTrue(badValue.err().contains("readout"), badValue.err());

        assertEquals(2, run("speech", "train", "--out", tmp.resolve("x").toString()).code());
        assertEquals(2, run("speech", "build-data", "--out", tmp.resolve("y").toString(), "--per-voice", "0").code());
        Run missingModel = run("speech", "eval", "--model", tmp.resolve("none").toString(), "--data",
                data.toString());
        assertEquals(2, missingModel.code());
        assertTrue(missingModel.err().contains("none"), missingModel.err());
    }
}
