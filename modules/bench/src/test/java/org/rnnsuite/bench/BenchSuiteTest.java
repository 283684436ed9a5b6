package org.rnnsuite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.config.Configs;

/** The Java side of a tiny workload, with a fake peer that answers fixed figures. */
class BenchSuiteTest {

    /** A peer that records commands and answers with fixed, plausible results. */
    static final class FakePeer extends PeerChannel {
        final List<JsonNode> commands = new ArrayList<>();

        FakePeer() {
            super(new BufferedReader(new StringReader("")), new StringWriter(), null);
        }

        @Override
        public JsonNode call(ObjectNode command) {
            commands.add(command);
            ObjectNode r = Configs.mapper().createObjectNode().put("ok", true);
            switch (command.get("cmd").asText()) {
                case "charlm_train" -> r.put("seconds", 0.5).put("chars", command.get("steps").asInt() * 256)
                        .put("loss", 4.0);
                case "charlm_sample" -> r.put("ms_per_char", 2.0);
                case "speech_train" -> r.put("seconds", 0.5).put("items", command.get("steps").asInt() * 32);
                case "speech_stream" -> r.put("ms_per_frame", 1.0);
                case "charlm_fit" -> r.put("loss", 4.0);
                case "charlm_eval" -> r.put("bits_per_char", 5.0);
                case "sgemm" -> {
                    var secs = r.putArray("seconds");
                    for (int i = 0; i < command.get("reps").asInt(); i++) {
                        secs.add(Flops.sgemm(command.get("n").asInt()) / 1e9);
                    }
                }
                case "memory" -> r.put("vmhwm_kib", 1024 * 1024).put("vmrss_kib", 512 * 1024);
                default -> {
                }
            }
            return r;
        }
    }

    private static Path tinyText(Path dir) throws Exception {
        String[] words = {"the whale", "a sailor", "sees", "fears", "the sea.", "a ship.", "\n"};
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 6000) {
            sb.append(words[r.nextInt(words.length)]).append(' ');
        }
        Path f = dir.resolve("tiny.txt");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void batchesGoToThePeerAsTheSameIds(@TempDir Path dir) throws Exception {
        CharLmWorkload w = CharLmWorkload.of(tinyText(dir), 8);
        List<MultiDataSet> batches = w.batches(4, 2);
        int[][] x = CharLmWorkload.ids(batches.get(0).getFeatures(0));
        int[][] y = CharLmWorkload.ids(batches.get(0).getLabels(0));
        assertEquals(4, x.length);
        assertEquals(8, x[0].length);
        // labels are the inputs shifted by one character
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t + 1 < 8; t++) {
                assertEquals(x[b][t + 1], y[b][t]);
            }
        }
        ObjectNode init = w.peerInit("m", CharLmWorkload.model("gru", 2, 16), batches);
        assertEquals(w.vocab().size(), init.get("vocab").asInt());
        assertEquals(8, init.get("tbptt").asInt());
        assertEquals("adam", w.trainer().updater());
        assertEquals(x[1][3], init.get("batches").get(0).get("x").get(1).get(3).asInt());
    }

    @Test
    void tinyRunGivesEveryRowInPriorityOrderWithRatiosPointingTheRightWay(@TempDir Path dir) throws Exception {
        CharLmWorkload w = CharLmWorkload.of(tinyText(dir), 8);
        BenchConfig cfg = new BenchConfig(List.of("lstm"), List.of("small"), 8, 1, 1, 2, 1, 2, 64, 2, 2, 1, true, false);
        FakePeer peer = new FakePeer();
        BenchReport report = new BenchSuite(cfg, w, peer, null).run().build("m", "d", "c");

        List<String> names = report.rows().stream().map(BenchRow::name).toList();
        assertEquals(List.of("char-LM train lstm 1x128 b32", "char-LM sample lstm 2x256 b1",
                "sgemm n=64 (ND4J mmul / torch.mm)", "char-LM train share lstm 1x128 b32 of peak",
                "char-LM val bits/char lstm 1x128 b32 after 2 steps", "speech train lstm 2x64 b32",
                "speech streaming lstm 2x64 (100 frames)", "peak memory of the process (VmHWM)",
                "resident memory at the end (VmRSS)"), names);
        for (BenchRow r : report.rows()) {
            assertTrue(r.rnnsuite() > 0 && Double.isFinite(r.rnnsuite()), r.toString());
            assertTrue(r.peer() > 0 && Double.isFinite(r.peer()), r.toString());
        }
        BenchRow train = report.rows().get(0);
        // the small model trains timedSteps x 4 minibatches per timed run: 4 x 256 chars in the fake's 0.5 s
        assertEquals(4 * 256 / 0.5, train.peer(), 1e-9);
        assertEquals(train.rnnsuite() / train.peer(), train.ratio(), 1e-9);
        BenchRow sample = report.rows().get(1);
        assertEquals(2.0 / sample.rnnsuite(), sample.ratio(), 1e-9);
        assertEquals(1.0, report.rows().get(2).peer(), 1e-9);
        BenchRow bpc = report.rows().get(4);
        assertTrue(bpc.rnnsuite() > 1 && bpc.rnnsuite() < 10, "an untrained model predicts a few bits/char: " + bpc);
        assertEquals(List.of("captioning training throughput and greedy / beam-3 latency (captioning=false)"),
                report.notDone());
        BenchRow speech = report.rows().get(5);
        assertEquals(1 * 32 / 0.5, speech.peer(), 1e-9);
        // 1 ms per 10 ms frame
        assertEquals(0.1, report.rows().get(6).peer(), 1e-9);
        assertEquals(0.1 / report.rows().get(6).rnnsuite(), report.rows().get(6).ratio(), 1e-9);

        // the peer saw the same minibatches, the same number of steps, and every model was freed
        List<String> cmds = peer.commands.stream().map(c -> c.get("cmd").asText()).toList();
        assertEquals(cmds.stream().filter(c -> c.endsWith("_init")).count(),
                cmds.stream().filter("free"::equals).count());
        int steps = peer.commands.stream().filter(c -> c.get("cmd").asText().equals("charlm_train"))
                .mapToInt(c -> c.get("steps").asInt()).sum();
        // one warm-up step, then 2 timed runs of 1 x 4 steps
        assertEquals(1 + 2 * 4, steps);
        int fitted = peer.commands.stream().filter(c -> c.get("cmd").asText().equals("charlm_fit"))
                .mapToInt(c -> c.get("batches").size()).sum();
        assertEquals(2, fitted);
    }

    @Test
    void captionBatchesGoToThePeerAsTheSameWordsLabelsAndMasks() {
        CaptionWorkload cw = new CaptionWorkload(org.rnnsuite.captioning.CaptionConfig.defaults(), 8, 11);
        List<MultiDataSet> batches = cw.batches(1);
        MultiDataSet b = batches.get(0);
        ObjectNode init = cw.peerInit("c", batches);
        JsonNode pb = init.get("batches").get(0);
        long n = b.getFeatures(1).size(0);
        long steps = b.getFeatures(1).size(2);
        assertEquals(n, pb.get("words").size());
        assertEquals(steps, pb.get("words").get(0).size());
        assertEquals(steps, pb.get("labels").get(0).size());
        for (int i = 0; i < n; i++) {
            int valid = 0;
            for (int t = 0; t < steps; t++) {
                assertEquals((int) b.getFeatures(1).getDouble(i, 0, t), pb.get("words").get(i).get(t).asInt());
                valid += pb.get("mask").get(i).get(t).asInt();
                if (t + 1 < steps && pb.get("mask").get(i).get(t + 1).asInt() == 1) {
                    // teacher forcing: the next input word is this step's label
                    assertEquals(pb.get("labels").get(i).get(t).asInt(), pb.get("words").get(i).get(t + 1).asInt());
                }
            }
            assertTrue(valid >= 6 && valid <= 13, "5..12 words plus the end token: " + valid);
        }
        assertEquals("first", init.get("inject").asText());

        // a caption of w words took w + 1 decoder steps (the end token), one cut at the limit took the limit
        assertEquals(4, CaptionWorkload.steps(List.of(new org.rnnsuite.captioning.Captioner.Caption("a red star",
                -1), new org.rnnsuite.captioning.Captioner.Caption("", -2)), 20));
        assertEquals(1, CaptionWorkload.steps(List.of(new org.rnnsuite.captioning.Captioner.Caption("", -2)), 20));
        assertEquals(2, CaptionWorkload.steps(List.of(new org.rnnsuite.captioning.Captioner.Caption("a b", -2)), 2));
        assertEquals(cw.config().model().hidden(), init.get("hidden").asInt());
    }

    @Test
    void captionJavaSideTrainsAndCaptionsATinyNetwork() {
        var d = org.rnnsuite.captioning.CaptionConfig.defaults();
        var tiny = new org.rnnsuite.captioning.CaptionConfig(new org.rnnsuite.captioning.CaptionModelConfig(16, 1, 4,
                8, "lstm", 8, 0.0, "first", 5, 0.0), new org.rnnsuite.captioning.CaptionDataConfig(4,
                d.data().minWordCount(), d.data().maxTrainImages(), d.data().valImages()), d.trainer());
        CaptionWorkload cw = new CaptionWorkload(tiny, 8, 3);
        var net = cw.network();
        List<MultiDataSet> batches = cw.batches(2);
        assertEquals(4, CaptionWorkload.items(batches.get(0)));
        assertTrue(CharLmWorkload.trainSeconds(net, batches, 0, 2) > 0);
        for (int beam : new int[] {1, 3}) {
            CaptionWorkload.Decode dec = cw.describe(net, beam, 0, 2, 5);
            assertTrue(dec.msPerImage() > 0, dec.toString());
            assertTrue(dec.steps() >= 1 && dec.steps() <= 5, dec.toString());
        }
    }
}
