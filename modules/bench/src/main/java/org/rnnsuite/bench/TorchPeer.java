package org.rnnsuite.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rnnsuite.core.UserInputException;

/**
 * The PyTorch peer: one long-lived {@code python3 torch_peer.py} worker, spoken to over {@link PeerChannel}. It runs
 * at its best setting on these machines: Debian's PyTorch on OpenBLAS (through {@code LD_LIBRARY_PATH}) with one
 * thread.
 */
public final class TorchPeer implements AutoCloseable {
    /** How to get what the peer needs on Debian. */
    public static final String INSTALL_HINT = "apt-get install python3-torch libopenblas0-pthread";

    private final Process process;
    private final Path stderrFile;
    private final PeerChannel channel;
    private final JsonNode hello;

    private TorchPeer(Process process, Path stderrFile, int threads) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.channel = new PeerChannel(
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), this::stderrTail);
        JsonNode h;
        try {
            h = channel.call(PeerChannel.command("hello").put("threads", threads));
        } catch (PeerChannel.PeerException e) {
            close();
            String err = stderrTail();
            if (err.contains("No module named 'torch'") || err.contains("No module named torch")) {
                throw new UserInputException("the PyTorch peer needs PyTorch for /usr/bin/python3, which is not "
                        + "installed; install it with: " + INSTALL_HINT);
            }
            throw new UserInputException("the PyTorch peer did not start (" + e.getMessage() + "); it needs: "
                    + INSTALL_HINT);
        }
        this.hello = h;
    }

    /**
     * Starts the peer.
     *
     * @param python      the interpreter, e.g. {@code /usr/bin/python3}
     * @param script      {@code modules/bench/peer/torch_peer.py}
     * @param blasLibDir  directory of the threaded OpenBLAS put first on {@code LD_LIBRARY_PATH}
     * @param threads     torch threads
     * @throws UserInputException naming what is missing and how to install it
     */
    public static TorchPeer start(Path python, Path script, Path blasLibDir, int threads) {
        if (!Files.isRegularFile(script)) {
            throw new UserInputException("peer script " + script + " does not exist; run from the rnnsuite checkout "
                    + "or give --peer-script");
        }
        if (!Files.isExecutable(python)) {
            throw new UserInputException("Python interpreter " + python + " not found; the PyTorch peer needs: "
                    + INSTALL_HINT);
        }
        if (!Files.isDirectory(blasLibDir)) {
            throw new UserInputException("OpenBLAS directory " + blasLibDir + " not found (without it PyTorch runs "
                    + "on reference BLAS, ~15x slower, an unfair peer); install it with: " + INSTALL_HINT);
        }
        try {
            Path err = Files.createTempFile("rnnsuite-peer", ".log");
            ProcessBuilder pb = new ProcessBuilder(List.of(python.toString(), script.toString()));
            String ld = System.getenv("LD_LIBRARY_PATH");
            pb.environment().put("LD_LIBRARY_PATH", blasLibDir + (ld == null || ld.isBlank() ? "" : ":" + ld));
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            // OpenBLAS reads its own variable first; the launcher may have set it for rnnsuite's process
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            pb.environment().put("PYTHONUNBUFFERED", "1");
            pb.redirectError(err.toFile());
            return new TorchPeer(pb.start(), err, threads);
        } catch (IOException e) {
            throw new UserInputException("cannot start the PyTorch peer " + python + " " + script + ": "
                    + e.getMessage() + "; it needs: " + INSTALL_HINT, e);
        }
    }

    /** The peer's answer to {@code hello}: torch and Python versions, threads, BLAS library. */
    public JsonNode hello() {
        return hello;
    }

    /** One line for the report: {@code PyTorch 1.13.0 (1 thread, libopenblasp...)}. */
    public String describe() {
        return "PyTorch " + hello.path("torch").asText() + " (" + hello.path("threads").asInt() + " thread"
                + (hello.path("threads").asInt() == 1 ? "" : "s") + ", " + hello.path("blas").asText() + ")";
    }

    public PeerChannel channel() {
        return channel;
    }

    private String stderrTail() {
        try {
            String s = Files.readString(stderrFile, StandardCharsets.UTF_8);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                channel.call(PeerChannel.command("quit"));
            } catch (RuntimeException ignored) {
                // the peer is going away either way
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(stderrFile);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
