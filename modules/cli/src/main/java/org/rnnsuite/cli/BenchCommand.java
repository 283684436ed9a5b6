package org.rnnsuite.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnnsuite.bench.BenchConfig;
import org.rnnsuite.bench.BenchReport;
import org.rnnsuite.bench.BenchSuite;
import org.rnnsuite.bench.ReadmeSection;
import org.rnnsuite.bench.TorchPeer;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.hw.ThreadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnnsuite bench}: rnnsuite against a PyTorch peer on the same models, data and steps. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark rnnsuite against PyTorch on identical models, vocabulary, minibatches, optimizer "
                + "and steps, alternating the two systems and reporting medians; ratio > 1 means rnnsuite is better.",
            "Needs: " + TorchPeer.INSTALL_HINT + ". Progress goes to stderr."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Reduced steps and repeats: a few minutes instead of about 10.")
    boolean quick;

    @Option(names = "--json", description = "Print one JSON array of rows {name, unit, rnnsuite, peer, ratio}.")
    boolean json;

    @Option(names = "--write-readme", paramLabel = "FILE",
            description = "Replace the text between '" + ReadmeSection.BEGIN + "' and '" + ReadmeSection.END
                    + "' in FILE with the generated table.")
    Path readme;

    @Option(names = "--cells", split = ",", paramLabel = "CELL",
            description = "Char-LM cells: lstm, gru (default: both).")
    List<String> cells;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE",
            description = "Char-LM training sizes: small (1x128 b32), medium (2x256 b32), large (2x512 b64) "
                    + "(default: all).")
    List<String> sizes;

    @Option(names = "--text", paramLabel = "FILE", defaultValue = CharLmCommand.DEFAULT_TEXT,
            description = "Text whose vocabulary and minibatches both systems train on (default: ${DEFAULT-VALUE}).")
    Path text;

    @Option(names = "--peer-script", paramLabel = "FILE", defaultValue = "modules/bench/peer/torch_peer.py",
            description = "The PyTorch peer worker (default: ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--python", paramLabel = "FILE", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch (default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--peer-threads", paramLabel = "N",
            description = "PyTorch threads (default: 1, its fastest setting on the 2-core machines measured).")
    Integer peerThreads;

    @Option(names = "--blas-dir", paramLabel = "DIR", defaultValue = "/usr/lib/x86_64-linux-gnu/openblas-pthread",
            description = "Threaded OpenBLAS for the peer's LD_LIBRARY_PATH (default: ${DEFAULT-VALUE}).")
    Path blasDir;

    @Override
    public Integer call() {
        ThreadSettings.applyDefaults();
        BenchConfig base = quick ? BenchConfig.quick() : BenchConfig.defaults();
        BenchConfig cfg;
        try {
            cfg = new BenchConfig(cells == null ? base.cells() : cells, sizes == null ? base.sizes() : sizes,
                    base.seqLength(), base.warmupSteps(), base.timedSteps(), base.repeats(), base.sampleWarmup(),
                    base.sampleChars(), base.sgemmSize(), base.sgemmReps(), base.qualitySteps(),
                    peerThreads == null ? base.peerThreads() : peerThreads,
                    base.speech(), base.captioning());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (readme != null) {
            // fail before the long run, not after it
            ReadmeSection.replace(read(readme), "", readme.toString());
        }
        // the root command's parse result holds every argument, "bench" included
        String command = "rnnsuite " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        PrintStream progress = System.err;
        BenchReport report = BenchSuite.run(cfg, inCheckout(text), python, inCheckout(peerScript), blasDir,
                command.strip(), progress);
        var out = spec.commandLine().getOut();
        out.print(json ? report.json() + System.lineSeparator() : report.text());
        out.flush();
        if (readme != null) {
            ReadmeSection.replaceIn(readme, report.markdown());
            progress.println("wrote the benchmark table into " + readme);
        }
        return 0;
    }

    /**
     * A relative path that does not exist here, looked up in the checkout this command runs from (the launcher
     * runs {@code modules/cli/target/classes}), so the defaults work from any directory.
     */
    static Path inCheckout(Path p) {
        if (p.isAbsolute() || Files.exists(p)) {
            return p;
        }
        try {
            Path classes = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = classes.getParent() == null ? null : classes.getParent().getParent();
            root = root == null ? null : root.getParent() == null ? null : root.getParent().getParent();
            if (root != null && Files.exists(root.resolve(p))) {
                return root.resolve(p);
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through: the caller reports the path as given
        }
        return p;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
