package org.rnnsuite.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.Objects;
import java.util.function.Supplier;
import org.rnnsuite.core.config.Configs;

/**
 * The peer protocol: one JSON command per line out, one JSON result per line back. A result holds {@code "ok":
 * true}, or {@code "ok": false} with {@code "error"}; anything else (a closed pipe, a line that is not a JSON
 * object) is a protocol failure.
 */
public class PeerChannel {
    private final BufferedReader in;
    private final Writer out;
    private final Supplier<String> diagnostics;

    /**
     * @param in          the peer's results
     * @param out         the peer's commands
     * @param diagnostics extra text for error messages (e.g. the peer's stderr); may return ""
     */
    public PeerChannel(BufferedReader in, Writer out, Supplier<String> diagnostics) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.diagnostics = diagnostics == null ? () -> "" : diagnostics;
    }

    /** A command object {@code {"cmd": name}} to fill in. */
    public static ObjectNode command(String name) {
        ObjectNode n = Configs.mapper().createObjectNode();
        n.put("cmd", name);
        return n;
    }

    /**
     * Sends one command and waits for its result.
     *
     * @throws PeerException if the peer reports an error, closes the pipe or answers with something else
     */
    public JsonNode call(ObjectNode command) {
        String cmd = command.path("cmd").asText("?");
        try {
            out.write(Configs.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(command));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new PeerException("cannot send '" + cmd + "' to the peer: " + e.getMessage() + tail(), e);
        }
        String line;
        try {
            do {
                line = in.readLine();
            } while (line != null && line.isBlank());
        } catch (IOException e) {
            throw new PeerException("cannot read the peer's answer to '" + cmd + "': " + e.getMessage() + tail(), e);
        }
        if (line == null) {
            throw new PeerException("the peer exited while running '" + cmd + "'" + tail());
        }
        JsonNode result;
        try {
            result = Configs.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new PeerException("the peer answered '" + cmd + "' with a line that is not JSON: " + abbreviate(line)
                    + tail(), e);
        }
        if (!result.isObject() || !result.has("ok")) {
            throw new PeerException("the peer answered '" + cmd + "' without an \"ok\" field: " + abbreviate(line));
        }
        if (!result.path("ok").asBoolean()) {
            throw new PeerException("the peer failed on '" + cmd + "': " + result.path("error").asText("no message"));
        }
        return result;
    }

    private String tail() {
        String d = diagnostics.get();
        return d == null || d.isBlank() ? "" : "; peer said: " + abbreviate(d.strip());
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : "..." + s.substring(s.length() - 400);
    }

    /** A failure of the peer or of the protocol. */
    public static final class PeerException extends RuntimeException {
        public PeerException(String message) {
            super(message);
        }

        public PeerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
