package org.rnnsuite.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.AtomicFiles;

/**
 * Runs a Jupyter notebook (nbformat 4) written in Java without a Jupyter kernel: every code cell is evaluated in
 * order in one JShell session that shares this JVM and its classpath. Cell magics for the JJava kernel (lines
 * starting with {@code %}) are skipped. Standard output becomes a stream output, {@link Notebook#show} lines become
 * PNG display outputs, the value of a trailing expression becomes the cell's result. The first failing cell stops
 * the run with an error naming the notebook, the cell and the cause.
 */
public final class NotebookRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A cell that did not compile or threw. */
    public static final class CellFailure extends RuntimeException {
        public CellFailure(String message) {
            super(message);
        }
    }

    /** How a run went: cells executed and seconds taken. */
    public record Result(Path notebook, int cells, double seconds) {
    }

    private NotebookRunner() {
    }

    /**
     * Executes {@code notebook} and writes it, outputs included, to {@code target} (may be the same file).
     *
     * @throws CellFailure on the first cell that fails
     */
    public static Result run(Path notebook, Path target) throws IOException {
        JsonNode nb;
        try {
            nb = JSON.readTree(Files.readString(notebook));
        } catch (IOException e) {
            throw new UserInputException("notebook " + notebook + " is not readable JSON: " + e.getMessage(), e);
        }
        if (!nb.path("cells").isArray()) {
            throw new UserInputException("notebook " + notebook + " has no cells array (not nbformat 4)");
        }
        long t0 = System.nanoTime();
        int count = 0;
        PrintStream originalOut = System.out;
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : classpath()) {
                shell.addToClasspath(entry);
            }
            for (JsonNode cell : nb.path("cells")) {
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                count++;
                String source = source(cell);
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                String value;
                try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                    System.setOut(ps);
                    value = evalCell(shell, source, notebook, count);
                } finally {
                    System.setOut(originalOut);
                }
                ((ObjectNode) cell).set("outputs", outputs(captured.toString(StandardCharsets.UTF_8), value, count));
                ((ObjectNode) cell).put("execution_count", count);
            }
        }
        AtomicFiles.writeString(target, JSON.writeValueAsString(nb) + "\n");
        return new Result(notebook, count, (System.nanoTime() - t0) / 1e9);
    }

    private static String source(JsonNode cell) {
        JsonNode src = cell.path("source");
        String text;
        if (src.isArray()) {
            StringBuilder sb = new StringBuilder();
            src.forEach(l -> sb.append(l.asText()));
            text = sb.toString();
        } else {
            text = src.asText();
        }
        return text.lines().filter(l -> !l.stripLeading().startsWith("%")).collect(Collectors.joining("\n"));
    }

    /** Evaluates every snippet of a cell; returns the value of a trailing expression, or null. */
    private static String evalCell(JShell shell, String source, Path notebook, int cellNo) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = source;
        String lastValue = null;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            String snippet = info.source();
            if (snippet == null || !info.completeness().isComplete()) {
                throw new CellFailure(notebook + ", cell " + cellNo + ": incomplete code: " + firstLine(rest));
            }
            lastValue = null;
            for (SnippetEvent e : shell.eval(snippet)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    String diag = shell.diagnostics(e.snippet()).map(d -> d.getMessage(null))
                            .collect(Collectors.joining("; "));
                    throw new CellFailure(notebook + ", cell " + cellNo + ": does not compile: " + diag + " in: "
                            + firstLine(snippet));
                }
                if (e.exception() != null) {
                    throw new CellFailure(notebook + ", cell " + cellNo + ": threw " + describe(e.exception())
                            + " in: " + firstLine(snippet));
                }
                if (e.causeSnippet() == null && e.value() != null
                        && (e.snippet().kind() == Snippet.Kind.EXPRESSION
                        || e.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)) {
                    lastValue = e.value();
                }
            }
            rest = info.remaining();
        }
        return lastValue;
    }

    private static String describe(Throwable t) {
        if (t instanceof jdk.jshell.EvalException ee) {
            return ee.getExceptionClassName() + ": " + ee.getMessage();
        }
        return t.toString();
    }

    private static String firstLine(String s) {
        String l = s.strip().lines().findFirst().orElse("");
        return l.length() > 120 ? l.substring(0, 120) + "..." : l;
    }

    private static ArrayNode outputs(String stdout, String value, int count) throws IOException {
        ArrayNode outs = JSON.createArrayNode();
        StringBuilder text = new StringBuilder();
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith(Notebook.IMAGE_MARKER)) {
                flushText(outs, text);
                Path png = Path.of(line.substring(Notebook.IMAGE_MARKER.length()).strip());
                ObjectNode d = outs.addObject();
                d.put("output_type", "display_data");
                ObjectNode data = d.putObject("data");
                data.put("image/png", Base64.getEncoder().encodeToString(Files.readAllBytes(png)));
                data.putArray("text/plain").add("<" + png.getFileName() + ">");
                d.putObject("metadata");
            } else {
                text.append(line).append('\n');
            }
        }
        if (text.length() > 0 && text.charAt(text.length() - 1) == '\n') {
            text.setLength(text.length() - 1);
        }
        flushText(outs, text);
        if (value != null) {
            ObjectNode r = outs.addObject();
            r.put("output_type", "execute_result");
            r.put("execution_count", count);
            r.putObject("data").putArray("text/plain").add(value);
            r.putObject("metadata");
        }
        return outs;
    }

    private static void flushText(ArrayNode outs, StringBuilder text) {
        if (text.toString().isBlank()) {
            text.setLength(0);
            return;
        }
        ObjectNode s = outs.addObject();
        s.put("output_type", "stream");
        s.put("name", "stdout");
        ArrayNode lines = s.putArray("text");
        String[] parts = text.toString().split("(?<=\n)");
        for (String p : parts) {
            lines.add(p);
        }
        text.setLength(0);
    }

    /**
     * This JVM's classpath, with manifest-only jars (as test runners use) expanded to the entries their manifest
     * lists, so the JShell compiler sees every class.
     */
    static List<String> classpath() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            out.add(entry);
            if (entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry)) {
                    Manifest m = jar.getManifest();
                    String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        URI base = Path.of(entry).toUri();
                        for (String ref : cp.trim().split("\\s+")) {
                            out.add(Path.of(base.resolve(ref)).toString());
                        }
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // not a readable jar: keep the entry as it is
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Runs every {@code *.ipynb} in {@code dir} (sorted), writing each to {@code outDir} (or in place if null). */
    public static List<Result> runAll(Path dir, Path outDir) throws IOException {
        List<Path> notebooks;
        try (var s = Files.list(dir)) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        if (notebooks.isEmpty()) {
            throw new UserInputException("no notebooks (*.ipynb) in " + dir);
        }
        List<Result> results = new ArrayList<>();
        for (Path nb : notebooks) {
            Path target = outDir == null ? nb : outDir.resolve(nb.getFileName());
            results.add(run(nb, target));
        }
        return results;
    }
}
