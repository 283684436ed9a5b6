package org.rnnsuite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rnnsuite.core.config.Configs;

/** The protocol against a fake peer in a thread: no Python needed. */
class PeerChannelTest {

    /** A peer that answers each command line with {@code answer(command)}, until the pipe closes. */
    private static PeerChannel fakePeer(Function<JsonNode, String> answer) throws IOException {
        PipedWriter toPeer = new PipedWriter();
        BufferedReader peerIn = new BufferedReader(new PipedReader(toPeer));
        PipedWriter fromPeer = new PipedWriter();
        BufferedReader ourIn = new BufferedReader(new PipedReader(fromPeer));
        Thread t = new Thread(() -> {
            try (PrintWriter out = new PrintWriter(fromPeer, true)) {
                String line;
                while ((line = peerIn.readLine()) != null) {
                    out.println(answer.apply(Configs.mapper().readTree(line)));
                }
            } catch (IOException ignored) {
                // the test closed the pipe
            }
        });
        t.setDaemon(true);
        t.start();
        return new PeerChannel(ourIn, toPeer, () -> "");
    }

    @Test
    void sendsOneLinePerCommandAndReadsOneResultPerLine() throws Exception {
        PeerChannel ch = fakePeer(c -> "{\"ok\": true, \"echo\": \"" + c.get("cmd").asText() + "\", \"n\": "
                + c.path("n").asInt() + "}");
        JsonNode r = ch.call(PeerChannel.command("sgemm").put("n", 64));
        assertEquals("sgemm", r.get("echo").asText());
        assertEquals(64, r.get("n").asInt());
        assertEquals("memory", ch.call(PeerChannel.command("memory")).get("echo").asText());
    }

    @Test
    void commandsGoOutAsSingleLines() {
        StringWriter sent = new StringWriter();
        PeerChannel ch = new PeerChannel(new BufferedReader(new StringReader("{\"ok\": true}\n")), sent, null);
        ch.call(PeerChannel.command("charlm_init").put("id", "a").set("batches",
                Configs.mapper().valueToTree(new int[][] {{1, 2}, {3, 4}})));
        assertEquals(1, sent.toString().split("\n").length, sent.toString());
        assertTrue(sent.toString().startsWith("{\"cmd\":\"charlm_init\""), sent.toString());
    }

    @Test
    void peerErrorsAndBrokenAnswersBecomeExceptionsNamingTheCommand() throws Exception {
        PeerChannel failing = fakePeer(c -> "{\"ok\": false, \"error\": \"ValueError: bad cell\"}");
        PeerChannel.PeerException e = assertThrows(PeerChannel.PeerException.class,
                () -> failing.call(PeerChannel.command("charlm_init")));
        assertTrue(e.getMessage().contains("charlm_init") && e.getMessage().contains("bad cell"), e.getMessage());

        PeerChannel garbage = fakePeer(c -> "Traceback (most recent call last):");
        assertThrows(PeerChannel.PeerException.class, () -> garbage.call(PeerChannel.command("hello")));

        PeerChannel noOk = fakePeer(c -> "{\"seconds\": 1}");
        assertThrows(PeerChannel.PeerException.class, () -> noOk.call(PeerChannel.command("hello")));

        PeerChannel closed = new PeerChannel(new BufferedReader(new StringReader("")), new StringWriter(),
                () -> "ModuleNotFoundError: No module named 'torch'");
        PeerChannel.PeerException gone = assertThrows(PeerChannel.PeerException.class,
                () -> closed.call(PeerChannel.command("hello")));
        assertTrue(gone.getMessage().contains("exited") && gone.getMessage().contains("No module named 'torch'"),
                gone.getMessage());
    }
}
